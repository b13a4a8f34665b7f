"""Actors named: gazetteer variants merged, longest match, surnames, detection of unknown names."""
from __future__ import annotations

import pandas as pd
import pytest

from conftest import sentence_containing
from newslens.analyses.entities import (
    ENTITY_COLUMNS, STAGE, actor_table, alias_table, load_gazetteer, mentions_by_outlet, tag_entities,
    variants,
)
from newslens.core.errors import NewslensError
from newslens.core.paths import PROJECT_ROOT

GOLD = PROJECT_ROOT / "tests" / "gold" / "entities_gold.csv"


@pytest.fixture(scope="module")
def seed_entities(seed_corpus):
    return tag_entities(seed_corpus.sentences)


def _sentence(text: str, doc_id: str = "synthetic") -> pd.DataFrame:
    from newslens.textkit.sentences import split_sentences

    return split_sentences(doc_id, text)


def _pairs(ents: pd.DataFrame) -> list[tuple[str, str]]:
    return sorted(zip(ents.entity, ents.surface))


def test_gold_sentences_exactly(seed_corpus, seed_entities):
    """Every mention in the gold sentences, and nothing else, with variants resolved."""
    gold = pd.read_csv(GOLD, dtype=str)
    n_gold = n_found = n_correct = 0
    failures = []
    for (doc_id, fragment), rows in gold.groupby(["doc_id", "fragment"], sort=False):
        sent = sentence_containing(seed_corpus.sentences, doc_id, fragment)
        got = seed_entities[(seed_entities.doc_id == doc_id) & (seed_entities.sent_id == sent.sent_id)]
        expected = sorted(zip(rows.entity, rows.surface))
        found = _pairs(got)
        n_gold += len(expected)
        n_found += len(found)
        n_correct += len(set(expected) & set(found))
        if found != expected:
            failures.append((fragment, expected, found))
    assert n_gold >= 50
    assert not failures, failures
    assert n_correct == n_gold == n_found


def test_offsets_point_at_surface(seed_corpus, seed_entities):
    texts = seed_corpus.sentences.set_index(["doc_id", "sent_id"]).text
    for row in seed_entities.itertuples():
        assert texts[(row.doc_id, row.sent_id)][row.start:row.end] == row.surface
    assert list(seed_entities.columns) == ENTITY_COLUMNS


def test_variants_merged_across_outlets(seed_entities):
    v = variants(seed_entities)
    qaeda = set(v[v.entity == "al-Qaeda"].surface)
    assert {"al-Qaida", "al Qaeda", "Al Qaeda"} <= qaeda
    maliki = set(v[v.entity == "Nuri al-Maliki"].surface)
    assert {"Nuri Kamal al-Maliki", "Nuri al-Maliki", "Nouri al-Maliki", "Maliki"} <= maliki
    isil = set(v[v.entity == "Islamic State of Iraq and the Levant"].surface)
    assert {"ISIL", "ISIS", "Islamic State of Iraq and the Levant", "Islamic State in Iraq and Syria"} <= isil
    # and "Iraq" inside the group's name is not a separate mention of Iraq
    inside = seed_entities[(seed_entities.entity == "Iraq")]
    for row in seed_entities[seed_entities.surface == "Islamic State of Iraq and the Levant"].itertuples():
        same = inside[(inside.doc_id == row.doc_id) & (inside.sent_id == row.sent_id)]
        assert not ((same.start >= row.start) & (same.end <= row.end)).any()


def test_mentions_by_outlet_counts(seed_corpus, seed_entities):
    by = mentions_by_outlet(seed_entities, seed_corpus.documents)
    dw = by[(by.outlet == "Deutsche Welle") & (by.entity == "al-Qaeda")].iloc[0]
    # DW names al Qaeda in both its articles
    assert dw.articles == 2 and dw.outlet_articles == 2 and dw.share_of_articles == 1.0
    assert dw.mentions == (
        seed_entities[(seed_entities.entity == "al-Qaeda") & seed_entities.doc_id.str.startswith("dw-")]
        .shape[0]
    )
    wide = actor_table(seed_entities, seed_corpus.documents)
    iraq = wide[wide.entity == "Iraq"].iloc[0]
    assert iraq.outlets == 4 and iraq.total == (seed_entities.entity == "Iraq").sum()
    assert wide.total.is_monotonic_decreasing


def test_case_sensitive_us_and_possessive():
    ents = tag_entities(_sentence("Tell us what US officials said about Maliki's plan and the U.S. Embassy."))
    assert _pairs(ents) == [("Nuri al-Maliki", "Maliki"), ("US Embassy in Baghdad", "U.S. Embassy"),
                            ("United States", "US")]


