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
from pathlib import Path

try:   # the standard library's own regex parser (stable, if private): to read required literals
    from re import _constants as _sre, _parser as _sre_parse
except ImportError:   # Python < 3.11
    import sre_constants as _sre
    import sre_parse as _sre_parse

from newslens.core.errors import NewslensError
from newslens.corpus.metadata import parse_date_line
from newslens.core.paths import data_file
from newslens.textkit.regex_table import read_regex_rows

PATTERNS_FILE = "boilerplate_patterns.csv"

# The fixed vocabulary of reasons a line is not body text.
REASONS: dict[str, str] = {
    "navigation": "site navigation, skip links, menus",
    "related-links": "lists of links to other stories, their headings and headlines",
    "promo": "a promotion of other content or a sign-up ('[READ: ...]', 'Related: ...')",
    "advertisement": "an advertisement marker",
    "notice": "a cookie, JavaScript or paywall notice of the website",
    "share": "social-media and sharing buttons",
    "caption": "a photo caption",
    "credit": "a photo credit ('Image: Reuters', '© afp')",
    "byline": "the author line",
    "dateline": "a date stamp ('Latest update : 2014-01-07')",
    "title": "the article's headline",
    "section-label": "the site section above the headline ('Middle East')",
    "subheading": "a subheading inside the article",
    "sign-off": "an agency or author sign-off ('(FRANCE 24 with AFP)', 'msh/ph (AFP, AP, dpa)')",
    "footer": "the site footer after the article",
    "link": "a line that is only a link or web address",
    "header": "other page furniture before the first body paragraph",
}

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

_MD_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!$>|~])")
_MD_LINK = re.compile(r"!?\[([^\]]*)\]\([^)\s]*\)")
_MD_STRONG = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1")
_MD_HEADING = re.compile(r"^#{1,6}\s+")
_BLANK_RUN = re.compile(r"[ \t]+")
_LIST_MARKER = re.compile(r"^(?:\d{1,2}[.)]|[•·▪◦►»*+\-–])\s+")
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


@dataclass(frozen=True)
class BoilerplatePattern:
    reason: str
    regex: re.Pattern
    example: str
    row: int


def load_patterns(path: Path | None = None) -> tuple[BoilerplatePattern, ...]:
    """The boilerplate line patterns, in file order (the first pattern that matches a line wins).
    Re-read whenever the file changes (cached on its modification time)."""
    path = Path(path) if path else data_file(PATTERNS_FILE)
    rows = read_regex_rows(path, ("reason", "pattern"))
    # `rows` is the same tuple until the file changes: build the patterns (and so their combined
    # matcher, see `_matcher_for`) once per version of the file, not once per document.
    built = _patterns_built.get(path)
    if built is None or built[0] is not rows:
        built = _patterns_built[path] = (rows, _patterns_from(path, rows))
    return built[1]


_patterns_built: dict[Path, tuple[tuple, tuple[BoilerplatePattern, ...]]] = {}


def _patterns_from(path: Path, rows: tuple) -> tuple[BoilerplatePattern, ...]:
    patterns = []
    for i, row, regex in rows:
        reason = (row.get("reason") or "").strip()
        if reason not in REASONS:
            raise NewslensError(
                f"{path} line {i}: unknown reason '{reason}' (use one of {', '.join(REASONS)})")
        patterns.append(BoilerplatePattern(reason, regex, (row.get("example") or "").strip(), i))
    return tuple(patterns)


# Flags written at the start of a pattern ("(?i)..."): global there, they must become scoped flags
# ("(?i:...)") once the pattern is one alternative among others.
_LEADING_FLAGS = re.compile(r"\(\?([aiLmsux]+)\)")
# Back-references ("\1", "(?P=name)") and conditionals ("(?(1)...)") refer to groups, which are
# renumbered when patterns are combined. Escapes are consumed first, so "\(?(" is not a conditional.
_ESCAPE_OR_GROUP_REFERENCE = re.compile(r"\\.|\(\?P=|\(\?\(")


