"""Shared passages: agency copy found and aligned on the seeds; LSH candidates equal brute force."""
import random

import pandas as pd
import pytest

from newslens.core.errors import ParameterError
from newslens.core.paths import PROJECT_ROOT
from newslens.analyses.reuse import (
    ReuseSettings, align_pair, band_shape, brute_force_candidates, candidate_doc_pairs, chain_runs,
    detection_probability, find_reuse, identical_runs, jaccard, lsh_candidates, measured_recall, reuse_pairs,
    reuse_share,
    sentence_units, settings_from_params,
)

GOLD = PROJECT_ROOT / "tests" / "gold" / "reuse_seed_passages.csv"


@pytest.fixture(scope="module")
def seed_reuse(seed_corpus):
    return find_reuse(seed_corpus)


def _norm(text):
    return " ".join(text.replace("’", "'").split())


def test_agency_passages_found_and_aligned(seed_corpus, seed_reuse):
    gold = pd.read_csv(GOLD)
    for row in gold.itertuples():
        pair = seed_reuse[
            ((seed_reuse.doc_a == row.doc_x) & (seed_reuse.doc_b == row.doc_y))
            | ((seed_reuse.doc_a == row.doc_y) & (seed_reuse.doc_b == row.doc_x))
        ]
        hits = pair[pair.text_a.map(_norm).str.contains(row.phrase, regex=False)
                    & pair.text_b.map(_norm).str.contains(row.phrase, regex=False)]
        assert len(hits) == 1, f"passage not found once in both articles: {row.phrase!r}"
        hit = hits.iloc[0]
        assert hit.n_words >= len(row.phrase.split())


def test_offsets_point_into_the_cleaned_bodies(seed_corpus, seed_reuse):
    assert len(seed_reuse) > 0
    for row in seed_reuse.itertuples():
        assert seed_corpus.bodies[row.doc_a][row.start_a:row.end_a] == row.text_a
        assert seed_corpus.bodies[row.doc_b][row.start_b:row.end_b] == row.text_b
        assert row.n_words >= ReuseSettings().min_words


def test_no_passage_where_the_seeds_share_none(seed_reuse):
    # Read by hand: U.S. News and the WSWS share no sentence-length wording with any other seed
    # (WSWS's "which can be fired from helicopters and" is 7 words, below the 10-word threshold).
    involved = set(seed_reuse.doc_a) | set(seed_reuse.doc_b)
    assert "usnews-2013-12-26" not in involved
    assert "wsws-2014-08-01" not in involved


def test_near_copy_with_one_word_changed_is_one_passage(seed_reuse):
    row = seed_reuse[seed_reuse.text_a.str.contains("Despite the withdrawal")].iloc[0]
    texts = {row.text_a, row.text_b}
    assert any("US troops from Iraq" in t for t in texts)
    assert any("US forces from Iraq" in t for t in texts)


def test_shares_count_words_inside_passages(seed_corpus, seed_reuse):
    pairs = reuse_pairs(seed_reuse, seed_corpus.documents, seed_corpus.bodies)
    row = pairs[(pairs.doc_a == "dw-2014-01-07") & (pairs.doc_b == "france24-2014-01-07")].iloc[0]
    assert row.passages >= 3
    n_words = seed_corpus.documents.set_index("doc_id")["n_words"]
    # At least the identical words (substituted words inside a passage count too).
    assert row.share_a >= row.n_words / n_words["dw-2014-01-07"] - 1e-9
    assert 0 < row.share_b < 0.5
    share = reuse_share(seed_reuse, seed_corpus.documents, seed_corpus.bodies).set_index("doc_id")
    assert len(share) == len(seed_corpus.documents)
    assert share.at["usnews-2013-12-26", "share"] == 0
    assert share.at["france24-2014-01-07", "share"] == pytest.approx(row.share_b)


