"""Arms-transfer events against hand-built gold sets: the seeds and an invented fixture corpus."""
from pathlib import Path

import pandas as pd
import pytest

from conftest import one_sentence
from newslens.corpus.loader import load_corpus
from newslens.core.errors import ParameterError
from newslens.core.paths import data_file
from newslens.analyses.events import EVENT_COLUMNS, STATUSES, evaluate_events, extract_events
from newslens.analyses.events import read_gold as read_events_gold
from newslens.textkit.weapons import find_weapons, load_weapons

GOLD = Path(__file__).parents[1] / "gold"
FIXTURES = Path(__file__).parents[1] / "fixtures"


def match_gold(events: pd.DataFrame, gold: pd.DataFrame) -> tuple[list[str], list[int]]:
    """Differences between gold rows and extracted events, and the extracted rows no gold row claims."""
    result = evaluate_events(events, gold)
    return result["problems"], list(result["spurious"].index)


def read_gold(name):
    return read_events_gold(GOLD / name)


@pytest.fixture(scope="module")
def seed_events(seed_corpus):
    return extract_events(seed_corpus.sentences, seed_corpus.documents)


def test_seed_events_match_gold(seed_events):
    gold = read_gold("events.csv")
    problems, extra = match_gold(seed_events, gold)
    assert problems == []
    spurious = seed_events.loc[extra, ["doc_id", "weapon", "status", "text"]].to_dict("records")
    assert spurious == [], "events no careful reader would list"


def test_headline_events_of_the_issue(seed_events):
    def one(doc, fragment, weapon, quantity=None):
        rows = seed_events[(seed_events.doc_id == doc) & seed_events.text.str.contains(fragment, regex=False)
                           & (seed_events.weapon == weapon)]
        if quantity is not None:
            rows = rows[rows.quantity == quantity]
        assert len(rows) == 1
        return rows.iloc[0]

    dec = one("france24-2014-01-07", "mid-December", "Hellfire", 75)
    assert (dec.status, dec.date_start.day, dec.date_end.day) == ("delivered", 11, 20)
    big = one("wsws-2014-08-01", "700 million deal", "Hellfire", 5000)
    assert (big.status, big.value_usd) == ("approved", 700e6)
    assert str(big.date_end.date()) == "2014-08-01" and big.date_start.month == 7
    july = one("wsws-2014-08-01", "450 missiles", "Hellfire", 450)
    assert (july.status, july.date_start.month, july.granularity) == ("delivered", 7, "month")
    # The DW report calls the Hellfire surface-to-air; its later report air-to-surface.
    assert one("dw-2013-12-28", "Some 75 missiles", "Hellfire", 75).description == "surface-to-air"
    assert one("dw-2014-01-07", "expediate", "Hellfire").description == "air-to-surface"


def test_columns_and_vocabulary(seed_events):
    assert list(seed_events.columns) == EVENT_COLUMNS
    assert set(seed_events.status) <= set(STATUSES)
    assert seed_events.text.map(len).min() > 20
    for row in seed_events.itertuples():  # every event traces back to its sentence
        assert row.weapon_text in row.text


def test_non_events_in_seeds(seed_events):
    # the photo caption's AIM-120, the navigation block's Ukraine missile strike, the negated request
    # for armed drones and the commentators' call for armed drones are not transfers
    assert not seed_events.weapon.isin(["AIM-120 AMRAAM", "F/A-18", "armed drone (unspecified)"]).any()
    assert not seed_events.text.str.contains("Kramatorsk|apartments|formal request|call on Washington").any()


def test_traps_are_not_events():
    sentences = pd.DataFrame({
        "doc_id": ["x"] * 6, "sent_id": range(6),
        "text": [
            "Aviation Ordnancemen prepare to load an AIM-120 missile onto an F/A-18E Super Hornet.",
            "Ukraine updates: Missile hits apartments, civilians killed",
            "A Leopard 2 tank fires during an exercise. Photo: Reuters",
            "Russian forces fired 20 missiles at Kyiv overnight, officials said.",
            "Washington has not approved the sale of 40 F-16 jets to Turkey.",
            "Some lawmakers urge Berlin to deliver 30 Leopard 2 tanks to Kyiv next month.",
        ]})
    documents = pd.DataFrame({"doc_id": ["x"], "outlet": ["Test"], "published": ["2023-02-07"]})
    assert extract_events(sentences, documents).empty