def _refers_to_groups(source: str) -> bool:
    return any(m.group() in ("(?P=", "(?(") or m.group()[1] in "123456789"
               for m in _ESCAPE_OR_GROUP_REFERENCE.finditer(source))


class _Prefilter:
    """Literals one of which every match of a pattern contains: a line holding none of them cannot
    match, and a substring test says so far faster than the regex engine, which must try the pattern
    at every position of the line when it starts with `.{0,250}` ("... all rights reserved ...").

    Exact by construction: the literals are read from the parsed pattern (`_required_literals`). Under
    IGNORECASE the test compares lower-cased text, which equals the engine's case folding only when
    line and literals are ASCII (the engine also folds "ſ" to "s" or the Kelvin sign to "k"), so a
    non-ASCII line is always handed to the engine.
    """

    def __init__(self, literals: frozenset[str], ignorecase: bool):
        self.ignorecase = ignorecase
        self.literals = tuple(sorted(literal.lower() if ignorecase else literal for literal in literals))

    def may_match(self, form: str, lowered: str | None = None) -> bool:
        """False when `form` cannot match. `lowered`: form.lower() when form is ASCII, else None
        (computed once per line by the caller)."""
        if self.ignorecase:
            if not form.isascii():
                return True
            form = form.lower() if lowered is None else lowered
        for literal in self.literals:     # a plain loop: no generator to set up on every line
            if literal in form:
                return True
        return False


def _required_literals(items) -> frozenset[str] | None:
    """The best set of literals one of which every match of the parsed sequence `items` contains
    (fewest literals, then longest shortest literal), or None when none is known."""
    best: frozenset[str] | None = None
    run: list[str] = []

    def consider(candidates):
        nonlocal best
        if candidates and all(candidates) and (best is None or _selectivity(candidates) > _selectivity(best)):
            best = frozenset(candidates)

    for op, av in list(items) + [(None, None)]:
        if op is _sre.LITERAL:
            run.append(chr(av))
            continue
        consider({"".join(run)} if run else None)
        run = []
        candidates = None
        if op is _sre.IN and all(o is _sre.LITERAL for o, _ in av):
            candidates = {chr(code) for _, code in av}
        elif op is _sre.SUBPATTERN and not av[1] and not av[2]:   # a group that changes no flag
            candidates = _required_literals(av[3])
        elif op is _sre.BRANCH:
            alternatives = [_required_literals(alternative) for alternative in av[1]]
            if all(alternative is not None for alternative in alternatives):
                candidates = set().union(*alternatives)
        elif op in (_sre.MAX_REPEAT, _sre.MIN_REPEAT) and av[0] >= 1:
            candidates = _required_literals(av[2])
        consider(candidates)
    return best


def _selectivity(literals) -> tuple[int, int]:
    # fewest literals first (each costs a substring test per line), then the longest shortest one
    return -len(literals), min(len(literal) for literal in literals)


def _prefilter(regex: re.Pattern) -> _Prefilter | None:
    """A prefilter for a pattern that scans the line (starts with `.{m,n}`, after lookaheads and at
    most one character), else None: a pattern that fails on the first characters of a line ("Read
    more", "By ...") costs less than any test in Python."""
    if not isinstance(regex.pattern, str):
        return None
    parsed = _sre_parse.parse(regex.pattern, regex.flags)
    head = [(op, av) for op, av in parsed if op is not _sre.ASSERT]
    if head and head[0][0] in (_sre.LITERAL, _sre.IN):     # one first character ("[A-Z].{0,150}")
        head = head[1:]
    scans = bool(head) and head[0][0] in (_sre.MAX_REPEAT, _sre.MIN_REPEAT) and head[0][1][1] > 1 \
        and list(head[0][1][2]) == [(_sre.ANY, None)]
    literals = _required_literals(parsed) if scans else None
    if not literals:
        return None
    ignorecase = bool(parsed.state.flags & re.IGNORECASE)
    if ignorecase and not all(literal.isascii() for literal in literals):
        return None
    return _Prefilter(literals, ignorecase)


