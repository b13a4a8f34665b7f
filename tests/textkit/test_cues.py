"""Cue matching internals that make frames fast: required substrings of a regex, batch matching, order."""
from __future__ import annotations

import re
import string

import pandas as pd
import pytest

from conftest import sentence_containing
from newslens.textkit.cues import _FOLDS_TO_ASCII, CueIndex, may_match, required_substrings
from newslens.analyses.frames import FRAME_COLUMNS, frames_of_texts, load_codebook, tag_frames


@pytest.fixture(scope="module")
def codebook():
    return load_codebook()


def test_required_substrings_of_the_codebook_patterns(codebook):
    needs = {key: required_substrings(rx) for key, rx in codebook.index.patterns}
    assert needs["arms_trade"] == (("f-",),)  # \bF-\d{2}s?\b
    assert needs["security_defense"] == (("control of", "lost control"),)
    # every branch of the money pattern names a currency sign or a magnitude word
    assert needs["economic"] == (("$", "billion", "million", "trillion", "£", "€"),)
    # two required parts: longest first
    assert needs["critique_us_power"] == (("interests",), ("american", "its", "their", "u.s.", "us", "western"))


def test_required_substrings_know_nothing_of_optional_or_unclear_parts():
    assert required_substrings(re.compile(r"(?:war)?\d+")) == ()
    assert required_substrings(re.compile(r"[a-z]+ment")) == (("ment",),)
    assert required_substrings(re.compile(r"(?:troops|\d+)")) == ()  # one branch has no literal
    assert required_substrings(re.compile(r"(?:troops|\d+ soldiers)", re.I)) == ((" soldiers", "troops"),)


def test_may_match_never_rules_out_a_real_match():
    rx = re.compile(r"\bal[\s-]?qa['’]?[ei]da\b", re.IGNORECASE)
    needs = required_substrings(rx)
    texts = ["fighters of Al-Qaeda said", "AL QAIDA", "the Islamic State", "al-Qaſda?", "al-QAİDA fighters"]
    for text in texts:
        if rx.search(text):
            assert may_match(needs, text, text.lower()), text
    assert not may_match(needs, "the Islamic State", "the islamic state")
    # a long s (ſ) is an "s" to case-insensitive re but not to str.lower(): such texts are always scanned
    assert may_match((("is",),), "Iſ", "iſ")


def test_the_characters_re_folds_to_ascii_are_all_known():
    """Every non-ASCII code point that case-insensitive `re` equates with a printable ASCII character."""
    rx = re.compile("[" + re.escape(string.printable) + "]", re.IGNORECASE)
    folding = {chr(c) for c in range(128, 0x110000) if rx.match(chr(c))}
    assert folding == set(_FOLDS_TO_ASCII)
    for ch in "€£":  # caseless signs used in the codebook's money pattern match only themselves
        assert re.fullmatch(re.escape(ch), ch.upper(), re.IGNORECASE)
        assert ch.lower() == ch == ch.upper()


def test_cues_many_is_cues_of_each_text(seed_corpus, codebook):
    texts = seed_corpus.sentences["text"].astype(str).tolist()
    index = CueIndex([(f.frame, list(f.cues), f.pattern, f.frame) for f in codebook.frames])
    assert index.cues_many(texts) == [index.cues(t) for t in texts]
    assert index.cues_many([]) == []
    assert index.cues_many(["a text with \x00 inside", "Air strikes in Anbar"]) == [
        index.cues("a text with \x00 inside"), index.cues("Air strikes in Anbar")]


def test_multi_word_cues_come_in_text_order(seed_corpus, codebook):
    row = sentence_containing(seed_corpus.sentences, "wsws-2014-08-01", "taking office for a third term")
    political = codebook.index.cues(row.text)["political"]
    assert political.index("taking office") < political.index("third term")
    row = sentence_containing(seed_corpus.sentences, "wsws-2014-08-01", "doing nothing because")
    assert codebook.index.cues(row.text)["policy_prescription"] == ["options", "doing nothing", "worst choice"]


def test_tag_frames_rows_are_frames_of_texts_row_by_row(seed_corpus, codebook):
    sentences = seed_corpus.sentences
    found = frames_of_texts(sentences["text"].astype(str).tolist(), codebook)
    expected = pd.DataFrame(
        [(d, s, frame, "; ".join(cues), len(cues))
         for d, s, per in zip(sentences["doc_id"], sentences["sent_id"], found) for frame, cues in per.items()],
        columns=FRAME_COLUMNS)
    pd.testing.assert_frame_equal(tag_frames(sentences, codebook), expected)
    # a repeated sentence (a wire copy) gets its own rows
    doubled = pd.concat([sentences, sentences.assign(doc_id="copy")], ignore_index=True)
    out = tag_frames(doubled, codebook)
    assert len(out) == 2 * len(expected)
    assert out[out.doc_id == "copy"]["cues"].tolist() == expected["cues"].tolist()
    assert tag_frames(sentences.iloc[:0], codebook).columns.tolist() == FRAME_COLUMNS