def test_alignment_handles_reordering_and_substitution():
    a = "One two three four five six seven eight. Alpha beta gamma delta epsilon zeta eta theta."
    b = "Alpha beta gamma delta epsilon zeta eta theta! One two three 4 five six seven eight."
    rows = align_pair("a", a, "b", b, ReuseSettings(min_words=5, max_gap=1))
    texts = sorted(r["text_a"] for r in rows)
    assert texts == ["Alpha beta gamma delta epsilon zeta eta theta",
                     "One two three four five six seven eight"]
    by_text = {r["text_a"]: r for r in rows}
    assert by_text["One two three four five six seven eight"]["n_words"] == 7  # "four" differs
    assert by_text["One two three four five six seven eight"]["text_b"] == \
        "One two three 4 five six seven eight"


def test_identical_runs_are_maximal_and_chains_respect_the_gap():
    a = "x a b c d y y y y e f g".split()
    b = "a b c d z e f g".split()
    runs = identical_runs(a, b, seed=3)
    assert sorted((r.i, r.j, r.length) for r in runs) == [(1, 0, 4), (9, 5, 3)]
    assert len(chain_runs(runs, max_gap=3)) == 2  # 4 words differ in a: too far apart
    assert len(chain_runs(runs, max_gap=4)) == 1


