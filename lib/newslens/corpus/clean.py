"""Cleaning: separate an article's body from the scraped page around it, and say why each line went.

    clean_document(text, title=None) -> Cleaned(body, removed)

`body` is the article text, paragraphs separated by a blank line; `removed` lists every non-blank
input line that is not in the body, with its 1-based line number and a reason from `REASONS`.
A reader can audit the cleaning line by line (`corpus.removed`, `removed.csv`).

The rules, applied in this order (each only labels lines no earlier rule labelled):

1. line-pattern    A whole line (of at most 500 characters) matches a boilerplate pattern from
                   `data/boilerplate_patterns.csv` (navigation, "Read more", "[READ: ...]",
                   "Image: Reuters", "... Photo: X", "By ...", "Text by ...", "(FRANCE 24 with
                   AFP)", "To contact ...", a line that is only a link, ...) or is only a date stamp ("Latest update : 2014-01-07",
                   "December 28, 2013"; see `metadata.parse_date_line`). The file's `reason` column
                   names the reason; users extend the file for their outlets without touching code.
                   A line that runs on into a next line starting lower-case is a broken sentence, not
                   boilerplate, and is never matched.
2. title           A line equal to the manifest's title (case, punctuation and markdown ignored).
3. link-list       A link label ("Read more") that recurs, or any short unpunctuated line that occurs
                   three times or more, marks a list of links: the label and up to two short lines
                   not ending with a full stop just before each occurrence (the linked headline and its
                   kicker) are "related-links"; so are bare links listed under a related-links line.
4. caption-beside-credit  In a page that separates paragraphs with blank lines, a line written
                   directly above a bare credit line ("Image: Reuters") is that photo's caption.
5. caption-above-byline   ... and a descriptive sentence written directly above a byline is the
                   caption of the lead photo (the standard headline / photo / byline page head).
6. byline-beside-date     A name-like line ("Peter Symonds") directly above or below a date line.
7. prose           A body candidate: a line ending with sentence punctuation ("Yes." included), a
                   line that evidently runs on (see `continues`), or a last line of long prose that
                   ends oddly. A question of six words or fewer that is not a quotation is not prose
                   ("Armed drones for Iraq?" is a subheading).
8. footer-cut      A sign-off, footer, navigation or related-links line after which little prose
                   remains (under 15% of the words before it) ends the article: everything after it
                   is removed, prose-looking teasers included.
9. header          Lines before the first body candidate: a menu (three or more short lines written
                   one under the other: "Home" / "News" / "Sport") is "navigation"; then the title
                   (when no line matched the manifest title: the first markdown heading, else the
                   first line of three words or more), a "section-label" (a line of at most three
                   words just above the title), else "header".
10. tail           Lines after the last body candidate: "related-links" after a related-links line,
                   else "footer".
11. subheading     A non-prose line between body paragraphs: up to 12 words (or a markdown heading)
                   is a "subheading"; a longer unpunctuated line standing alone is a "caption".
12. rejoin         A body paragraph that does not end with sentence punctuation is joined to the
                   next body paragraph when it evidently runs on: the next one starts lower-case, or
                   this one ends with a comma/colon/dash or a function word ("a", "the", "of"), leaves
                   a quotation open, is 20 words or longer, or holds a full sentence already. Markdown
                   escapes (`\\$700`), emphasis and links are undone in the body.

Decisions:
- Standfirsts and ledes ("Obama administration aims to help Iraq beat back growing terrorism.") are
  the outlet's own words about the story, so they stay in the body.
- Subheadings inside the article ("A bloody year", "‘Suffering at the hands of terrorists’",
  "Armed drones for Iraq?") are editorial signposts, not sentences of the report: removed with
  reason "subheading" so they do not count as sentences.
- If no line of a document looks like prose, nothing is thrown away on structural grounds: every line
  that no pattern matched is kept as body.

Known limits: a related-links heading or navigation line inside the last 15% of an article ends it,
so a short final paragraph after an inline "Related" box is removed (as "footer" or "related-links",
visible in removed.csv); teaser sentences after a related-links heading that sits earlier than that
stay in the body. Hard-wrapped text (one paragraph spread over several lines with no blank line
between) is re-joined only where the evidence of rule 12 holds; a photo caption with no credit and no
punctuation that stands between body paragraphs is removed only when it is longer than 12 words
(otherwise it reads as a subheading, and is removed as one).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from newslens.core.gcpause import paused_gc
from newslens.corpus.boilerplate import (  # noqa: F401  (REASONS, load_patterns and the matcher
    PATTERNS_FILE, REASONS, BoilerplatePattern, _PatternMatcher, _prefilter,   # are part of this
    _refers_to_groups, _matcher_for, load_patterns,                           # module's interface)
)
from newslens.corpus.markdown import needs_plain, plain_line, unescape_markdown
from newslens.corpus.metadata import parse_date_line

# Reasons that, after the body has begun, may mark the end of the article (rule 8).
_END_MARKERS = {"sign-off", "footer", "related-links", "navigation"}
_FOOTER_CUT_SHARE = 0.15
_MAX_SUBHEADING_WORDS = 12
_MAX_SHORT_QUESTION_WORDS = 6
_MAX_LINK_LABEL_WORDS = 5
_MAX_HEADLINE_WORDS = 25
_LONG_RUN_ON_WORDS = 20
_MIN_CAPTION_WORDS = 8
_MAX_CAPTION_WORDS = 60
_MAX_SECTION_LABEL_WORDS = 3
_MIN_BLANK_SEPARATED_SHARE = 0.5
_MAX_BOILERPLATE_CHARS = 500
_MAX_MENU_ITEM_WORDS = 3
_MIN_MENU_LINES = 3

_BLANK_RUN = re.compile(r"[ \t]+")
# What ends a sentence (the definition; `ends_sentence` tests it from the end of the line, faster)
_TERMINAL = re.compile(r"[.!?…][\"'”’»)\]]*$")
_SENTENCE_END = ".!?…"
_CLOSERS = "\"'”’»)]"
_PERIOD_END = re.compile(r"[.…][\"'”’»)\]]*$")
_QUESTION = re.compile(r"\?[\"'”’»)\]]*$")
# A sentence ends inside the line: a word, its full stop, then a capital or a symbol ("<", "(").
_INTERNAL_SENTENCE_END = re.compile(r"(?:\w[.!?][\"'”’)]*\s+[\"“‘']?[A-Z]|[a-z]{2}[.!?][\"'”’)]*\s+[^\w\s])")
# Ends mid-sentence: a comma, colon, dash or an opening bracket/quote (a straight '"' is ambiguous;
# an unclosed one is caught by counting).
_RUN_ON_END = re.compile(r"[,;:–—\-(\[“‘]$")
_OPENING_QUOTE = re.compile(r"^[\"“‘'«]")
_NAME_LIKE = re.compile(
    r"[A-ZÀ-Ý][\w’'.-]*(?:\s+(?:[A-ZÀ-Ý][\w’'.-]*|and|&|de|del|van|von|der|den|al|bin|da|di|le|la))"
    r"{0,5}"
)
FUNCTION_WORDS = frozenset("""
a an the and or but nor of to in on at for with by from as that which who whom whose than if
is are was were be been being has have had will would could should can may might must its their
his her our your my this these those about into over under after before between not no so while
when where because although though whether against during without within among upon per via
""".split())


@dataclass(frozen=True)
class Removed:
    line: int
    text: str
    reason: str


@dataclass
class Cleaned:
    body: str
    removed: list[Removed] = field(default_factory=list)



@dataclass(slots=True)
class _Line:
    n: int            # 1-based line number in the input
    raw: str          # the line as written, stripped
    text: str         # plain text for matching: markdown and list markers removed
    heading: bool     # a markdown heading ("# ...")
    reason: str | None = None
    prose: bool = False

    words: int = 0    # words of `text`, counted once when the line is read
    ends: bool = False  # `text` ends with sentence punctuation (ends_sentence), tested once
    marked: bool = True  # `raw` may hold markdown escapes or emphasis (markdown.needs_plain)


_NON_WORD_RUN = re.compile(r"[\W_]+")


def _normalized(text: str) -> str:
    return _NON_WORD_RUN.sub(" ", text.lower()).strip()


def _starts_lower(text: str) -> bool:
    """A paragraph starting in lower case ("were gathering ...") but not a brand ("iPhone")."""
    t = text.lstrip("\"“‘'([")
    return len(t) > 1 and t[0].islower() and not t[1].isupper()


def _open_quote(text: str) -> bool:
    return text.count('"') % 2 == 1 or text.count("“") > text.count("”")


def ends_sentence(text: str) -> bool:
    """The line ends with sentence punctuation, closing quotes or brackets allowed after it (what
    `_TERMINAL` matches, tested from the end instead of scanning the whole line)."""
    text = text.strip().rstrip(_CLOSERS)
    return bool(text) and text[-1] in _SENTENCE_END


def continues(text: str, next_text: str | None) -> bool:
    """Evidence that `text` (a line without final punctuation) runs on into `next_text`."""
    text = text.strip()
    if not text or ends_sentence(text):
        # a sentence that ends and a paragraph that starts lower-case: a quotation or sentence split
        return bool(next_text) and _starts_lower(next_text)
    if next_text is None:
        return False
    if _starts_lower(next_text) or _long_prose(text):
        return True
    last = _without_trailing_non_word(text.split()[-1].lower())
    return bool(_RUN_ON_END.search(text) or last in FUNCTION_WORDS or _open_quote(text))


def _without_trailing_non_word(word: str) -> str:
    """re.sub(r"\\W+$", "", word) in linear time (the regex retries every start of a long run of
    punctuation): a word character is what `str.isalnum` accepts, or "_" (as in re, tested)."""
    end = len(word)
    while end and not (word[end - 1].isalnum() or word[end - 1] == "_"):
        end -= 1
    return word[:end]


def _long_prose(text: str) -> bool:
    """Prose whatever its last character: 20 words or more, or a full sentence already inside."""
    words = text.split()
    return len(words) >= _LONG_RUN_ON_WORDS or (
        len(words) >= 10 and bool(_INTERNAL_SENTENCE_END.search(text)))


def _is_prose(line: _Line, next_line: _Line | None) -> bool:
    text = line.text
    if line.heading:
        return False
    if line.ends:
        # "Yes." and '"No."' are sentences; a short unquoted question is a subheading
        return not (_QUESTION.search(text) and line.words <= _MAX_SHORT_QUESTION_WORDS
                    and not _OPENING_QUOTE.match(text))
    if next_line is None or line.words < 2:
        return _long_prose(text)   # nothing to run on into: only long prose counts
    return continues(text, next_line.text)


def clean_document(text: str, title: str | None = None, patterns=None) -> Cleaned:
    """Split a scraped page into the article body and the removed lines (see the module docstring).
    Linear in the length of the text: every rule is one or two passes over the lines."""
    patterns = load_patterns() if patterns is None else patterns
    # an object per line and no reference cycles: the cycle collector would only walk them again and
    # again as they are made (see gcpause; a fifth of the time on a 40 MB page)
    with paused_gc():
        return _clean(text, title, patterns)


def _clean(text: str, title: str | None, patterns) -> Cleaned:
    lines = _read_lines(text)
    if not lines:
        return Cleaned(body="", removed=[])
    _match_patterns(lines, patterns)                 # 1. line-pattern
    _mark_title(lines, title)                        # 2. title
    _mark_link_lists(lines)                          # 3. link-list
    if _blank_separated(lines):
        _mark_captions_and_bylines(lines)            # 4-6.
    for i, line in enumerate(lines):                 # 7. prose
        line.prose = line.reason is None and _is_prose(line, _next_of(lines, i))
    if not any(line.prose for line in lines):
        for line in lines:
            line.prose = line.reason is None
        return _assemble(lines)
    _cut_footer(lines)                               # 8. footer-cut
    candidates = [i for i, line in enumerate(lines) if line.prose]
    first, last = candidates[0], candidates[-1]
    _label_header(lines[:first])                     # 9. header
    _label_tail(lines[last + 1:])                    # 10. tail
    for line in lines[first:last + 1]:               # 11. subheading
        if line.reason is None and not line.prose:
            line.reason = ("subheading" if line.heading or line.words <= _MAX_SUBHEADING_WORDS
                           else "caption")
    return _assemble(lines)                          # 12. rejoin (in _assemble)


def _read_lines(text: str) -> list[_Line]:
    """The non-blank lines of a text, with their 1-based numbers and plain (markdown-free) text."""
    lines: list[_Line] = []
    append = lines.append
    for n, raw in enumerate(text.split("\n"), start=1):
        stripped = raw.strip()
        if not stripped:
            continue
        marked = needs_plain(stripped)
        if marked:
            plain, heading = plain_line(stripped)
            text = plain or stripped
        else:     # nothing for plain_line to remove: the line is its own plain text
            text, heading = stripped, False
        end = text.rstrip(_CLOSERS)     # ends_sentence(text), text being stripped already
        append(_Line(n, stripped, text, heading, None, False, _word_count(text),
                     bool(end) and end[-1] in _SENTENCE_END, marked))
    return lines


def _word_count(text: str) -> int:
    """len(text.split()) of a stripped, non-empty text, without building the list of words when
    single spaces are its only whitespace (`isprintable` is False for every other character that
    `split` splits on; tests/corpus/test_clean_work.py checks every code point)."""
    if "  " not in text and text.isprintable():
        return text.count(" ") + 1
    return len(text.split())


def _next_of(lines: list[_Line], i: int) -> _Line | None:
    return lines[i + 1] if i + 1 < len(lines) else None


# parse_date_line reads no line longer than this once "*", "_" and blanks are stripped from its ends
# (a test checks the two agree): a longer line that does not start or end with them is no date line.
_MAX_DATE_LINE_CHARS = 80


def _match_patterns(lines: list[_Line], patterns) -> None:
    """Rule 1: a date line, or the reason of the first boilerplate pattern matching the whole line."""
    first_match = _matcher_for(patterns).first
    after = lines[1:] + [None]
    for line, nxt in zip(lines, after):
        if len(line.raw) > _MAX_BOILERPLATE_CHARS:
            continue  # a long paragraph is never page furniture (and would only slow the patterns)
        if not line.ends and nxt and _starts_lower(nxt.text):
            continue  # a broken sentence, not boilerplate
        text = line.text
        if (len(text) <= _MAX_DATE_LINE_CHARS or text[0] in "*_" or text[-1] in "*_") \
                and parse_date_line(text):
            line.reason = "dateline"
            continue
        first = first_match((text,) if text == line.raw else (text, line.raw))
        if first is not None:
            line.reason = patterns[first].reason


def _mark_title(lines: list[_Line], title: str | None) -> None:
    """Rule 2: lines equal to the manifest's title."""
    title_key = _normalized(unescape_markdown(title)) if title else ""
    if not title_key:
        return
    # A line equal to the title holds the title's longest word: a substring test spares most
    # lines the normalisation.
    longest = max(title_key.split(" "), key=len)
    for line in lines:
        if line.reason is None and longest in line.text.lower() and _normalized(line.text) == title_key:
            line.reason = "title"