def test_place_inside_a_longer_name_is_not_the_place():
    ents = tag_entities(_sentence(
        "Students at George Washington University met officials from Washington and Latin America."
    ))
    pairs = _pairs(ents)
    assert ("George Washington University", "George Washington University") in pairs
    assert ("Washington", "Washington") in pairs
    assert sum(1 for e, _ in pairs if e == "Washington") == 1
    assert ("United States", "America") not in pairs


def test_detects_names_not_in_gazetteer_and_their_surnames():
    text = (
        "Defence analyst Margit Oberhauser of the Vienna Centre for Security Studies said the sale was "
        "risky. In March, Oberhauser told the Kessler Brigades to disarm. "
        "Some Sunni leaders disagreed on Monday."
    )
    ents = tag_entities(_sentence(text, "story-1"))
    got = {(r.entity, r.type, r.surface, r.source, r.match) for r in ents.itertuples()}
    assert ("Margit Oberhauser", "person", "Margit Oberhauser", "detected", "name") in got
    assert ("Vienna Centre for Security Studies", "organisation", "Vienna Centre for Security Studies",
            "detected", "name") in got
    assert ("Margit Oberhauser", "person", "Oberhauser", "detected", "short form") in got
    assert ("Kessler Brigades", "armed_group", "Kessler Brigades", "detected", "name") in got
    # sentence-initial ordinary words, months, weekdays and nationality words are not names
    assert not ents.surface.str.contains("Some|Sunni|March|Monday|In March").any()
    assert set(ents[ents.source == "detected"].group) == {"other"}


def test_recurring_single_word_names():
    """A one-word name the gazetteer lacks is found when it recurs capitalised away from sentence
    starts and never in lower case; weapon names and nationality adjectives are not actors."""
    sents = pd.concat([
        _sentence("Officials in Veloria met the Velorian navy. Veloria signs the deal.", "v1"),
        _sentence("The navy of Veloria grew. More Hellfire missiles came after the Hellfire order.", "v2"),
        _sentence("Lennick was quiet.", "v3"),
    ], ignore_index=True)
    ents = tag_entities(sents)
    vel = ents[ents.entity == "Veloria"]
    assert list(vel.surface) == ["Veloria"] * 3 and set(vel.type) == {"place"}
    assert set(vel.source) == {"detected"}
    assert not ents.surface.isin(["Hellfire", "Velorian", "Lennick", "More"]).any()


def test_surname_needs_full_name_in_same_article():
    sents = pd.concat([
        _sentence("Colonel Steve Warren spoke first. Later Warren said more.", "a"),
        _sentence("Senator Warren said nothing about it.", "b"),
    ], ignore_index=True)
    ents = tag_entities(sents)
    a = ents[ents.doc_id == "a"]
    assert list(a.entity) == ["Steven Warren", "Steven Warren"]
    assert list(a.match) == ["alias", "short form"]
    b = ents[ents.doc_id == "b"]
    # in article b the bare surname is not Steven Warren; with a title it is detected as a person
    assert "Steven Warren" not in set(b.entity)
    assert list(zip(b.entity, b.type, b.source)) == [("Warren", "person", "detected")]


def test_another_story_arms_to_ukraine():
    text = (
        "Ukrainian President Volodymyr Zelensky thanked Germany and NATO for 40 Marder vehicles. "
        "Russian forces shelled Kharkiv Oblast on Tuesday, the Kremlin said. "
        "Lockheed Martin Corp will deliver rocket systems, Zelensky said."
    )
    ents = tag_entities(_sentence(text, "ukr"))
    got = {(r.entity, r.type) for r in ents.itertuples()}
    assert ("Volodymyr Zelensky", "person") in got
    assert ("Germany", "place") in got and ("NATO", "organisation") in got
    assert ("Russia", "place") in got  # "Kremlin" is an alias of Russia
    assert ("Lockheed Martin", "organisation") in got  # "Lockheed Martin Corp" is one alias
    zel = ents[ents.entity == "Volodymyr Zelensky"]
    assert list(zel.surface) == ["Volodymyr Zelensky", "Zelensky"]
    assert "Tuesday" not in " ".join(ents.surface)


def test_all_caps_and_sentence_initial_variants():
    ents = tag_entities(_sentence("Al Qaeda fighters entered IRAQ. The group al-Qaida denied it."))
    assert _pairs(ents) == [("Iraq", "IRAQ"), ("al-Qaeda", "Al Qaeda"), ("al-Qaeda", "al-Qaida")]


def test_gazetteer_is_valid_and_covers_story_actors():
    gaz = load_gazetteer()
    assert len(gaz) >= 150
    aliases = alias_table(gaz)
    assert not aliases.alias.duplicated().any()
    for name in ["Barack Obama", "Steven Warren", "Nuri al-Maliki", "Pentagon", "Brookings Institution",
                 "Washington", "al-Qaeda", "Islamic State of Iraq and the Levant", "New York Times"]:
        assert name in set(gaz.entity)
    assert gaz.loc[gaz.entity == "Washington", "group"].item() == "us_government"