def _edited_corpus(seed_corpus, n_docs=24, seed=7):
    """Documents made of seed lines with random word edits: sentence pairs at all similarities.
    Built from the raw seed files (not the cleaned sentences) so that it never changes."""
    rng = random.Random(seed)
    pool = sorted({line.strip() for text in seed_corpus.raw.values() for line in text.splitlines()
                   if len(line.split()) >= 8})
    rows = []
    for d in range(n_docs):
        for k, text in enumerate(rng.sample(pool, 12)):
            tokens = text.split()
            for _ in range(rng.randint(0, len(tokens) // 2)):
                tokens[rng.randrange(len(tokens))] = f"w{rng.randrange(10_000)}"
            rows.append((f"doc{d:02d}", k, " ".join(tokens)))
    return pd.DataFrame(rows, columns=["doc_id", "sent_id", "text"])


@pytest.mark.parametrize("min_jaccard", [0.3, 0.5])
def test_lsh_candidates_equal_brute_force(seed_corpus, min_jaccard):
    settings = ReuseSettings(min_jaccard=min_jaccard)
    sentences = _edited_corpus(seed_corpus)
    units = sentence_units(sentences, settings)
    exact = brute_force_candidates(units, settings)
    # The test corpus really holds similar sentence pairs, some of them just above the threshold.
    assert len(exact) >= 10
    assert min(jaccard(units.shingle_sets[i], units.shingle_sets[j]) for i, j in exact) < min_jaccard + 0.1
    assert lsh_candidates(units, settings) == exact
    assert candidate_doc_pairs(units, lsh_candidates(units, settings)) == \
        candidate_doc_pairs(units, exact)


def test_lsh_candidates_equal_brute_force_on_the_seeds(seed_corpus):
    settings = ReuseSettings()
    units = sentence_units(seed_corpus.sentences, settings)
    exact = brute_force_candidates(units, settings)
    assert ("dw-2014-01-07", "france24-2014-01-07") in candidate_doc_pairs(units, exact)
    assert lsh_candidates(units, settings) == exact


def test_band_shape_meets_the_recall_target():
    bands, rows = band_shape(0.3, 128, 0.95)
    assert bands * rows <= 128
    assert detection_probability(0.3, bands, rows) >= 0.95
    # one more row per band would miss the target: the shape is the most selective that meets it
    more = rows + 1
    assert detection_probability(0.3, 128 // more, more) < 0.95


def test_bad_parameters_are_clear_errors():
    with pytest.raises(ParameterError, match="reuse_min_word"):
        settings_from_params({"reuse_min_word": 3})
    with pytest.raises(ParameterError, match="reuse_min_words must be a number \\(int\\)"):
        settings_from_params({"reuse_min_words": "many"})
    with pytest.raises(ParameterError, match="min_jaccard"):
        ReuseSettings(min_jaccard=0).validate()
    assert settings_from_params({"reuse_min_words": 12, "source_a": "x"}).min_words == 12


def test_measured_recall_on_the_seeds(seed_corpus):
    measured = measured_recall(seed_corpus)
    assert measured["exact_pairs"] >= 2 and measured["recall"] == 1.0
    assert measured_recall(seed_corpus, max_units=5) is None


def test_reuse_stage_writes_three_tables(seed_corpus):
    from newslens.pipeline import run_stages

    tables = run_stages(seed_corpus, ["reuse"], {"reuse_min_words": 15})
    assert list(tables["reuse"].columns) == ["doc_a", "doc_b", "start_a", "end_a", "start_b", "end_b",
                                             "text_a", "text_b", "n_words"]
    assert (tables["reuse"].n_words >= 15).all() and len(tables["reuse"]) >= 1
    assert len(tables["reuse_share"]) == len(seed_corpus.documents)
    assert set(tables["reuse_pairs"].doc_a) <= set(seed_corpus.documents.doc_id)


def test_one_sentence_shared_by_n_articles_gives_star_not_clique():
    from newslens.analyses.reuse import star_doc_pairs
    shared = "The ministry confirmed the sale of forty armored vehicles to the northern province on Tuesday."
    n = 8
    sentences = pd.DataFrame({
        "doc_id": [f"d{k}" for k in range(n)], "sent_id": [0] * n, "start": [0] * n,
        "end": [len(shared)] * n, "text": [shared] * n,
    })
    settings = ReuseSettings().validate()
    units = sentence_units(sentences, settings)
    unit_pairs = lsh_candidates(units, settings)
    assert len(candidate_doc_pairs(units, unit_pairs)) == n * (n - 1) // 2
    order = {f"d{k}": (f"2020-01-{n - k:02d}", f"d{k}") for k in range(n)}  # d7 published first
    pairs = star_doc_pairs(units, unit_pairs, order)
    assert len(pairs) == n - 1
    assert all("d7" in pair for pair in pairs)


# ---------------------------------------------------------------- the array implementation (issue 8)

def _reference_runs(a, b, seed):
    """The former dict-based seed-and-extend: maximal runs of >= seed identical tokens."""
    from newslens.analyses.reuse import Run
    index = {}
    for j in range(len(b) - seed + 1):
        index.setdefault(tuple(b[j:j + seed]), []).append(j)
    covered, runs = {}, []
    for i in range(len(a) - seed + 1):
        for j in index.get(tuple(a[i:i + seed]), ()):
            if covered.get(i - j, -1) > i:
                continue
            n = seed
            while i + n < len(a) and j + n < len(b) and a[i + n] == b[j + n]:
                n += 1
            runs.append(Run(i, j, n))
            covered[i - j] = i + n
    return sorted(runs, key=lambda r: (r.i, r.j))


def test_tokenize_gives_the_tokens_and_spans_of_each_text(seed_corpus):
    from newslens.analyses.reuse import tokenize, tokens_with_spans
    texts = list(seed_corpus.bodies.values()) + [
        "", "No words? !", "Iraq’s 1,000.5 troops — U.S.-led, 3.5% (about)", "end of text 12,"]
    tokens = tokenize(texts)
    for k, text in enumerate(texts):
        words, spans = tokens_with_spans(text)
        part = tokens.span(k)
        assert [tokens.vocab.words[i] for i in tokens.ids[part]] == words
        assert list(zip(tokens.starts[part].tolist(), tokens.ends[part].tolist())) == spans
    assert "iraq's" in tokens.vocab.words  # curly apostrophe and case normalised


def test_units_from_bodies_equal_units_from_sentence_texts(seed_corpus):
    from newslens.analyses.reuse import shingles, tokens_with_spans
    settings = ReuseSettings()
    from_bodies = sentence_units(seed_corpus.sentences, settings, seed_corpus.bodies)
    from_texts = sentence_units(seed_corpus.sentences, settings)
    assert list(from_bodies.doc_ids) == list(from_texts.doc_ids)
    assert from_bodies.sizes.tolist() == from_texts.sizes.tolist()
    long_enough = [t for t in seed_corpus.sentences.text
                   if len(tokens_with_spans(t)[0]) >= settings.shingle + 2]
    assert from_texts.sizes.tolist() == [len(shingles(tokens_with_spans(t)[0], settings.shingle))
                                         for t in long_enough]
    assert brute_force_candidates(from_bodies, settings) == brute_force_candidates(from_texts, settings)


def test_sentence_whose_offsets_cut_a_word_is_tokenised_alone():
    body = "Officials at the northern depot counted 1,000 rockets and 250 missiles. Nobody else said so today."
    cut = body.index(",000")  # a sentence ending inside "1,000" must not get the body's token "1,000"
    sentences = pd.DataFrame({"doc_id": ["d", "d"], "sent_id": [0, 1], "start": [0, cut],
                              "end": [cut, len(body)], "text": [body[:cut], body[cut:]]})
    settings = ReuseSettings()
    from_bodies = sentence_units(sentences, settings, {"d": body})
    from_texts = sentence_units(sentences, settings)
    assert from_bodies.sizes.tolist() == from_texts.sizes.tolist() == [5, 8]


def test_runs_equal_the_seed_and_extend_reference():
    rng = random.Random(3)
    for _ in range(200):
        a = [rng.choice("abcd") for _ in range(rng.randint(0, 30))]
        b = [rng.choice("abcd") for _ in range(rng.randint(0, 30))]
        seed = rng.randint(1, 4)
        assert identical_runs(a, b, seed) == _reference_runs(a, b, seed), (a, b, seed)


def test_minhash_agreement_estimates_jaccard(seed_corpus):
    from newslens.analyses.reuse import minhash_signatures
    settings = ReuseSettings()
    units = sentence_units(_edited_corpus(seed_corpus), settings)
    signatures = minhash_signatures(units.matrix, units.hashes, 256, seed=5)
    assert (signatures == minhash_signatures(units.matrix, units.hashes, 256, seed=5)).all()
    sets = units.shingle_sets
    pairs = sorted(brute_force_candidates(units, ReuseSettings(min_jaccard=0.2)))
    errors = [abs((signatures[:, i] == signatures[:, j]).mean() - jaccard(sets[i], sets[j])) for i, j in pairs]
    assert len(errors) >= 20
    assert sum(errors) / len(errors) < 0.04   # sd of a 256-value estimate is at most 0.031


def test_identical_sentences_are_checked_once_and_linked_like_all_their_pairs(seed_corpus):
    from newslens.analyses.reuse import star_doc_pairs
    from newslens.analyses.reuse.lsh import _distinct_sets, _link_edges, _match_sets
    edited = _edited_corpus(seed_corpus, n_docs=10)
    # wire copies: some sentences of doc00 and doc01 repeated in other articles, one twice in one article
    copies = pd.concat([edited[edited.doc_id == "doc00"].head(3).assign(doc_id=d) for d in ("doc05", "doc06")]
                       + [edited[edited.doc_id == "doc01"].head(2).assign(doc_id="doc01")]
                       + [edited[edited.doc_id == "doc02"].head(2).assign(doc_id="doc07")])
    sentences = pd.concat([edited, copies], ignore_index=True)
    settings = ReuseSettings()
    units = sentence_units(sentences, settings)
    set_of, first = _distinct_sets(units.matrix)
    sets = units.shingle_sets
    assert len(first) < len(set_of)
    for i in range(len(set_of)):
        for j in range(i + 1, len(set_of)):
            assert (set_of[i] == set_of[j]) == (sets[i] == sets[j])
    order = {d: ("2020-01-01", d) for d in set(units.doc_ids)}
    every_pair = lsh_candidates(units, settings)
    assert every_pair == brute_force_candidates(units, settings)
    assert star_doc_pairs(units, _link_edges(units, _match_sets(units, settings)), order) == \
        star_doc_pairs(units, every_pair, order)


def test_union_sizes_count_each_covered_word_once():
    import numpy as np
    from newslens.analyses.reuse.passages import _union_sizes
    group = np.array([0, 0, 0, 1, 1, 2])
    first = np.array([0, 3, 10, 5, 5, 7])
    last = np.array([5, 8, 12, 6, 9, 7])
    # group 0: [0, 8) and [10, 12) -> 10; group 1: [5, 9) -> 4; group 2: empty
    assert _union_sizes(group, first, last).tolist() == [10, 4, 0]


def test_shares_when_no_article_shares_anything(seed_corpus):
    import dataclasses

    from newslens.analyses.reuse import STAGE
    two = ["usnews-2013-12-26", "wsws-2014-08-01"]  # share no passage (see above)
    corpus = dataclasses.replace(seed_corpus, documents=seed_corpus.documents[seed_corpus.documents.doc_id.isin(two)],
                                 sentences=seed_corpus.sentences[seed_corpus.sentences.doc_id.isin(two)],
                                 bodies={d: seed_corpus.bodies[d] for d in two})
    tables = STAGE.run(corpus, {}, {})
    assert tables["reuse"].empty and tables["reuse_pairs"].empty
    assert list(tables["reuse_pairs"].columns) == ["doc_a", "doc_b", "outlet_a", "outlet_b", "published_a",
                                                   "published_b", "passages", "n_words", "share_a", "share_b"]
    assert tables["reuse_share"]["shared_words"].tolist() == [0, 0]
    assert tables["reuse_share"]["partners"].tolist() == [0, 0]


def test_a_large_bucket_is_paired_with_a_window_and_its_family_stays_connected():
    """120 variants of one sentence (one word swapped each) and 40 unrelated sentences: every variant
    shares buckets with the others. Paired all with all, the variants give 7,140 pairs; with a window of
    8 each member meets at most 8 later ones per band, yet the family is still one component, and a
    window wider than every bucket gives exactly the all-with-all pairs."""
    import numpy as np
    from scipy import sparse
    from scipy.sparse.csgraph import connected_components
    from newslens.analyses.reuse import minhash_signatures
    from newslens.analyses.reuse.lsh import _bucket_pairs

    rng = random.Random(3)
    base = [f"w{k}" for k in range(30)]
    texts = []
    for v in range(120):
        words = list(base)
        words[rng.randrange(30)] = f"swap{v}"
        texts.append(" ".join(words))
    texts += [" ".join(f"u{s}x{k}" for k in range(30)) for s in range(40)]
    units = sentence_units(pd.DataFrame({"doc_id": [f"d{k}" for k in range(len(texts))],
                                         "sent_id": 0, "text": texts}), ReuseSettings())
    settings = ReuseSettings()
    bands, rows = band_shape(settings.min_jaccard, settings.num_perm, settings.target_recall)
    signatures = minhash_signatures(units.matrix, units.hashes, settings.num_perm, settings.seed)

    every = _bucket_pairs(signatures, bands, rows, window=10**9)
    assert len(every) == 120 * 119 // 2            # the variants, all with all; the others alone
    windowed = _bucket_pairs(signatures, bands, rows, window=8)
    assert len(windowed) <= bands * 120 * 8 and len(windowed) < len(every)
    assert set(map(tuple, windowed.tolist())) <= set(map(tuple, every.tolist()))
    graph = sparse.coo_matrix((np.ones(len(windowed)), (windowed[:, 0], windowed[:, 1])),
                              shape=(len(texts), len(texts)))
    labels = connected_components(graph, directed=False)[1]
    assert len(set(labels[:120])) == 1 and len(set(labels[120:])) == 40
    wide = _bucket_pairs(signatures, bands, rows, window=200)
    assert (wide == every).all()