class _PatternMatcher:
    """Which boilerplate pattern, if any, matches a whole line first, in few regex calls per line.

    Patterns that scan the line and have a `_Prefilter` are tried one by one, only on lines that pass
    their prefilter. The others are joined into one alternation, each wrapped in a named group
    `_<index>`: `fullmatch` tries the alternatives in file order and backtracks into the next one only
    when the earlier one cannot match the whole line, so the alternative that matches is the first
    of them that matches, with the per-call overhead paid once instead of ~40 times per line. The
    earliest pattern of the two kinds wins, as testing all patterns in file order would find. A file
    whose patterns cannot be joined safely (back-references, clashing group names) is matched pattern
    by pattern, with the same result.
    """

    def __init__(self, patterns: tuple[BoilerplatePattern, ...]):
        self.patterns = patterns
        prefilters = [_prefilter(pattern.regex) for pattern in patterns]
        self.prefiltered = [(i, prefilter, patterns[i].regex)
                            for i, prefilter in enumerate(prefilters) if prefilter is not None]
        self.combined = self._combine([(i, pattern) for i, pattern in enumerate(patterns)
                                       if prefilters[i] is None])

    @staticmethod
    def _combine(numbered) -> re.Pattern | None:
        alternatives = []
        for i, pattern in numbered:
            source, flags = pattern.regex.pattern, ""
            if not isinstance(source, str) or _refers_to_groups(source):
                return None
            while m := _LEADING_FLAGS.match(source):
                flags += m.group(1)
                source = source[m.end():]
            if flags:
                # a verbose pattern may end in a comment: the newline ends it before our ")"
                source = f"(?{flags}:{source}{chr(10) if 'x' in flags else ''})"
            alternatives.append(f"(?P<_{i}>{source})")
        try:
            return re.compile("|".join(alternatives)) if alternatives else None
        except re.error:
            return None

    def first(self, forms: tuple[str, ...]) -> int | None:
        """Index of the first pattern that fully matches any of `forms`, or None."""
        if self.combined is None:
            for i, pattern in enumerate(self.patterns):
                if any(pattern.regex.fullmatch(form) for form in forms):
                    return i
            return None
        first = None
        for form in forms:
            m = self.combined.fullmatch(form)
            if m is not None:
                i = int(m.lastgroup[1:])
                first = i if first is None else min(first, i)
        # plain loops, no generators: this runs for every line of every document
        lowered = [form.lower() if form.isascii() else None for form in forms]
        for i, prefilter, regex in self.prefiltered:
            if first is not None and i > first:
                break
            for form, lower in zip(forms, lowered):
                if prefilter.may_match(form, lower) and regex.fullmatch(form):
                    return i
        return first


_matcher_cache: list = [None, None]   # (patterns, matcher) for the last patterns used


def _matcher_for(patterns: tuple[BoilerplatePattern, ...]) -> _PatternMatcher:
    """The combined matcher of `patterns`, built again only when a different tuple comes in."""
    if _matcher_cache[0] is not patterns:
        _matcher_cache[:] = [patterns, _PatternMatcher(tuple(patterns))]
    return _matcher_cache[1]


@dataclass
class _Line:
    n: int            # 1-based line number in the input
    raw: str          # the line as written, stripped
    text: str         # plain text for matching: markdown and list markers removed
    heading: bool     # a markdown heading ("# ...")
    reason: str | None = None
    prose: bool = False

    words: int = 0    # words of `text`, counted once when the line is read


# Each markdown substitution below runs only when the line holds the characters its pattern needs
# ("](" for a link, "**"/"__" for emphasis, a backslash for an escape): most lines hold none, and the
# test costs far less than a regex pass over the line.
def _unescape(text: str) -> str:
    return _MD_ESCAPE.sub(r"\1", text) if "\\" in text else text


def _unstrong(text: str) -> str:
    return _MD_STRONG.sub(r"\2", text) if "**" in text or "__" in text else text


def unescape_markdown(text: str) -> str:
    """Undo markdown escapes, links and strong emphasis: `\\$700` -> `$700`, `[a](u)` -> `a`."""
    if "](" in text:
        text = _MD_LINK.sub(r"\1", text)
    return _unescape(_unstrong(text))


