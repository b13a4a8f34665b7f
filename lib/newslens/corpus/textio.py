"""Read a document's bytes as text: UTF-8 first, then Windows-1252 / Latin-1 with a warning.

Scraped files arrive in whatever encoding the scraper saved. We never guess silently: a file that is
not UTF-8 is decoded as Windows-1252 (a superset of Latin-1 for printable text, and the encoding that
carries curly quotes in 0x91-0x94), falling back to Latin-1 for the five bytes cp1252 leaves undefined,
and the caller is told which encoding was used so it can warn.
"""
from __future__ import annotations

import hashlib
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from newslens.core.errors import CorpusError

# Control characters other than tab/newline/carriage return/form feed are the mark of a binary file.
_TEXT_CONTROLS = {9, 10, 12, 13}
_CONTROL_BYTES = bytes(b for b in range(32) if b not in _TEXT_CONTROLS)
_BINARY_SAMPLE = 8192
_MAX_CONTROL_SHARE = 0.01


@dataclass(frozen=True)
class DocumentText:
    text: str
    encoding: str
    sha256: str


def looks_binary(data: bytes) -> bool:
    """A NUL byte, or more than 1% control bytes in the first 8 KB, means this is not a text file."""
    sample = data[:_BINARY_SAMPLE]
    if b"\x00" in sample:
        return True
    # count the control bytes in C: delete them and compare lengths
    controls = len(sample) - len(sample.translate(None, _CONTROL_BYTES))
    return bool(sample) and controls / len(sample) > _MAX_CONTROL_SHARE


def decode(data: bytes) -> tuple[str, str]:
    """Return (text, encoding name). UTF-8 (with or without BOM), else cp1252, else latin-1."""
    try:
        return data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        return data.decode("latin-1"), "latin-1"


def normalize(text: str) -> str:
    """Unify newlines and Unicode composition so offsets mean the same thing on every platform."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return unicodedata.normalize("NFC", text)


def read_document(path: Path, label: str) -> DocumentText:
    """Read one corpus file. `label` names the document in errors (e.g. "corpus.csv line 3 (doc_id x)")."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise CorpusError(f"{label}: file not found: {path}") from None
    except IsADirectoryError:
        raise CorpusError(f"{label}: {path} is a folder, not a text file") from None
    except PermissionError:
        raise CorpusError(f"{label}: cannot read {path} (permission denied)") from None
    if not data.strip():
        raise CorpusError(f"{label}: file is empty: {path}")
    if looks_binary(data):
        raise CorpusError(f"{label}: {path} is a binary file, not text (expected a .txt article)")
    text, encoding = decode(data)
    text = normalize(text)
    if not text.strip():
        raise CorpusError(f"{label}: file is empty: {path}")
    return DocumentText(text=text, encoding=encoding, sha256=hashlib.sha256(data).hexdigest())