@pytest.mark.parametrize("row, message", [
    ("Foo Bar,persn,other,,", "type 'persn'"),
    ("Foo Bar,person,rebels,,", "group 'rebels'"),
    ("Foo Bar,person,other,Obama,", "alias 'Obama' is given to both"),
])
def test_bad_gazetteer_rows(tmp_path, row, message):
    base = (PROJECT_ROOT / "data" / "actors.csv").read_text(encoding="utf-8").rstrip("\n")
    path = tmp_path / "actors.csv"
    path.write_text(base + "\n" + row + "\n", encoding="utf-8")
    with pytest.raises(NewslensError, match=message):
        load_gazetteer(path)


def test_missing_gazetteer_and_column(tmp_path):
    with pytest.raises(NewslensError, match="does not exist"):
        load_gazetteer(tmp_path / "nope.csv")
    bad = tmp_path / "a.csv"
    bad.write_text("entity,type,aliases\nX,person,\n", encoding="utf-8")
    with pytest.raises(NewslensError, match="lacks column"):
        load_gazetteer(bad)


def test_stage_via_pipeline(seed_corpus):
    from newslens.pipeline import run_stages

    tables = run_stages(seed_corpus, ["entities"])
    ents = tables["entities"]
    for col in ["doc_id", "sent_id", "entity", "type", "surface"]:
        assert col in ents.columns
    assert len(ents) == len(STAGE.run(seed_corpus, {"sentences": seed_corpus.sentences}, {})["entities"])


def test_actors_of_a_corpus_nobody_tuned_for(project_root):
    """Per article, the actors named in tests/fixtures/other_corpus (invented story, names absent from
    the gazetteer): precision and recall of (article, actor, type) against a hand-made list."""
    from newslens.corpus.loader import load_corpus

    c = load_corpus(project_root / "tests" / "fixtures" / "other_corpus" / "corpus.csv", progress=False)
    ents = tag_entities(c.sentences)
    got = set(zip(ents.doc_id, ents.entity, ents.type))
    gold = pd.read_csv(PROJECT_ROOT / "tests" / "gold" / "entities_other_corpus.csv")
    want = set(zip(gold.doc_id, gold.entity, gold.type))
    precision = len(got & want) / len(got)
    recall = len(got & want) / len(want)
    # measured: precision 1.0, recall 0.95 (a place named once, "Lennick", is missed)
    assert precision >= 0.9 and recall >= 0.9, (got - want, want - got)


def test_stage_parameters(seed_corpus, tmp_path):
    from newslens.core.errors import ParameterError

    tables = {"sentences": seed_corpus.sentences}
    plain = STAGE.run(seed_corpus, tables, {"detect_names": False})["entities"]
    assert set(plain.source) == {"gazetteer"}
    with pytest.raises(ParameterError, match="detect_names"):
        STAGE.run(seed_corpus, tables, {"detect_names": "no"})
    with pytest.raises(NewslensError, match="does not exist"):
        STAGE.run(seed_corpus, tables, {"gazetteer": str(tmp_path / "missing.csv")})
    # a user's own gazetteer replaces the default one
    own = tmp_path / "actors.csv"
    own.write_text("entity,type,group,aliases\nScanEagle maker,organisation,other,ScanEagle\n", encoding="utf-8")
    mine = STAGE.run(seed_corpus, tables, {"gazetteer": str(own), "detect_names": False})["entities"]
    assert set(mine.entity) == {"ScanEagle maker"}


def test_abbreviated_titles_and_headings_in_capitals():
    ents = tag_entities(_sentence(
        "In Washington, Rep. Adam Smith called for hearings. IRAQ: ISIS SEIZES MOSUL. "
        "A spokesman for the Kurdistan Regional Government, Safeen Dizayee, said so. Dizayee left."
    ))
    got = [(r.entity, r.type, r.surface) for r in ents.itertuples()]
    assert ("Adam Smith", "person", "Adam Smith") in got
    assert ("Mosul", "place", "MOSUL") in got and ("Iraq", "place", "IRAQ") in got
    assert not ents.surface.str.contains("SEIZES").any()
    assert [s for e, _, s in got if e == "Safeen Dizayee"] == ["Safeen Dizayee", "Dizayee"]


