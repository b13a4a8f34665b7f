"""The article an importer yields, and what every importer does to it: repair, date, language, needs.

An `Article` keeps where it came from (`origin`: "pages/a.html", "feed.jsonl line 4", "crawl.warc.gz
record 12") and leaves blank whatever its source does not say; `needs` lists the manifest's required
columns left blank, so `analyze` refuses the corpus until the user fills them (never guessed).
"""
from __future__ import annotations

import datetime as dt
import html
import re
from dataclasses import dataclass, field

from newslens.core.errors import CorpusError
from newslens.corpus.manifest import REQUIRED_COLUMNS

# What `needs` may list: the required columns an import can leave blank, plus the text itself (a
# Media Cloud row without text and without a saved page of its URL).
NEEDABLE = ("outlet", "published", "text")
_ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_BLANK_LINES = re.compile(r"\n\s*\n+")
_SPACES = re.compile(r"[ \t\u00a0]+")
# UTF-8 read as Windows-1252 shows as a lead character (Â-ô) followed by what a continuation byte
# (0x80-0xBF) reads as in cp1252: text without such a pair holds no mojibake, and ftfy (the costly
# part of repairing a page) runs only on text that has one.
_MOJIBAKE_PAIR = re.compile(
    "[\u00c2-\u00f4][\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6"
    "\u02dc\u2013\u2014\u2018-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a\u20ac\u2122]")


@dataclass
class Article:
    origin: str                      # file, line or record it came from
    text: str = ""
    title: str = ""
    author: str = ""
    published: str = ""              # ISO YYYY-MM-DD, or "" when the source does not say
    outlet: str = ""
    url: str = ""
    language: str = ""
    doc_hint: str = ""               # a name for the doc_id (file stem, story id)
    removed: list[str] = field(default_factory=list)    # page furniture the extraction left out

    @property
    def needs(self) -> list[str]:
        return [c for c in ("outlet", "published") if not getattr(self, c)] + (
            [] if self.text.strip() else ["text"])


def repair(text: str | None) -> str:
    """Mojibake repaired (ftfy: 'wouldnâ€™t' -> 'wouldn’t'), HTML entities decoded ('&quot;' -> '"'),
    paragraphs kept. Curly quotes and dashes are kept as written."""
    if not text:
        return ""
    if _MOJIBAKE_PAIR.search(text):
        text = _ftfy(text)
    if "&" in text:
        text = html.unescape(text)
    return text


def _ftfy(text: str) -> str:
    import ftfy

    return ftfy.fix_text(text, uncurl_quotes=False, fix_latin_ligatures=False, fix_character_width=False,
                         normalization="NFC")


def paragraphs(text: str) -> str:
    """The body as the corpus stores it: one paragraph per line, a blank line between paragraphs."""
    lines = [_SPACES.sub(" ", line).strip() for line in text.replace("\r\n", "\n").split("\n")]
    return "\n\n".join(line for line in lines if line)


def iso_date(value, where: str) -> str:
    """A source's date ("2014-01-07T09:12:00Z", "2014-01-07 09:12:00", a datetime) as YYYY-MM-DD;
    "" when empty. A value that is not a date is an error naming its origin (never guessed)."""
    if value is None or value == "":
        return ""
    if isinstance(value, (dt.date, dt.datetime)):
        return value.strftime("%Y-%m-%d")
    m = _ISO_DATE.match(str(value).strip())
    if not m:
        raise CorpusError(f"{where}: date '{value}' is not an ISO date (YYYY-MM-DD...)")
    try:
        return dt.date(int(m[1]), int(m[2]), int(m[3])).isoformat()
    except ValueError:
        raise CorpusError(f"{where}: date '{value}' is not a valid date") from None


def short_language(code) -> str:
    """'en-US' / 'EN' / 'en_GB' -> 'en'; anything else that is not a language code -> ''."""
    code = str(code or "").strip().lower().replace("_", "-").split("-")[0]
    return code if re.fullmatch(r"[a-z]{2,3}", code) else ""


assert set(NEEDABLE) - {"text"} <= set(REQUIRED_COLUMNS)
