"""What a scraped article's own text reveals about it: its date line, byline and outlet sign-off.

Used by the cleaner (a date line is not body text) and by `init-manifest` (a date line fills the
`published` cell). Everything here reads whole lines; nothing guesses from prose.

- `parse_date_line(line)`: the date of a line that is only a date stamp, or None. Accepts
  "December 28, 2013", "1 August 2014", "Jan. 7, 2014", "2014-01-07", "07.01.2014" (day first),
  with an optional label ("Latest update :", "Date created :", "Published", "Updated on"), weekday
  and clock time ("Tuesday, January 7, 2014 10:52 AM EST").
- `author_from_byline(line)`: the name in a byline ("By Jane Doe", "Text by FRANCE 24",
  "Nils Naumann /ai" -> "Nils Naumann"), or None when the byline names nobody ("By + More").
- `author_from_signoff(line)`: who a sign-off credits ("(Reporting by Idrees Ali; ...)" -> "Idrees
  Ali", "msh/ph (AFP, AP, dpa)" -> "AFP, AP, dpa").
- `load_signatures()` / `detect_outlet(lines)`: outlet sign-offs from `data/outlet_signatures.csv`.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

from newslens.core.errors import NewslensError
from newslens.core.paths import data_file
from newslens.textkit.regex_table import read_regex_rows

_MONTHS = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
    "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9,
    "oct": 10, "nov": 11, "dec": 12,
}
_MONTH = r"(?P<month>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>(?:19|20)\d{2})"
_DATE_FORMS = [
    rf"(?P<year>(?:19|20)\d{{2}})-(?P<mnum>\d{{1,2}})-(?P<day>\d{{1,2}})",  # 2014-01-07
    rf"{_MONTH}\s+{_DAY},?\s+{_YEAR}",                                      # January 7, 2014
    rf"{_DAY}\s+{_MONTH},?\s+{_YEAR}",                                      # 1 August 2014
    rf"(?P<day>\d{{1,2}})\.(?P<mnum>\d{{1,2}})\.{_YEAR}",                   # 07.01.2014 (day first)
]
# A label before the date: "Latest update :", "Date created :", "Published on", "Updated".
_LABEL = (
    r"(?:(?:latest|last)\s+)?(?:updated?|published|posted|created|modified|date(?:\s+created)?|"
    r"first\s+published|dateline)(?:\s+on)?\s*:?\s*[-|]?\s*"
)
_WEEKDAY = r"(?:mon|tues?|wed(?:nes)?|thu(?:rs)?|fri|sat(?:ur)?|sun)(?:day)?\.?,?\s+"
_TIME = (
    r"(?:\s*[,|\-–]?\s*(?:at\s+)?\d{1,2}[:.h]\d{2}(?::\d{2})?\s*(?:[ap]\.?m\.?)?"
    r"(?:\s*\(?(?:[A-Z]{2,5}|(?:GMT|UTC)\s*[+-]?\s*\d{0,2}(?::\d{2})?)\)?)?)?"
)
_DATE_LINE = [
    re.compile(rf"(?:{_LABEL})?(?:{_WEEKDAY})?{form}{_TIME}\s*\.?", re.IGNORECASE)
    for form in _DATE_FORMS
]


def parse_date_line(line: str) -> dt.date | None:
    """The date of a line that holds only a date stamp (label, weekday and time allowed), else None."""
    text = line.strip().strip("*_ ")
    if not text or len(text) > 80:
        return None
    for pattern in _DATE_LINE:
        m = pattern.fullmatch(text)
        if not m:
            continue
        parts = m.groupdict()
        month = int(parts["mnum"]) if parts.get("mnum") else _MONTHS[parts["month"].lower()]
        try:
            return dt.date(int(parts["year"]), month, int(parts["day"]))
        except ValueError:
            return None
    return None


_BYLINE_PREFIX = re.compile(
    r"^(?:by|text by|words by|written by|story by|report by|reporting by|author|authors|byline)"
    r"\s*:?\s+", re.IGNORECASE)
# "Nils Naumann /ai": DW's author with editor's initials.
_EDITOR_INITIALS = re.compile(r"\s*/\s*[a-z]{1,5}\s*$")
_NAME_CHARS = re.compile(r"[A-Za-zÀ-ÿ]")


def author_from_byline(line: str) -> str | None:
    """The author named by a byline line, or None when it names nobody."""
    text = _BYLINE_PREFIX.sub("", line.strip())
    text = _EDITOR_INITIALS.sub("", text).strip(" ,;|-–")
    words = [w for w in text.split() if _NAME_CHARS.search(w)]
    if not words or text.lower() in {"more", "staff", "+ more"}:
        return None
    if not text[0].isalpha() and not text[0].isdigit():
        return None
    return text


_REPORTING_BY = re.compile(r"(?:^|\(|;\s*)(?:[Aa]dditional )?[Rr]eporting by ([^;()]+)")
_PARENTHESIS_AT_END = re.compile(r"\(([^()]{2,60})\)\s*$")


def author_from_signoff(line: str) -> str | None:
    """Who a sign-off credits: "(Reporting by Idrees Ali; Editing by ...)" -> "Idrees Ali";
    "msh/ph (AFP, AP, dpa)" -> "AFP, AP, dpa" (agency copy); "(FRANCE 24 with AFP)" -> as written."""
    m = _REPORTING_BY.search(line)
    if m:
        return m.group(1).strip(" ,.")
    m = _PARENTHESIS_AT_END.search(line.strip())
    if m and len(m.group(1).split()) <= 6:
        return m.group(1).strip()
    return None


# --- outlet signatures --------------------------------------------------------------------------

SIGNATURES_FILE = "outlet_signatures.csv"


@dataclass(frozen=True)
class Signature:
    pattern: re.Pattern
    outlet: str
    row: int


def load_signatures(path: Path | None = None) -> tuple[Signature, ...]:
    """Outlet sign-offs: one regular expression per row, searched in each line of an article.
    Re-read whenever the file changes (cached on its modification time)."""
    path = Path(path or data_file(SIGNATURES_FILE))
    signatures = []
    for i, row, regex in read_regex_rows(path, ("pattern", "outlet")):
        if not (row.get("outlet") or "").strip():
            raise NewslensError(f"{path} line {i}: outlet is empty")
        signatures.append(Signature(regex, row["outlet"].strip(), i))
    return tuple(signatures)


def detect_outlet(lines: list[str], signatures=None) -> tuple[str | None, list[str]]:
    """The outlet whose signatures match the most lines, and the lines that matched.

    Returns (None, evidence) when nothing matches or two outlets tie: the user decides.
    """
    signatures = load_signatures() if signatures is None else signatures
    hits: dict[str, list[str]] = {}
    for line in lines:
        text = line.strip()
        if not text:
            continue
        for sig in signatures:
            if sig.pattern.search(text):
                hits.setdefault(sig.outlet, []).append(text)
                break
    if not hits:
        return None, []
    ranked = sorted(hits.items(), key=lambda kv: len(kv[1]), reverse=True)
    if len(ranked) > 1 and len(ranked[0][1]) == len(ranked[1][1]):
        return None, [line for _, found in ranked for line in found]
    return ranked[0][0], ranked[0][1]
