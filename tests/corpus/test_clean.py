"""Cleaning against hand-labelled gold sets: every non-blank line of each seed, and synthetic pages
carrying other outlets' boilerplate (tests/gold/cleaning/)."""
from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

from conftest import sentence_containing
from newslens.corpus.clean import (
    REASONS, _TERMINAL, _PatternMatcher, _prefilter, _refers_to_groups, clean_document, continues,
    ends_sentence, load_patterns,
)
from newslens.core.errors import NewslensError
from newslens.core.paths import DATA_DIR, SEEDS_DIR

GOLD = Path(__file__).parents[1] / "gold" / "cleaning"
SEED_GOLD = GOLD / "seeds.csv"
SYNTHETIC = sorted((GOLD / "synthetic").glob("*.txt"))


def seed_titles() -> dict[str, str]:
    with open(DATA_DIR / "corpus.csv", encoding="utf-8") as fh:
        return {Path(r["path"]).name: r["title"] for r in csv.DictReader(fh)}


def seed_gold() -> dict[str, dict[int, tuple[str, str]]]:
    """file -> line -> (reason or "body", text)."""
    gold: dict[str, dict[int, tuple[str, str]]] = {}
    with open(SEED_GOLD, encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            label = "body" if row["label"] == "body" else row["reason"]
            gold.setdefault(row["file"], {})[int(row["line"])] = (label, row["text"])
    return gold


def parse_annotated(path: Path) -> tuple[str | None, str, dict[int, str]]:
    """A synthetic page: first line `@title: ...`, then `label | text` per line (blank: ` | `)."""
    lines = path.read_text(encoding="utf-8").split("\n")
    title = lines[0].split(":", 1)[1].strip() or None
    text, labels = [], {}
    for raw in lines[1:]:
        if not raw.strip():
            continue
        label, _, content = raw.partition("|")
        text.append(content[1:] if content.startswith(" ") else content)
        if label.strip():
            labels[len(text)] = label.strip()
    return title, "\n".join(text), labels


def labels_of(text: str, title: str | None) -> tuple[dict[int, str], str]:
    cleaned = clean_document(text, title)
    removed = {r.line: r.reason for r in cleaned.removed}
    lines = text.split("\n")
    labels = {n: removed.get(n, "body") for n, line in enumerate(lines, 1) if line.strip()}
    return labels, cleaned.body


def precision_recall(gold: dict[int, str], got: dict[int, str]) -> tuple[float, float]:
    gold_body = {n for n, lab in gold.items() if lab == "body"}
    got_body = {n for n, lab in got.items() if lab == "body"}
    hit = len(gold_body & got_body)
    return hit / max(len(got_body), 1), hit / max(len(gold_body), 1)


SEED_FILES = sorted(seed_gold())


def test_gold_covers_every_non_blank_line_of_every_seed():
    gold = seed_gold()
    assert sorted(gold) == sorted(p.name for p in SEEDS_DIR.glob("*.txt"))
    for name, lines in gold.items():
        raw = (SEEDS_DIR / name).read_text(encoding="utf-8").split("\n")
        non_blank = {n for n, line in enumerate(raw, 1) if line.strip()}
        assert set(lines) == non_blank, name
        for n, (_, text) in lines.items():
            assert raw[n - 1].strip() == text, (name, n)


@pytest.mark.parametrize("name", SEED_FILES)
@pytest.mark.parametrize("with_title", [True, False], ids=["title", "no-title"])
def test_seed_body_precision_and_recall_are_perfect(name, with_title):
    gold = {n: lab for n, (lab, _) in seed_gold()[name].items()}
    text = (SEEDS_DIR / name).read_text(encoding="utf-8")
    got, _ = labels_of(text, seed_titles()[name] if with_title else None)
    precision, recall = precision_recall(gold, got)
    assert (precision, recall) == (1.0, 1.0), {n: (gold[n], got[n]) for n in gold if gold[n] != got[n]}


@pytest.mark.parametrize("name", SEED_FILES)
def test_seed_removal_reasons_match_the_gold(name):
    gold = {n: lab for n, (lab, _) in seed_gold()[name].items()}
    text = (SEEDS_DIR / name).read_text(encoding="utf-8")
    got, _ = labels_of(text, seed_titles()[name])
    assert got == gold


@pytest.mark.parametrize("path", SYNTHETIC, ids=[p.stem for p in SYNTHETIC])
def test_synthetic_pages_from_other_outlets(path):
    title, text, gold = parse_annotated(path)
    got, body = labels_of(text, title)
    assert precision_recall(gold, got) == (1.0, 1.0)
    assert got == gold
    # every body line's words reach the body
    for n, label in gold.items():
        if label == "body":
            first_words = text.split("\n")[n - 1].replace("\\$", "$").split()[:3]
            assert " ".join(first_words).replace("**", "") in body


def test_synthetic_pages_exercise_other_outlets_boilerplate():
    reasons = set()
    for path in SYNTHETIC:
        reasons |= set(parse_annotated(path)[2].values())
    assert {"advertisement", "share", "promo", "sign-off", "footer", "caption", "credit",
            "related-links", "navigation", "byline", "dateline", "subheading"} <= reasons


def test_every_reason_is_from_the_vocabulary(seed_corpus):
    assert set(seed_corpus.removed.reason) <= set(REASONS)
    assert {p.reason for p in load_patterns()} <= set(REASONS)


def test_broken_wsws_sentences_are_rejoined(seed_corpus):
    doc = "wsws-2014-08-01"
    s = seed_corpus.sentences
    assert sentence_containing(s, doc, "About 90 advisers were gathering intelligence").text.endswith(
        '"for recommendations for a way ahead."')
    assert "If we can get a credible partner [in Iraq], then I think" in sentence_containing(
        s, doc, "If we can get a credible partner").text
    assert sentence_containing(s, doc, "Saudi Arabia and the Gulf States are deeply hostile").text.endswith(
        "regional rivalry with Iran.")


def test_rejoining_evidence():
    assert continues("Another 160 were running centres. About 90 advisers", "were gathering intelligence.")
    assert continues('General Martin Dempsey, declared last week: "If we can get a', "Credible partner")
    assert not continues("A bloody year", "For months, Iraq has been rocked by bomb blasts.")
    assert not continues("The deal was signed.", "The missiles arrive in March.")


def test_subheading_is_not_joined_to_the_next_paragraph():
    text = ("The navy ordered six boats on Monday, the ministry said.\n\nA long wait\n\n"
            "Border units have asked for boats since 2012.\n")
    cleaned = clean_document(text)
    assert cleaned.body == ("The navy ordered six boats on Monday, the ministry said.\n\n"
                            "Border units have asked for boats since 2012.")
    assert [(r.line, r.reason) for r in cleaned.removed] == [(3, "subheading")]


def test_short_sentences_and_odd_endings_stay_body():
    text = ('Navy buys boats\n\nThe minister spoke on Monday.\n\n"No."\n\nYes.\n\n'
            "Analysts said the boats could watch fishing grounds as well as smugglers. <b>x</b>\n")
    cleaned = clean_document(text)
    assert cleaned.body.split("\n\n") == [
        "The minister spoke on Monday.", '"No."', "Yes.",
        "Analysts said the boats could watch fishing grounds as well as smugglers. <b>x</b>"]
    assert [(r.line, r.reason) for r in cleaned.removed] == [(1, "title")]


def test_pages_without_blank_lines_and_hard_wrapped_paragraphs():
    no_blanks = ("Navy buys boats\nBy Jane Doe\nThe navy bought six boats on Monday, officials said.\n"
                 "He declined to comment.\nCritics want an inquiry\ninto the deal.\nPhoto: AP\n"
                 "Share this article")
    cleaned = clean_document(no_blanks)
    assert cleaned.body.split("\n\n") == [
        "The navy bought six boats on Monday, officials said.", "He declined to comment.",
        "Critics want an inquiry into the deal."]
    wrapped = ("The navy bought six boats on Monday, officials in the\nMinistry of Defence said, adding "
               "that the boats\nwould be delivered next year.\n\nPiracy rose by\n40 percent last year.")
    assert clean_document(wrapped).body == (
        "The navy bought six boats on Monday, officials in the Ministry of Defence said, adding that "
        "the boats would be delivered next year.\n\nPiracy rose by 40 percent last year.")


def test_markdown_escapes_and_links_are_undone(seed_corpus):
    body = seed_corpus.bodies["wsws-2014-08-01"]
    assert "The $700 million deal" in body and "\\$" not in body
    cleaned = clean_document("Officials paid \\$4.5 million for the **drones**, the [ministry](http://x.org/a) said.")
    assert cleaned.body == "Officials paid $4.5 million for the drones, the ministry said."


def test_standfirst_stays_and_subheadings_go(seed_corpus):
    s = seed_corpus.sentences
    sentence_containing(s, "usnews-2013-12-26", "Obama administration aims to help Iraq beat back")
    sentence_containing(s, "dw-2013-12-28", "The US government is concerned about al Qaeda")
    for doc, heading in [("dw-2013-12-28", "A bloody year"), ("dw-2013-12-28", "Armed drones for Iraq?"),
                         ("france24-2014-01-07", "‘Suffering at the hands of terrorists’")]:
        assert not (s[s.doc_id == doc].text.str.strip() == heading).any()


# Text no sentence of the seed corpus may contain: navigation, captions, credits, unrelated headlines.
NOT_BODY_FRAGMENTS = [
    "Skip to", "Go to homepage", "Read more", "Don't miss", "Image:", "Photo:", "Photo by",
    "Aviation Ordnancemen", "By + More", "Eritrea", "Theresa May", "Kramatorsk", "Ukraine",
    "DW's Top Story", "Latest update", "Date created", "Text by FRANCE 24", "[READ:", "[ALSO:",
    "To contact the WSWS", "More News", "msh/ph", "(FRANCE 24 with AFP)", "© afp", "Soldies man",
    "Nils Naumann", "Peter Symonds", "wsws.org",
]


def test_sentences_hold_no_navigation_caption_or_unrelated_headline(seed_corpus):
    texts = seed_corpus.sentences.text
    for fragment in NOT_BODY_FRAGMENTS:
        hits = texts[texts.str.contains(fragment, regex=False)]
        assert hits.empty, (fragment, hits.tolist())
    # and no removed line of the gold set turns up as a sentence
    removed = {text for lines in seed_gold().values() for lab, text in lines.values() if lab != "body"}
    assert not set(texts.str.strip()) & removed


def test_every_gold_body_line_reaches_the_sentences(seed_corpus):
    doc_of = {}
    with open(DATA_DIR / "corpus.csv", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            doc_of[Path(row["path"]).name] = row["doc_id"]
    for name, lines in seed_gold().items():
        joined = " ".join(seed_corpus.sentences[seed_corpus.sentences.doc_id == doc_of[name]].text)
        for lab, text in lines.values():
            if lab == "body":
                assert text.replace("\\$", "$")[:60] in joined, (name, text[:60])


def test_offsets_point_into_the_cleaned_body(seed_corpus):
    for row in seed_corpus.sentences.itertuples():
        assert seed_corpus.bodies[row.doc_id][row.start:row.end] == row.text
    assert len(seed_corpus.sentences) > 100


def test_removed_lines_are_numbered_as_in_the_file(seed_corpus):
    for row in seed_corpus.removed.itertuples():
        raw = seed_corpus.raw[row.doc_id].split("\n")
        assert raw[row.line - 1].strip() == row.text


def test_page_without_prose_keeps_its_lines():
    text = "Menu\n\nNavy buys boats\n\nSix boats for the coast guard\n"
    cleaned = clean_document(text)
    assert cleaned.body == "Navy buys boats\n\nSix boats for the coast guard"
    assert [(r.line, r.reason) for r in cleaned.removed] == [(1, "navigation")]


def test_pattern_file_examples_match_their_own_pattern():
    for pattern in load_patterns():
        assert pattern.example, f"row {pattern.row} has no example"
        assert pattern.regex.fullmatch(pattern.example), f"row {pattern.row}: {pattern.example!r}"


def test_first_matching_pattern_gives_the_reason():
    reason = {p.example: p.reason for p in load_patterns()}
    for line, expected in [("Image: Reuters", "credit"), ("msh/ph (AFP, AP, dpa)", "sign-off"),
                           ("Read more", "related-links"), ("[ALSO: Four lessons]", "promo")]:
        got = next(p.reason for p in load_patterns() if p.regex.fullmatch(line))
        assert got == expected, line
    assert reason["Advertisement"] == "advertisement"


# Body sentences that start like boilerplate; no pattern may take them.
LOOKALIKE_BODY = [
    "To contact the rebels, the army used radios.", "Voters must register for free by Friday.",
    "Copyright law was changed in 2012.", "Privacy policy changes drew criticism.",
    "This report was published by the UN in May.", "By Monday the army wanted:",
    "By contrast, the ministry said the boats were cheap.", "Save the Children said 20 children died.",
    "Reporting by the BBC showed that the deal was signed.", "Related costs rose by 40 percent.",
    "(The ministry did not respond to a request for comment.)",
]


@pytest.mark.parametrize("line", LOOKALIKE_BODY)
def test_body_sentences_that_look_like_boilerplate_are_not_matched(line):
    assert [p.row for p in load_patterns() if p.regex.fullmatch(line)] == []
    text = f"The navy ordered six boats on Monday, the ministry said.\n\n{line}\n\nThe boats arrive in May."
    assert line in clean_document(text).body


def test_a_bad_pattern_file_is_a_clear_error(tmp_path):
    bad = tmp_path / "patterns.csv"
    bad.write_text("reason,pattern,example\nnavigation,(unclosed,x\n", encoding="utf-8")
    with pytest.raises(NewslensError, match="line 2: bad pattern"):
        load_patterns(bad)
    bad.write_text("reason,pattern,example\nnonsense,x,x\n", encoding="utf-8")
    with pytest.raises(NewslensError, match="unknown reason 'nonsense'"):
        load_patterns(bad)



def _first_one_by_one(patterns, forms):
    return next((i for i, p in enumerate(patterns) if any(p.regex.fullmatch(f) for f in forms)), None)


def test_combined_patterns_find_the_first_matching_pattern(seed_corpus):
    patterns = load_patterns()
    matcher = _PatternMatcher(patterns)
    assert matcher.joinable
    lines = [line.strip() for text in seed_corpus.raw.values() for line in text.split("\n") if line.strip()]
    lines += [p.example for p in patterns] + LOOKALIKE_BODY
    found = [matcher.first((line,)) for line in lines]
    assert found == [_first_one_by_one(patterns, (line,)) for line in lines]
    assert sum(i is not None for i in found) > 60
    # two forms of a line (plain and raw): the earlier pattern wins, whichever form it matched
    assert matcher.first(("Read more", "Image: Reuters")) == _first_one_by_one(
        patterns, ("Read more", "Image: Reuters"))


def test_patterns_with_group_references_are_matched_one_by_one(tmp_path):
    path = tmp_path / "patterns.csv"
    path.write_text('reason,pattern,example\nshare,(?i)(share|tweet) \\1,Share share\n'
                    'promo,"(?x) watch \\s+ now  # a comment",watch now\n', encoding="utf-8")
    patterns = load_patterns(path)
    matcher = _PatternMatcher(patterns)
    assert not matcher.joinable
    assert [matcher.first((line,)) for line in ("Share share", "Share tweet", "watch  now")] == [0, None, 1]
    path.write_text('reason,pattern,example\npromo,"(?x) watch \\s+ now  # a comment",watch now\n'
                    'share,\\(?(?:share)\\)?,(share)\n', encoding="utf-8")
    matcher = _PatternMatcher(load_patterns(path))
    assert matcher.joinable      # "\(?(" is an escaped bracket, not a conditional
    assert [matcher.first((line,)) for line in ("watch \t now", "(share)", "share it")] == [0, 1, None]
    assert [_refers_to_groups(s) for s in (r"(a)\1", r"(?P<a>x)(?P=a)", r"(a)?(?(1)b|c)", r"\\1",
                                            r"\\\1", r"\(?(?:x)")] == [True, True, True, False, True, False]


def test_prefilters_only_for_patterns_that_scan_the_line():
    by_row = {p.row: p for p in load_patterns()}
    footer = _prefilter(by_row[37].regex)        # (?i).{0,100}\ball rights reserved\b.{0,60}
    assert footer.literals == ("all rights reserved",) and footer.ignorecase
    assert _prefilter(by_row[35].regex).literals == ("contributed ",)   # [A-Z].{0,150}?\bcontributed ...
    # .{3,400}?(?:[Pp]hotograph|[Pp]hoto|PHOTO|[Ii]mage|...)s?\s*: ... : one literal beats seven
    assert _prefilter(by_row[25].regex).literals == (":",)
    assert _prefilter(by_row[6].regex) is None       # (?i)(?:read|see|...) more: fails on its first letters
    assert _prefilter(re.compile(r".{0,9}(?:ab|c)")).literals == ("ab", "c")
    assert _prefilter(re.compile(r".{0,9}(?:ab|cd)x+")).literals == ("x",)     # one literal beats two
    assert _prefilter(re.compile(r".{0,9}(?:ab|c?)")) is None      # no literal every match holds


def test_prefilter_hands_non_ascii_lines_to_the_engine():
    footer = _prefilter(re.compile(r"(?i).{0,100}\ball rights reserved\b.{0,60}"))
    assert footer.may_match("Copyright 2014. ALL RIGHTS RESERVED.")
    assert not footer.may_match("The rights of detainees were not reserved.")
    # the engine folds "ſ" (long s) to "s"; lower-casing does not: a non-ASCII line is never filtered
    line = "© 2014 all rightſ reserved"
    assert re.fullmatch(r"(?i).{0,100}\ball rights reserved\b.{0,60}", line)
    assert footer.may_match(line)
    patterns = load_patterns()
    assert _PatternMatcher(patterns).first((line,)) == _first_one_by_one(patterns, (line,))


def test_only_four_characters_fold_to_ascii_under_ignorecase():
    """The prefilter lower-cases a non-ASCII line unless it holds one of these: check no other code
    point matches an ASCII character under IGNORECASE."""
    import sys

    from newslens.corpus.boilerplate import FOLDS_TO_ASCII

    ascii_ignorecase = re.compile("[ -~]", re.IGNORECASE)
    folding = {chr(cp) for cp in range(0x80, sys.maxunicode + 1) if ascii_ignorecase.fullmatch(chr(cp))}
    assert folding == set(FOLDS_TO_ASCII)


def test_prefilter_filters_non_ascii_lines_without_those_characters():
    footer = _prefilter(re.compile(r"(?i).{0,100}\ball rights reserved\b.{0,60}"))
    assert not footer.may_match("The “rights” of detainees were not reserved, the ministry said.")
    assert footer.may_match("© 2014 Zürich Verlag. ALL RIGHTS RESERVED.")
    assert footer.may_match("© 2014 all rıghts reserved")         # dotless i: the engine decides
    assert re.fullmatch(r"(?i).{0,100}\ball rights reserved\b.{0,60}", "© 2014 all rıghts reserved")


def test_ends_sentence_is_the_terminal_pattern(seed_corpus):
    lines = [line for text in seed_corpus.raw.values() for line in text.split("\n")]
    lines += ["Yes.", '"No."', "Really?!”", "So…", "(Sent.)", "Yes. )", "U.S", "", "  .  ", "wait ]", "»"]
    for line in lines:
        assert ends_sentence(line) == bool(_TERMINAL.search(line.strip())), line