def _plain(raw: str) -> tuple[str, bool]:
    heading = bool(_MD_HEADING.match(raw))
    text = _MD_HEADING.sub("", raw) if heading else raw
    text = _LIST_MARKER.sub("", text)
    return _unescape(_unstrong(text)).strip(), heading


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
    last = re.sub(r"\W+$", "", text.split()[-1].lower())
    return bool(_RUN_ON_END.search(text) or last in FUNCTION_WORDS or _open_quote(text))


def _long_prose(text: str) -> bool:
    """Prose whatever its last character: 20 words or more, or a full sentence already inside."""
    words = text.split()
    return len(words) >= _LONG_RUN_ON_WORDS or (
        len(words) >= 10 and bool(_INTERNAL_SENTENCE_END.search(text)))


def _is_prose(line: _Line, next_line: _Line | None) -> bool:
    text = line.text
    if line.heading:
        return False
    if ends_sentence(text):
        # "Yes." and '"No."' are sentences; a short unquoted question is a subheading
        return not (_QUESTION.search(text) and line.words <= _MAX_SHORT_QUESTION_WORDS
                    and not _OPENING_QUOTE.match(text))
    if next_line is None or line.words < 2:
        return _long_prose(text)   # nothing to run on into: only long prose counts
    return continues(text, next_line.text)