def _mark_captions_and_bylines(lines: list[_Line]) -> None:
    """Rules 4-6, in a page whose paragraphs stand between blank lines: captions and bylines
    written next to a credit, byline or date line."""
    by_number = {line.n: line for line in lines}
    for line in lines:
        above = by_number.get(line.n - 1)
        below = by_number.get(line.n + 1)
        if line.reason == "credit" and above and above.reason is None \
                and above.words <= _MAX_CAPTION_WORDS:
            above.reason = "caption"                                    # 4
        if line.reason == "byline" and above and above.reason is None \
                and above.ends and above.words >= _MIN_CAPTION_WORDS \
                and above.words <= _MAX_CAPTION_WORDS:
            above.reason = "caption"                                    # 5
        if line.reason == "dateline":
            for near in (above, below):                                 # 6
                if near and near.reason is None and not near.ends \
                        and _NAME_LIKE.fullmatch(near.text):
                    near.reason = "byline"


def _cut_footer(lines: list[_Line]) -> None:
    """Rule 8: an end marker after which under 15% of the prose words remain ends the article."""
    first = next(i for i, line in enumerate(lines) if line.prose)
    words_at = [line.words if line.prose else 0 for line in lines]
    total = sum(words_at)
    before = 0
    for i, line in enumerate(lines):
        if line.reason in _END_MARKERS and i > first and before > 0 \
                and total - before - words_at[i] <= _FOOTER_CUT_SHARE * before:
            for later in lines[i + 1:]:
                later.prose = False
            return
        before += words_at[i]


