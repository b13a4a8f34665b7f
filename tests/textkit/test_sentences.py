"""Sentence splitting on real seed text: abbreviations, quotations, offsets."""
import subprocess
import sys

from newslens.textkit import sentences
from newslens.textkit.quotations import quote_spans, quoted_share
from newslens.textkit.sentences import sentence_spans, split_sentences, words


def test_abbreviations_do_not_split():
    body = (
        "Jen Psaki told the U.S. government on Jan. 5 that Col. Steven Warren agreed. "
        "Pentagon press secretary Rear Adm. John Kirby announced the sale. The U.N. said 8,868 died."
    )
    texts = [body[s:e] for s, e in sentence_spans(body)]
    assert texts == [
        "Jen Psaki told the U.S. government on Jan. 5 that Col. Steven Warren agreed.",
        "Pentagon press secretary Rear Adm. John Kirby announced the sale.",
        "The U.N. said 8,868 died.",
    ]


def test_quotation_closing_mark_stays_with_its_sentence():
    body = ('He added that the recommendations "have got to be sound, and not done in a rush." '
            '"We\'ll not be sending forces to Iraq," he said. Then “it is over.” Kirby left.')
    texts = [body[s:e] for s, e in sentence_spans(body)]
    assert texts == [
        'He added that the recommendations "have got to be sound, and not done in a rush."',
        '"We\'ll not be sending forces to Iraq," he said.',
        "Then “it is over.”",
        "Kirby left.",
    ]


def test_paragraph_break_always_ends_a_sentence():
    body = "A power struggle\n\nThe background to the escalation is tension."
    assert [body[s:e] for s, e in sentence_spans(body)] == [
        "A power struggle", "The background to the escalation is tension."]


def test_offsets_point_into_the_body(seed_corpus):
    for doc_id, body in seed_corpus.bodies.items():
        sents = seed_corpus.sentences[seed_corpus.sentences.doc_id == doc_id]
        assert len(sents) > 3
        for row in sents.itertuples():
            assert body[row.start:row.end] == row.text
        assert list(sents.sent_id) == list(range(len(sents)))


def test_sentence_ending_on_an_initialism_is_split():
    body = ("More than 8,000 Iraqis were killed this year, according to the U.N. And though neither "
            "leader wants it, the U.S. Army and the U.S. government agree.")
    assert [body[s:e] for s, e in sentence_spans(body)] == [
        "More than 8,000 Iraqis were killed this year, according to the U.N.",
        "And though neither leader wants it, the U.S. Army and the U.S. government agree.",
    ]


def test_seed_sentences_with_abbreviations_are_whole(seed_corpus):
    texts = list(seed_corpus.sentences.text)
    assert ("More than 8,000 Iraqis were killed this year, which is the most since 2008, "
            "according to the U.N.") in texts
    assert any(t.startswith("Pentagon press secretary Rear Admiral John Kirby") for t in texts)
    assert any(t.startswith("Bernadette Meehan, a spokeswoman") and "the U.S. has not received" in t
               for t in texts)
    assert not any(t.endswith((" U.S.", " Rear Adm.", " Col.", " Jan.")) for t in texts)


def test_tokenizer_without_timeouts_splits_as_stock_punkt(seed_corpus):
    # The same Punkt with NLTK's own timed patterns and no memo: the spans must not change.
    stock = sentences._punkt.PunktSentenceTokenizer(
        sentences.sentence_tokenizer()._params, lang_vars=_StockNewsVars())
    ours = sentences.sentence_tokenizer()
    paragraphs = [p for body in seed_corpus.bodies.values() for p in body.split("\n\n")]
    assert len(paragraphs) > 50
    for para in paragraphs + paragraphs:      # twice: the second time answers come from the memo
        assert list(ours.span_tokenize(para)) == list(stock.span_tokenize(para)), para


class _StockNewsVars(sentences._punkt.PunktLanguageVars):
    sent_end_chars = (".", "?", "!")


def test_importing_sentences_leaves_nltk_unimported():
    code = (
        "import sys; import newslens.textkit.sentences as s\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('nltk', 'scipy')))\n"
        "print(s.sentence_spans('He flew to the U.S. The talks failed.'))\n"
        "import nltk; from nltk.tokenize.punkt import PunktSentenceTokenizer\n"
        "print(nltk.word_tokenize is not None, 'scipy' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split("\n")[:3] == ["[]", "[(0, 19), (20, 37)]", "True True"]


def test_words_keep_hyphens_numbers_and_apostrophes():
    assert words("al-Qaida's 8,868 dead; Iraq’s $14 billion") == [
        "al-Qaida's", "8,868", "dead", "Iraq’s", "14", "billion"]


def test_split_sentences_table_columns():
    df = split_sentences("d1", "One sentence. Two sentences.")
    assert list(df.columns) == ["doc_id", "sent_id", "start", "end", "text"]
    assert df.text.tolist() == ["One sentence.", "Two sentences."]


def test_quote_spans_straight_curly_and_single():
    text = ('Warren said "no forces," he said. Kirby: “not done in a rush.” '
            "‘Suffering at the hands of terrorists’ in Anbar’s capital.")
    spans = [text[s:e] for s, e in quote_spans(text)]
    assert spans == ['"no forces,"', "“not done in a rush.”", "‘Suffering at the hands of terrorists’"]


def test_quoted_share_whole_and_part():
    text = '"We\'ll not be sending forces to Iraq," he said.'
    spans = quote_spans(text)
    share = quoted_share(0, len(text), spans, text)
    assert 0.7 < share < 0.9
    assert quoted_share(0, 5, spans, text) == 1.0


def test_default_sources_for_the_seeds_are_wsws_vs_dw(seed_corpus):
    from newslens.corpus.loader import choose_sources
    assert choose_sources(seed_corpus.documents) == ("World Socialist Web Site", "Deutsche Welle")
    assert choose_sources(seed_corpus.documents, source_b="France 24") == ("Deutsche Welle", "France 24")


def test_unknown_source_is_an_error_listing_outlets(seed_corpus):
    import pytest
    from newslens.corpus.loader import choose_sources
    from newslens.core.errors import ParameterError
    with pytest.raises(ParameterError, match="'Reuters' is not an outlet.*France 24"):
        choose_sources(seed_corpus.documents, source_a="Reuters")


def test_last_whitespace_index_as_nltk_finds_it():
    ours = sentences.sentence_tokenizer()
    stock = sentences._punkt.PunktSentenceTokenizer._get_last_whitespace_index
    for text in ["", "Iraq", " Iraq", "the U.S.\tArmy", "said\nthat", "a\x0bb c\x0cd", "end "]:
        assert ours._get_last_whitespace_index(text) == stock(ours, text), text


def test_plain_word_shortcut_decides_as_punkt_does(seed_corpus):
    ours = sentences.sentence_tokenizer()
    stock = sentences._punkt.PunktSentenceTokenizer.text_contains_sentbreak
    contexts = ["Iraq. The", 'said."', "rush.”", "Col. Steven", "Adm. John", "Jan. 5", "U.S. The",
                "Iraq. ...", "Iraq.\x1cThe", "Iraq.\nThe", "Mr. Smith", "ISIS.”", "Iraq. “We", "troops. 5,000"]
    for body in seed_corpus.bodies.values():   # every candidate boundary of the seeds, as Punkt builds it
        contexts += [context for _, context in ours._match_potential_end_contexts(body)]
    assert sum(bool(sentences._PLAIN_WORD_END.fullmatch(c)) for c in contexts) > 50
    for context in contexts:
        assert ours.text_contains_sentbreak(context) == stock(ours, context), context