def test_invented_arms_corpus_matches_gold():
    corpus = load_corpus(FIXTURES / "arms_other" / "corpus.csv", progress=False)
    events = extract_events(corpus.sentences, corpus.documents)
    problems, extra = match_gold(events, read_gold("events_arms_other.csv"))
    assert problems == []
    assert events.loc[extra, ["doc_id", "weapon", "text"]].to_dict("records") == []
    stinger = events[events.weapon == "Stinger"].iloc[0]
    assert stinger.value_text == "€120 million" and pd.isna(stinger.value_usd)


def test_user_gazetteer_extends_weapons(tmp_path):
    """A user adds patrol boats to a copy of the gazetteer; the shared fixture corpus about a patrol-boat
    deal between invented countries then yields its events (parties unknown to the gazetteer stay empty)."""
    gaz = tmp_path / "weapons.csv"
    text = data_file("weapons.csv").read_text(encoding="utf-8")
    # data/weapons.csv knows "patrol boats" as a naval vessel; the user's longer name wins where it occurs
    gaz.write_text(text + "coastal patrol boat (unspecified),patrol vessel,yes,coastal patrol boats|coastal patrol boat\n",
                   encoding="utf-8")
    corpus = load_corpus(FIXTURES / "other_corpus" / "corpus.csv", progress=False)
    plain = extract_events(corpus.sentences, corpus.documents)
    extended = extract_events(corpus.sentences, corpus.documents, load_weapons(gaz))
    assert not (plain.weapon == "coastal patrol boat (unspecified)").any()
    boats = extended[extended.weapon == "coastal patrol boat (unspecified)"]
    signed = boats[boats.text.str.contains("signed a contract", regex=False)]
    assert len(signed) == 1 and signed.iloc[0].quantity == 6 and signed.iloc[0].status == "ordered"
    # "the defence ministry said on Tuesday", published Tuesday 2 March 2021: the same day
    assert str(signed.iloc[0].date_start.date()) == "2021-03-02"


def test_bad_gazetteer_is_a_parameter_error(tmp_path):
    bad = tmp_path / "weapons.csv"
    bad.write_text("weapon,category,generic,aliases\nHellfire,missile,maybe,Hellfire\n", encoding="utf-8")
    with pytest.raises(ParameterError, match="generic must be yes or no"):
        load_weapons(bad)
    missing = tmp_path / "w2.csv"
    missing.write_text("weapon,aliases\nHellfire,Hellfire\n", encoding="utf-8")
    with pytest.raises(ParameterError, match="lacks column"):
        load_weapons(missing)


def test_weapon_mentions_keep_descriptors():
    found = find_weapons("planned deliveries of air-to-surface Hellfire missiles and surveillance drone aircraft")
    assert [(m.surface, m.weapon, m.description) for m in found] == [
        ("Hellfire missiles", "Hellfire", "air-to-surface"),
        ("surveillance drone aircraft", "surveillance drone (unspecified)", "surveillance")]
    assert find_weapons("into the arms of al Qaeda, said think tanks") == []


def test_evaluation_counts(seed_events):
    result = evaluate_events(seed_events, read_gold("events.csv"))
    assert (result["gold"], result["correct"], result["precision"], result["recall"]) == (23, 23, 1.0, 1.0)
    wrong = seed_events.copy()
    wrong.loc[wrong.quantity == 450, "status"] = "scheduled"
    worse = evaluate_events(wrong.iloc[1:], read_gold("events.csv"))
    assert worse["correct"] == 21 and worse["recall"] == pytest.approx(21 / 23)
    assert any("status is 'scheduled'" in p for p in worse["problems"])


def test_events_stage_in_batches_equals_serial(seed_corpus):
    """The stage is declared per-document: batches on worker processes give the same table."""
    from newslens.pipeline import run_stages

    serial = run_stages(seed_corpus, ["events"], {}, engine="serial")["events"]
    batched = run_stages(seed_corpus, ["events"], {}, engine="processes", batch_docs=2)["events"]
    pd.testing.assert_frame_equal(serial.reset_index(drop=True), batched.reset_index(drop=True))