def _label_tail(tail: list[_Line]) -> None:
    """Rule 10: lines after the last body candidate."""
    after_related = False
    for line in tail:
        if line.reason == "related-links":
            after_related = True
        elif line.reason is None:
            line.reason = "related-links" if after_related else "footer"


def _blank_separated(lines: list[_Line]) -> bool:
    """True when most lines of eight words or more stand alone between blank lines, as the
    paragraphs of a scraped page do (then a line glued to a credit or byline belongs to it)."""
    numbers = {line.n for line in lines}
    long_lines = [line for line in lines if line.words >= _MIN_CAPTION_WORDS]
    if not long_lines:
        return False
    alone = sum(1 for line in long_lines if line.n + 1 not in numbers and line.n - 1 not in numbers)
    return alone / len(long_lines) >= _MIN_BLANK_SEPARATED_SHARE


def _mark_link_lists(lines: list[_Line]) -> None:
    # the normalised text of each possible label (short, unpunctuated), computed once per line
    keys = [_normalized(line.text) if line.words <= _MAX_LINK_LABEL_WORDS and not line.ends else None
            for line in lines]
    counts: dict[str, int] = {}
    for key in keys:
        if key is not None:
            counts[key] = counts.get(key, 0) + 1

    def is_label(i: int) -> bool:
        if keys[i] is None:
            return False
        n, reason = counts[keys[i]], lines[i].reason
        return (reason == "related-links" and n >= 2) or (reason is None and n >= 3)

    # Items of a list that are bare links follow their heading ("## Related" / "* [headline](url)").
    # Indices, not slices: a slice of the lines after (or before) each label would copy the rest of
    # the document every time, quadratic in its length.
    n = len(lines)
    for i, line in enumerate(lines):
        if line.reason == "related-links":
            j = i + 1
            while j < n and lines[j].reason == "link":
                lines[j].reason = "related-links"
                j += 1

    for i, line in enumerate(lines):
        if not is_label(i):
            continue
        line.reason = "related-links"
        taken, j = 0, i - 1
        while j >= 0 and taken < 2:
            prev = lines[j]
            # headlines may end with "?" or "!", never with a full stop
            if prev.reason is not None or is_label(j) \
                    or _PERIOD_END.search(prev.text) or prev.words > _MAX_HEADLINE_WORDS:
                break
            prev.reason = "related-links"
            taken += 1
            j -= 1


