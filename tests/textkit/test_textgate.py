"""textgate: the premises the gates rest on, checked against every code point, and the gates on seed text."""
import re
import sys

import pytest

from newslens.textkit.textgate import (
    IGNORECASE_ASCII_TWINS, MONTH_STEMS, ascii_tokens, ascii_words, contains_any, for_lowered, has_digit,
    lowered,
)

ALL_CHARS = [chr(c) for c in range(sys.maxunicode + 1) if not 0xD800 <= c <= 0xDFFF]


def test_twins_are_exactly_the_non_ascii_chars_that_ignorecase_matches_to_an_ascii_letter():
    letter = re.compile("[a-z]", re.IGNORECASE)
    found = {c for c in ALL_CHARS if not c.isascii() and letter.match(c)}
    assert found == set(IGNORECASE_ASCII_TWINS)
    for c, ascii_letter in IGNORECASE_ASCII_TWINS.items():
        assert re.fullmatch(ascii_letter, c, re.IGNORECASE)


def test_lowered_keeps_length_word_chars_and_what_ascii_letters_match():
    any_letter, word = re.compile("[a-z]", re.IGNORECASE), re.compile(r"\w")
    for c in ALL_CHARS:
        low = lowered(c)
        assert len(low) == 1, hex(ord(c))
        # an ASCII letter after lowering exactly when an IGNORECASE pattern of that letter matches c
        is_ascii_letter = low.isascii() and low.isalpha()
        assert is_ascii_letter == bool(any_letter.match(c)), hex(ord(c))
        if is_ascii_letter:
            assert re.fullmatch(low, c, re.IGNORECASE), hex(ord(c))
        assert bool(word.match(c)) == bool(word.match(low)), hex(ord(c))  # \b falls where it fell


def test_gates_on_seed_sentences():
    text = "The US has shipped 75 Hellfire missiles to Iraq, with ten more due in March, officials said on Monday."
    low = lowered(text)
    assert has_digit(text) and not has_digit("ten more due in March")
    assert contains_any(low, MONTH_STEMS) and not contains_any(lowered("Officials said so."), MONTH_STEMS)
    assert "ten" in ascii_words(low) and "hellfire" in ascii_words(low)
    assert lowered("STAN\u0130SLAV \u212aIEV") == "stanislav kiev"


def test_for_lowered_finds_the_same_matches_as_the_ignorecase_pattern():
    pattern = re.compile(r"\b(?:notified Congress|(?P<verb>deliver(?:ed|s)?))\b(?!\S*X)", re.IGNORECASE)
    fast = for_lowered(pattern)
    assert fast.pattern == r"\b(?:notified congress|(?P<verb>deliver(?:ed|s)?))\b(?!\S*x)"
    text = "The Pentagon NOTIFIED CONGRESS; Washington Delivered 75 Hellfire missiles, STANİSLAV said."
    assert [m.span() for m in fast.finditer(lowered(text))] == [m.span() for m in pattern.finditer(text)]
    with pytest.raises(ValueError):
        for_lowered(re.compile("May"))  # case-sensitive: it must keep reading the original text
    with pytest.raises(ValueError):
        for_lowered(re.compile(r"\x41", re.IGNORECASE))


def test_ascii_tokens():
    assert ascii_tokens(lowered("Iraq's 36 F-16IQ jets")) == ["iraq", "s", "36", "f", "16iq", "jets"]


def test_unshouted_reads_a_sentence_in_capitals_and_leaves_other_text_alone():
    from newslens.textkit.textgate import unshouted

    caps = "IRAQ RECEIVED 75 HELLFIRE MISSILES FROM THE U.S. ON DEC. 20 (AP)."
    assert unshouted(caps) == "Iraq Received 75 Hellfire Missiles From The U.S. On Dec. 20 (Ap)."
    assert unshouted(caps, "lower") == caps.lower()
    assert len(unshouted("İSTANBUL AND ANKARA AGREED")) == len("İSTANBUL AND ANKARA AGREED")  # offsets kept
    for text in ("Iraq received 75 Hellfire missiles.", "NATO AND UN", "F-16 TO IRAQ", "75 100", ""):
        assert unshouted(text) == text  # mixed case, or too few words to call it shouting


def test_literal_stems_read_the_literal_start_of_every_alternative():
    from newslens.textkit.textgate import literal_stems

    pattern = re.compile(r"(?<![\w-])(?:(?:still )?await(?:ing)? approval|green[- ]light|ask(?:ed)? for|"
                         r"(?:is|are) (?:also )?included)(?![\w-])", re.IGNORECASE)
    # "still await approval" holds "await approval": the shorter stem is the test
    assert literal_stems(pattern) == ("are also included", "are included", "ask for", "asked for", "await approval",
                                      "awaiting approval", "green", "is also included", "is included")
    assert literal_stems(re.compile(r"\d+ (?:missiles|jets)")) is None  # starts with a class: unknown
    assert literal_stems(re.compile(r"to|from")) is None  # "to" is too short to be worth a test
    # the necessary condition on invented sentences, matched or not
    for text in ("Kyiv is still AWAITING approval for the jets.", "The jets are included in the deal.",
                 "They asked for more.", "Nothing was said.", "A green-light decision is due."):
        found = pattern.search(text) is not None
        assert not found or contains_any(lowered(text), literal_stems(pattern)), text


def test_word_start_gate_names_the_first_letters_of_the_word_a_match_starts():
    from newslens.textkit.textgate import word_start_gate, word_starts

    pattern = re.compile(r"(?<![\w-])(?:deliver(?:ed|s)?|go-ahead|to be sent)(?![\w-])", re.IGNORECASE)
    assert word_start_gate(pattern) == frozenset({"del", "go", "to"})
    assert word_starts(lowered("Berlin DELIVERED a go-ahead.")) == frozenset({"ber", "del", "a", "go", "ahe"})
    assert word_start_gate(re.compile(r"deliver", re.IGNORECASE)) is None  # may start inside a word
    assert word_start_gate(re.compile(r"\bto\w+")) is None  # "to" may begin "tomorrow": unknown letters
    for text in ("Berlin delivered tanks.", "Tanks were undelivered.", "It got the GO-AHEAD.", "Ten to be sent.",
                 "Today it was sent.", "Nothing happened."):
        found = pattern.search(text) is not None
        assert found == (not word_start_gate(pattern).isdisjoint(word_starts(lowered(text)))
                         and pattern.search(text) is not None), text
        assert not found or not word_start_gate(pattern).isdisjoint(word_starts(lowered(text))), text