def test_sentences_from_other_stories():
    """Invented sentences in the style of other arms stories: designations with numbers, double names,
    'supplied X with', 'in order to', a possible sale notified to Congress."""
    texts = {
        "apache": "Congress was notified of a possible sale of 24 AH-64E Apache helicopters worth $4.8 billion to Qatar.",
        "order": "In order to protect its pilots, Iraq wants more Hellfire missiles.",
        "stinger": "The US has supplied Ukraine with 1,600 Stinger missiles.",
        "tanks": "Britain will send 14 Challenger 2 tanks and 30 AS-90 howitzers to Ukraine in the coming weeks.",
        "f16": "Iraq is expected to receive the first 36 F-16 jets in 2015.",
    }
    sentences = pd.DataFrame({"doc_id": list(texts), "sent_id": 0, "text": list(texts.values())})
    documents = pd.DataFrame({"doc_id": list(texts), "outlet": "T", "published": "2023-06-14"})
    e = extract_events(sentences, documents).set_index("doc_id")
    assert "order" not in e.index
    apache = e.loc[["apache"]]
    assert len(apache) == 1  # "AH-64E Apache helicopters" is one mention
    assert (apache.iloc[0].quantity, apache.iloc[0].value_usd, apache.iloc[0].status,
            apache.iloc[0].recipient) == (24, 4.8e9, "proposed", "Qatar")
    assert (e.loc["stinger", "quantity"], e.loc["stinger", "supplier"], e.loc["stinger", "recipient"]) == (
        1600, "United States", "Ukraine")
    tanks = e.loc[["tanks"]].set_index("weapon")
    assert tanks.loc["Challenger 2", "quantity"] == 14 and tanks.loc["AS-90", "quantity"] == 30
    assert set(tanks.status) == {"scheduled"} and set(tanks.supplier) == {"United Kingdom"}
    assert str(tanks.iloc[0].date_end.date()) == "2023-07-05"  # "in the coming weeks" = three weeks
    f16 = e.loc["f16"]
    assert (f16.quantity, f16.status, f16.date_start.year, f16.granularity) == (36, "scheduled", 2015, "year")


def test_weapon_gate_rules_out_only_sentences_without_a_gazetteer_name():
    from newslens.textkit.weapons import may_name_weapon

    named = "The US has shipped 75 Hellfire missiles to Iraq and will deliver 10 ScanEagle drones."
    assert may_name_weapon(named) and find_weapons(named)
    assert may_name_weapon("Iraq wants F-16s.") and find_weapons("Iraq wants F-16s.")
    assert not may_name_weapon("Sunni leaders in Fallujah said the fighters had left the city.")
    # tokens of a multi-word alias must all be there: "S-300" needs "s" and "300"
    assert not may_name_weapon("Iraq has 300 soldiers") and may_name_weapon("Iran has S-300 systems")
    # lower-case aliases match in any case, capitalised ones as written
    assert [m.weapon for m in find_weapons("HELLFIRE MISSILES")] == ["missile (unspecified)"]


def test_a_long_sentence_with_many_weapons_and_cues_gives_each_its_event():
    # 400 clauses in one sentence (a scraped table or list run together): each sale is found, with its
    # count and parties. Checking the breaks between every weapon and every cue by searching the span
    # made this cubic (800 clauses took 150 s); they are now indexed once per sentence.
    # (each clause another count: one sale repeated is one report, see test_a_repeated_report_is_one_row)
    text = " ".join(f"The United States will sell {24 + i} Apache helicopters to Iraq;" for i in range(400)) + "."
    sentences, documents = one_sentence(text)
    events = extract_events(sentences, documents)
    assert len(events) == 400
    assert set(events["quantity"]) == {24.0 + i for i in range(400)} and set(events["weapon"]) == {"Apache"}
    assert set(events["supplier"]) == {"United States"} and set(events["recipient"]) == {"Iraq"}


def test_cut_down_weapon_alternations_find_what_the_whole_gazetteer_finds():
    """find_weapons runs only the aliases whose tokens the sentence holds: the same matches, in order."""
    from newslens.textkit.weapons import _matches, _weapon_matcher, _weapon_patterns

    gaz = load_weapons()
    key = id(gaz)
    find_weapons("", gaz)  # registers the gazetteer under its key
    for text in ("Norway delivered two NASAMS batteries and 40 AIM-120 missiles to Kyiv on Monday.",
                 "The F-16 and F-16V jets, Patriot missiles and HIMARS launchers were approved.",
                 "MANPADS, Stinger and Javelin missiles arrived with 155mm artillery shells.",
                 "The ministry said nothing about weapons."):
        whole = _matches(text, *_weapon_matcher(key))
        cut = _weapon_patterns(text, key)
        assert (_matches(text, *cut) if cut is not None else []) == whole, text
        assert cut is None or whole  # None only when nothing could match
    assert len(_matches("Patriot missiles and HIMARS", *_weapon_matcher(key))) == 3