def _label_menus(header: list[_Line]) -> None:
    """A run of three or more lines written one under the other, each a navigation line or a short
    unpunctuated item ("Home", "News", "Sport"), is a menu."""
    def item(line: _Line) -> bool:
        return line.reason == "navigation" or (
            line.reason is None and line.words <= _MAX_MENU_ITEM_WORDS and not line.ends)

    run: list[_Line] = []
    for line in header + [None]:
        if line is not None and item(line) and (not run or line.n == run[-1].n + 1):
            run.append(line)
            continue
        if len(run) >= _MIN_MENU_LINES:
            for member in run:
                member.reason = "navigation"
        run = [line] if line is not None and item(line) else []


def _label_header(header: list[_Line]) -> None:
    _label_menus(header)
    title_at = next((i for i, line in enumerate(header) if line.reason == "title"), None)
    if title_at is None:
        unlabelled = [i for i, line in enumerate(header) if line.reason is None]
        title_at = next((i for i in unlabelled if header[i].heading), None)
        if title_at is None:
            title_at = next((i for i in unlabelled if header[i].words >= 3), None)
        if title_at is not None:
            header[title_at].reason = "title"
    if title_at is not None:
        for line in reversed(header[:title_at]):
            if line.reason is None and line.words <= _MAX_SECTION_LABEL_WORDS \
                    and not line.ends:
                line.reason = "section-label"
            break
    for line in header:
        if line.reason is None:
            line.reason = "header"
        line.prose = False


def _assemble(lines: list[_Line]) -> Cleaned:
    # each paragraph as a list of its lines, joined once at the end: appending to a growing string
    # would copy it for every line, quadratic in the length of a hard-wrapped paragraph
    paragraphs: list[list[str]] = []
    previous: _Line | None = None
    for line in lines:
        if not line.prose:
            continue
        raw = line.raw
        # unescape_markdown(raw), which changes nothing in a line without markdown marks or links
        text = unescape_markdown(raw) if line.marked or "](" in raw else raw
        if "  " in text or "\t" in text:   # else there is no run of blanks to collapse
            text = _BLANK_RUN.sub(" ", text)
        text = text.strip()
        # continues(previous.text, line.text), its first test read from the line's fields
        if previous is not None and (
                _starts_lower(line.text) if previous.ends else continues(previous.text, line.text)):
            paragraphs[-1].append(text)
        else:
            paragraphs.append([text])
        previous = line
    removed = [Removed(line.n, line.raw, line.reason or "header") for line in lines if not line.prose]
    return Cleaned(body="\n\n".join([" ".join(parts) for parts in paragraphs]), removed=removed)
