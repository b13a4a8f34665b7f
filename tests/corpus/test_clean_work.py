"""Cleaning's work: which boilerplate patterns a line is handed to (read from the patterns' structure),
and linear time on hostile lines (markdown scans counted, not timed). The speed itself is measured by
`python -m newslens.commands.bench_clean`, not here."""
from __future__ import annotations

import re

import pytest

from newslens.corpus.clean import _PatternMatcher, clean_document, load_patterns


def _first_one_by_one(patterns, forms):
    return next((i for i, p in enumerate(patterns) if any(p.regex.fullmatch(f) for f in forms)), None)



LONG_PROSE = ("The ministry said on Monday that the six patrol boats ordered last year would arrive "
              "in the spring, and that the navy would train their crews at the northern base before "
              "the boats start to patrol the coast, according to two officials who spoke to reporters.")


def test_a_long_prose_line_is_not_handed_to_patterns_that_cannot_match_it(tmp_path):
    path = tmp_path / "patterns.csv"
    path.write_text(
        "reason,pattern,example\n"
        "related-links,(?i)read more,Read more\n"                                  # must begin with r
        'credit,"[A-Z][^!?]{1,80}(?<![.!?])",Image: Reuters\n'                     # cannot end with "."
        'caption,".{3,400}?[Pp]hoto\\s*:\\s*[^!?]{1,80}(?<![.!?])",Boats Photo: AP\n'  # scans; no "."
        'footer,"(?i).{0,100}\\ball rights reserved\\b.{0,60}",All rights reserved\n'  # at most 179 chars
        "byline,(?:By|BY) [A-Z]\\w+,By Jane\n", encoding="utf-8")
    patterns = load_patterns(path)
    matcher = _PatternMatcher(patterns)
    assert len(LONG_PROSE) > 179
    assert matcher._plan(LONG_PROSE).candidates == ()       # no regex runs on this line
    assert matcher.first((LONG_PROSE,)) is None
    # each line still meets the first pattern that matches it
    for line in [p.example for p in patterns] + ["Jane said so, all rights reserved.", "By Jane."]:
        assert matcher.first((line,)) == _first_one_by_one(patterns, (line,)), line
    # "Read more": not the caption (at least 10 characters), the footer (19) or the byline (B...)
    assert matcher._plan("Read more").candidates == (0, 1)
    # ends with a full stop: only the footer, whose last characters are any (.{0,60})
    assert matcher._plan("Jane said so, all rights reserved.").candidates == (3,)


def test_real_patterns_hand_a_prose_line_to_few_of_them():
    patterns = load_patterns()
    candidates = _PatternMatcher(patterns)._plan(LONG_PROSE).candidates
    assert len(candidates) <= 3 < len(patterns)
    assert _first_one_by_one(patterns, (LONG_PROSE,)) is None


def test_edge_character_tests_are_read_from_the_pattern():
    from newslens.textkit.textgate import edge_char_test

    def edges(source, flags=0):
        first, last = (edge_char_test(re.compile(source, flags), last=end) for end in (False, True))
        probe = "aAkK\u212a.!?,: 1_\u00e9"
        return ("".join(c for c in probe if first is None or first.fullmatch(c)),
                "".join(c for c in probe if last is None or last.fullmatch(c)))

    assert edges(r"(?i)k\w*") == ("kK\u212a", "aAkK\u212a1_\u00e9")       # Kelvin sign folds to k
    assert edges(r"(?a)k\w*") == ("k", "aAkK1_")                          # (?a): \w is ASCII
    assert edges(r"(?:ab)?[A-Z][^!?]{1,80}(?<![.!?])") == ("aAK", "aAkK\u212a,: 1_\u00e9")
    assert edges(r"(?!k)\w+") == ("aAK\u212a1_\u00e9", "aAkK\u212a1_\u00e9")
    assert edges(r"x?") == ("", "")           # only "x" can begin or end a non-empty match
    assert edge_char_test(re.compile(r"(a)\1")) is not None       # "a" begins it
    assert edge_char_test(re.compile(r"(a)\1"), last=True) is None   # a back-reference ends it
    assert edge_char_test(re.compile(rb"ab")) is None