def test_namesakes_of_gazetteer_people():
    """A gazetteer surname after another given name is someone else, and stays so in the article."""
    ents = tag_entities(_sentence(
        "Coalition spokesman Turki al-Maliki said the strike hit a depot. Maliki gave no figures. "
        "Michelle Obama and President Obama spoke."
    ))
    got = [(r.entity, r.type, r.surface, r.source) for r in ents.itertuples()]
    assert got == [
        ("Turki al-Maliki", "person", "Turki al-Maliki", "detected"),
        ("Turki al-Maliki", "person", "Maliki", "detected"),
        ("Michelle Obama", "person", "Michelle Obama", "detected"),
        ("Barack Obama", "person", "President Obama", "gazetteer"),
    ]


def test_given_names_type_detected_people():
    ents = tag_entities(_sentence("Andrew Smith of the group disagreed with Campaign Against Arms Trade. "
                                  "Analyst Bonnie Glaser of the German Marshall Fund said so."))
    assert {(r.entity, r.type) for r in ents.itertuples()} == {
        ("Andrew Smith", "person"), ("Campaign Against Arms Trade", "organisation"),
        ("Bonnie Glaser", "person"), ("German Marshall Fund", "organisation")}


def test_titles_inside_organisation_names():
    ents = tag_entities(_sentence(
        "Shares of General Motors rose. Foreign Minister Dmytro Kuleba met Supreme Court Justice Breyer."))
    assert [(r.entity, r.type) for r in ents.itertuples()] == [
        ("General Motors", "organisation"), ("Dmytro Kuleba", "person"), ("Supreme Court", "organisation"),
        ("Breyer", "person")]


def test_tokens_split_possessives_and_keep_offsets(seed_corpus):
    """One findall gives each token with the whitespace before it: offsets rebuild every seed sentence,
    a possessive "'s" after a letter is its own token, "1990's" stays whole."""
    from newslens.analyses.entities import _split, tokenize

    for text in seed_corpus.sentences["text"]:
        toks, spaces = _split(text)
        assert list(toks) == [t for t, _, _ in tokenize(text)]
        assert "".join(s + t for s, t in zip(spaces, toks)) == text.rstrip()
    assert [t for t, _, _ in tokenize("Maliki's men, O'Brien's 1990's U.S.'s")] == [
        "Maliki", "'s", "men", ",", "O'Brien", "'s", "1990's", "U.S.", "'", "s"]
    sent = sentence_containing(seed_corpus.sentences, "france24-2014-01-07", "speaker of Iraq’s").text
    toks = _split(sent)[0]
    assert toks[toks.index("Iraq") + 1] == "’s"


def test_stages_in_batches_give_the_tag_entities_table(seed_corpus):
    """entity_words and entity_mentions run on single documents, entity_lexicon and entities on the
    whole corpus: the same table as tag_entities over the whole corpus."""
    from newslens.analyses.entities import LEXICON_STAGE, MENTIONS_STAGE, WORDS_STAGE
    from newslens.pipeline.tracked import batch_corpus

    docs = seed_corpus.documents["doc_id"].tolist()
    parts = [batch_corpus(seed_corpus, [d]) for d in docs]

    def per_document(func, tables):
        outs = [func.run(part, {**tables, "sentences": part.sentences}, {}) for part in parts]
        return {name: pd.concat([o[name] for o in outs], ignore_index=True) for name in outs[0]}

    tables = {"sentences": seed_corpus.sentences}
    tables.update(per_document(WORDS_STAGE, tables))
    words = tables["_entity_words"]
    assert list(words.columns) == ["doc_id", "word", "n"] and set(words.doc_id) <= set(docs)
    tables.update(LEXICON_STAGE.run(seed_corpus, tables, {}))
    lexicon = tables["_entity_lexicon"]
    vocabulary = set(lexicon.word[lexicon.kind == "vocabulary"])
    assert {"the", "weapons"} <= vocabulary and "Iraq" not in vocabulary
    tables.update(per_document(MENTIONS_STAGE, tables))
    assert "guess" in tables["entities"].columns
    got = STAGE.run(seed_corpus, tables, {})["entities"]
    pd.testing.assert_frame_equal(got, tag_entities(seed_corpus.sentences))
    # without the lexicon the mentions stage leaves the work to the entities stage
    assert MENTIONS_STAGE.run(seed_corpus, {"sentences": seed_corpus.sentences}, {}) == {}


def test_lowercase_vocabulary_is_the_same_in_chunks_of_any_size(seed_corpus):
    from newslens.analyses.entities import _lowercase_vocabulary

    texts = seed_corpus.sentences["text"].tolist()
    whole = _lowercase_vocabulary(texts, chunk=10**9)
    assert _lowercase_vocabulary(texts, chunk=1) == whole == _lowercase_vocabulary(texts, chunk=7)
    assert {"missiles", "drones", "sale"} <= whole       # seen in lower case in the seeds
    assert "Hellfire" not in whole and "hellfire" not in whole  # always capitalised there