def clean_document(text: str, title: str | None = None, patterns=None) -> Cleaned:
    """Split a scraped page into the article body and the removed lines (see the module docstring)."""
    patterns = load_patterns() if patterns is None else patterns
    matcher = _matcher_for(patterns)
    raw_lines = text.split("\n")
    lines: list[_Line] = []
    for n, raw in enumerate(raw_lines, start=1):
        stripped = raw.strip()
        if stripped:
            plain, heading = _plain(stripped)
            text = plain or stripped
            lines.append(_Line(n, stripped, text, heading, words=len(text.split())))
    if not lines:
        return Cleaned(body="", removed=[])
    by_number = {line.n: line for line in lines}

    def next_of(i: int) -> _Line | None:
        return lines[i + 1] if i + 1 < len(lines) else None

    # 1. line-pattern
    for i, line in enumerate(lines):
        nxt = next_of(i)
        if not ends_sentence(line.text) and nxt and _starts_lower(nxt.text):
            continue  # a broken sentence, not boilerplate
        if len(line.raw) > _MAX_BOILERPLATE_CHARS:
            continue  # a long paragraph is never page furniture (and would only slow the patterns)
        if parse_date_line(line.text):
            line.reason = "dateline"
            continue
        forms = (line.text,) if line.text == line.raw else (line.text, line.raw)
        first = matcher.first(forms)
        if first is not None:
            line.reason = patterns[first].reason

    # 2. title
    title_key = _normalized(unescape_markdown(title)) if title else ""
    if title_key:
        # A line equal to the title holds the title's longest word: a substring test spares most
        # lines the normalisation.
        longest = max(title_key.split(" "), key=len)
        for line in lines:
            if line.reason is None and longest in line.text.lower() \
                    and _normalized(line.text) == title_key:
                line.reason = "title"

    # 3. link-list
    _mark_link_lists(lines)

    # 4-6. captions and bylines written next to a credit, byline or date line
    if _blank_separated(lines):
        for line in lines:
            above = by_number.get(line.n - 1)
            below = by_number.get(line.n + 1)
            if line.reason == "credit" and above and above.reason is None \
                    and above.words <= _MAX_CAPTION_WORDS:
                above.reason = "caption"                                    # 4
            if line.reason == "byline" and above and above.reason is None \
                    and ends_sentence(above.text) and above.words >= _MIN_CAPTION_WORDS \
                    and above.words <= _MAX_CAPTION_WORDS:
                above.reason = "caption"                                    # 5
            if line.reason == "dateline":
                for near in (above, below):                                 # 6
                    if near and near.reason is None and not ends_sentence(near.text) \
                            and _NAME_LIKE.fullmatch(near.text):
                        near.reason = "byline"

    # 7. prose
    for i, line in enumerate(lines):
        line.prose = line.reason is None and _is_prose(line, next_of(i))
    candidates = [i for i, line in enumerate(lines) if line.prose]
    if not candidates:
        for line in lines:
            line.prose = line.reason is None
        return _assemble(lines)

    # 8. footer-cut
    words_at = [line.words if line.prose else 0 for line in lines]
    total = sum(words_at)
    before = 0
    for i, line in enumerate(lines):
        if line.reason in _END_MARKERS and i > candidates[0] and before > 0 \
                and total - before - words_at[i] <= _FOOTER_CUT_SHARE * before:
            for later in lines[i + 1:]:
                later.prose = False
            break
        before += words_at[i]
    candidates = [i for i, line in enumerate(lines) if line.prose]
    first, last = candidates[0], candidates[-1]

    # 9. header
    _label_header(lines[:first])

    # 10. tail
    after_related = False
    for line in lines[last + 1:]:
        if line.reason == "related-links":
            after_related = True
        elif line.reason is None:
            line.reason = "related-links" if after_related else "footer"

    # 11. subheading
    for line in lines[first:last + 1]:
        if line.reason is None and not line.prose:
            line.reason = ("subheading" if line.heading or line.words <= _MAX_SUBHEADING_WORDS
                           else "caption")

    # 12. rejoin (in _assemble)
    return _assemble(lines)


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
    counts: dict[str, int] = {}
    for line in lines:
        if line.words <= _MAX_LINK_LABEL_WORDS and not ends_sentence(line.text):
            key = _normalized(line.text)
            counts[key] = counts.get(key, 0) + 1

    def is_label(line: _Line) -> bool:
        if line.words > _MAX_LINK_LABEL_WORDS or ends_sentence(line.text):
            return False
        n = counts.get(_normalized(line.text), 0)
        return (line.reason == "related-links" and n >= 2) or (line.reason is None and n >= 3)

    # Items of a list that are bare links follow their heading ("## Related" / "* [headline](url)").
    for i, line in enumerate(lines):
        if line.reason == "related-links":
            for item in lines[i + 1:]:
                if item.reason != "link":
                    break
                item.reason = "related-links"

    for i, line in enumerate(lines):
        if not is_label(line):
            continue
        line.reason = "related-links"
        taken = 0
        for prev in reversed(lines[:i]):
            # headlines may end with "?" or "!", never with a full stop
            if taken == 2 or prev.reason is not None or is_label(prev) \
                    or _PERIOD_END.search(prev.text) or prev.words > _MAX_HEADLINE_WORDS:
                break
            prev.reason = "related-links"
            taken += 1


def _label_menus(header: list[_Line]) -> None:
    """A run of three or more lines written one under the other, each a navigation line or a short
    unpunctuated item ("Home", "News", "Sport"), is a menu."""
    def item(line: _Line) -> bool:
        return line.reason == "navigation" or (
            line.reason is None and line.words <= _MAX_MENU_ITEM_WORDS and not ends_sentence(line.text))

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
                    and not ends_sentence(line.text):
                line.reason = "section-label"
            break
    for line in header:
        if line.reason is None:
            line.reason = "header"
        line.prose = False


def _assemble(lines: list[_Line]) -> Cleaned:
    paragraphs: list[str] = []
    previous: _Line | None = None
    for line in lines:
        if not line.prose:
            continue
        text = unescape_markdown(line.raw)
        if "  " in text or "\t" in text:   # else there is no run of blanks to collapse
            text = _BLANK_RUN.sub(" ", text)
        text = text.strip()
        if previous is not None and paragraphs and continues(previous.text, line.text):
            paragraphs[-1] = f"{paragraphs[-1]} {text}"
        else:
            paragraphs.append(text)
        previous = line
    removed = [Removed(line.n, line.raw, line.reason or "header") for line in lines if not line.prose]
    return Cleaned(body="\n\n".join(paragraphs), removed=removed)