def test_edge_tests_agree_with_every_pattern_on_seed_lines_and_examples(seed_corpus):
    from newslens.textkit.textgate import edge_char_test

    lines = [line.strip() for text in seed_corpus.raw.values() for line in text.split("\n") if line.strip()]
    for pattern in load_patterns():
        first, last = edge_char_test(pattern.regex), edge_char_test(pattern.regex, last=True)
        for line in lines + [pattern.example]:
            if pattern.regex.fullmatch(line):
                assert first is None or first.fullmatch(line[0]), (pattern.row, line)
                assert last is None or last.fullmatch(line[-1]), (pattern.row, line)


def test_markdown_scans_equal_their_regexes():
    import random

    from newslens.corpus import markdown

    rng = random.Random(7)
    pieces = ["*", "_", "**", "__", "[", "]", "](", "(", ")", "!", " ", "\t", "\n", "a", "b", "\u00a0"]
    for _ in range(20000):
        s = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 14)))
        assert markdown._unlink(s) == markdown._MD_LINK.sub(r"\1", s), s
        assert markdown._unstrong(s) == markdown._MD_STRONG.sub(r"\2", s), s
    assert markdown.unescape_markdown("**Iran** said ![a photo](x.jpg) [the deal](u) costs \\$7") \
        == "Iran said a photo the deal costs $7"


class _CountingStr(str):
    """A string that counts the calls of `find` on it (the scans' only way to move along a line)."""
    finds = 0

    def find(self, *args):
        _CountingStr.finds += 1
        return super().find(*args)


@pytest.mark.parametrize("unit", ["**a ", "[a ", "__a **b "])
def test_markdown_scans_are_linear_on_unclosed_openers(unit):
    from newslens.corpus import markdown

    for scan in (markdown._unstrong, markdown._unlink):
        for n in (1000, 4000):
            _CountingStr.finds = 0
            line = _CountingStr(unit * n + "](x")
            scan(line)
            assert _CountingStr.finds <= 3 * n + 10   # the regexes retried each opener to the line's end


def test_hostile_lines_are_cleaned_by_the_usual_rules():
    shouting = "The army said " + "!" * 5000 + "x"       # its last word: a long run of punctuation
    unclosed = ("**a " * 3000).strip()                    # 3000 openers of strong emphasis, none closed
    text = f"Navy buys boats\n\n{shouting}\nAnd more.\n\n{unclosed}\n\nThe end."
    cleaned = clean_document(text)
    assert [(r.line, r.reason) for r in cleaned.removed] == [(1, "title"), (3, "header")]
    assert cleaned.body == f"And more.\n\n{unclosed} The end."     # 3000 words run on


def test_word_count_shortcut_and_character_classes_hold_for_every_code_point():
    """_word_count trusts isprintable() to rule out every blank but " "; the scans trust isspace()
    and isalnum() to be re's \\s and \\w."""
    import sys

    from newslens.corpus.clean import _word_count, _without_trailing_non_word

    space, word = re.compile(r"\s"), re.compile(r"\w")
    for cp in range(sys.maxunicode + 1):
        c = chr(cp)
        assert not (c.isspace() and c.isprintable()) or c == " "
        assert c.isspace() == bool(space.match(c)) and (c.isalnum() or c == "_") == bool(word.match(c))
    for text in ["a", "a b", "a  b", "a\tb", "a\u00a0b", "a\u2028b", "a \x1f b", "“Yes,” she said."]:
        assert _word_count(text) == len(text.split()), text
    for word_ in ["the,", "of…”", "a_", "–", "x!!!"]:
        assert _without_trailing_non_word(word_) == re.sub(r"\W+$", "", word_)


def test_date_lines_longer_than_the_gate_are_never_dates():
    from newslens.corpus.clean import _MAX_DATE_LINE_CHARS
    from newslens.corpus.metadata import parse_date_line

    for pad in range(0, 120):
        line = "Published on:" + " " * pad + "December 28, 2013"
        if parse_date_line(line):
            assert len(line) <= _MAX_DATE_LINE_CHARS
    assert parse_date_line("Published on:" + " " * (_MAX_DATE_LINE_CHARS - 30) + "December 28, 2013")
