"""Read a document's bytes as text: UTF-8 first, then Windows-1252 / Latin-1 with a warning.

Scraped files arrive in whatever encoding the scraper saved. We never guess silently:

- a UTF-16 or UTF-32 file that starts with its byte-order mark is decoded as such;
- a file that is not UTF-8 is decoded piece by piece: every stretch that is valid UTF-8 stays UTF-8 and
  every byte that is not is read as Windows-1252 (a superset of Latin-1 for printable text, and the
  encoding that carries curly quotes in 0x91-0x94), or Latin-1 for the five bytes cp1252 leaves
  undefined. A file pasted together from a UTF-8 and a cp1252 source keeps the curly quotes of both.
  The caller is told which encoding was used ("cp1252", "latin-1", or "utf-8+cp1252" for a mix) so it
  can warn;
- NUL and the other control characters (tab, newline, carriage return and form feed excepted) are
  removed from the text: they are never part of an article, and a binary file is refused before;
- a document larger than `MAX_DOCUMENT_BYTES` (5 MB, about 2,500 pages of print: no real article
  comes close) is cut at the last line break before the limit, and the caller warns that it was;
- only regular files are read: a FIFO, a device (`/dev/zero`) or a link to one is refused with a line
  that says what it is, so nothing blocks or reads forever;
- a file that is really an HTML page (saved from a browser) is refused with a line suggesting
  `python -m newslens import`, which extracts the article from it.
"""
from __future__ import annotations

import codecs
import hashlib
import os
import re
import stat
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from newslens.core.errors import CorpusError

# Control characters other than tab/newline/carriage return/form feed are the mark of a binary file.
_TEXT_CONTROLS = {9, 10, 12, 13}
_CONTROL_BYTES = bytes(b for b in range(32) if b not in _TEXT_CONTROLS)
_CONTROL_CHARS = re.compile("[" + "".join(chr(b) for b in _CONTROL_BYTES) + "]")
_BINARY_SAMPLE = 8192
_MAX_CONTROL_SHARE = 0.01
# The per-document size limit (bytes). Documented in the README ("Bring your corpus").
MAX_DOCUMENT_BYTES = 5_000_000

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),   # before UTF-16: same start
    (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"),
)
# An HTML page: a doctype or <html> first, or page structure (a <head>/<body>/<script> tag) with many
# closing tags of paragraphs, blocks and links.
_HTML_START = re.compile(r"\A\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html[\s>])", re.I | re.S)
_HTML_STRUCTURE = re.compile(r"<(?:head|body|script|style|meta)[\s>]", re.I)
_HTML_CLOSING = re.compile(r"</(?:p|div|span|a|li|td|section|article)>", re.I)
_MIN_HTML_CLOSING_TAGS = 10


@dataclass(frozen=True)
class DocumentText:
    text: str
    encoding: str
    sha256: str
    truncated_from: int = 0    # the file's size in bytes when it was cut at MAX_DOCUMENT_BYTES, else 0


def looks_binary(data: bytes) -> bool:
    """A NUL byte, or more than 1% control bytes in the first 8 KB, means this is not a text file."""
    sample = data[:_BINARY_SAMPLE]
    if b"\x00" in sample:
        return True
    # count the control bytes in C: delete them and compare lengths
    controls = len(sample) - len(sample.translate(None, _CONTROL_BYTES))
    return bool(sample) and controls / len(sample) > _MAX_CONTROL_SHARE


def bom_encoding(data: bytes) -> str | None:
    """"utf-16" or "utf-32" when the data starts with that encoding's byte-order mark, else None."""
    for bom, name in _BOMS:
        if data.startswith(bom):
            return name
    return None


def _single_byte(raw: bytes) -> str:
    """Bytes that are not UTF-8 read as cp1252, byte by byte (Latin-1 for its five undefined bytes)."""
    try:
        return raw.decode("cp1252")
    except UnicodeDecodeError:
        return "".join(bytes([b]).decode("cp1252", errors="ignore") or chr(b) for b in raw)


def _as_cp1252(exc: UnicodeDecodeError) -> tuple[str, int]:
    # the UTF-8 decoder hands over each run of bytes it cannot read; UTF-8 resumes after it
    return _single_byte(exc.object[exc.start:exc.end]), exc.end


codecs.register_error("newslens-cp1252", _as_cp1252)
# What only the Latin-1 fallback gives: the bytes cp1252 leaves undefined.
_LATIN1_ONLY = re.compile("[\x81\x8d\x8f\x90\x9d]")


def decode(data: bytes) -> tuple[str, str]:
    """Return (text, encoding name): UTF-8 (with or without BOM); UTF-16/32 with a BOM; else the valid
    UTF-8 stretches as UTF-8 and every other byte as cp1252 ("cp1252", "latin-1" or "utf-8+cp1252").
    Raises ValueError for a file whose byte-order mark promises an encoding it does not hold."""
    bom = bom_encoding(data)
    if bom:
        try:
            return data.decode(bom), bom
        except UnicodeDecodeError:
            raise ValueError(f"not valid {bom.upper()} although it starts with a {bom.upper()} mark") from None
    try:
        return data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        pass
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8):]
    text = data.decode("utf-8", errors="newslens-cp1252")
    if len(text) < len(data):      # some multi-byte UTF-8 sequences were read as such: a mixed file
        return text, "utf-8+cp1252"
    return text, "latin-1" if _LATIN1_ONLY.search(text) else "cp1252"


def normalize(text: str) -> str:
    """Unify newlines and Unicode composition so offsets mean the same thing on every platform, and
    drop control characters (NUL included) that no article holds."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _CONTROL_CHARS.sub("", text)
    return unicodedata.normalize("NFC", text)


def looks_like_html(text: str) -> bool:
    """An HTML page rather than article text: it starts with a doctype or <html>, or it has page
    structure (<head>, <body>, <script>, <style>, <meta>) and ten or more closing block/link tags."""
    head = text[:4096]
    if _HTML_START.match(head):
        return True
    if not _HTML_STRUCTURE.search(text):
        return False
    closing = 0
    for _ in _HTML_CLOSING.finditer(text):
        closing += 1
        if closing >= _MIN_HTML_CLOSING_TAGS:
            return True
    return False


def not_a_regular_file(path: Path) -> str | None:
    """Why `path` cannot be read as a document ("not found", "a FIFO", "a device", ...), or None for a
    regular file. Never opens the file, so a FIFO or a device cannot block or run forever."""
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        if os.path.islink(path):
            return f"file not found: {path} is a link to {os.readlink(path)}, which does not exist"
        return f"file not found: {path}"
    except PermissionError:
        return f"cannot read {path} (permission denied)"
    except OSError as exc:
        return f"cannot read {path} ({exc.strerror})"
    if stat.S_ISREG(mode):
        return None
    via = f" (a link to {os.path.realpath(path)})" if os.path.islink(path) else ""
    if stat.S_ISDIR(mode):
        return f"{path}{via} is a folder, not a text file"
    if stat.S_ISFIFO(mode):
        return f"{path}{via} is a named pipe (FIFO), not a text file: save the article to a file"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return f"{path}{via} is a device, not a text file"
    if stat.S_ISSOCK(mode):
        return f"{path}{via} is a socket, not a text file"
    return f"{path}{via} is not a regular file"


def _cut(data: bytes, limit: int) -> bytes:
    """The first `limit` bytes up to the last line break among them (or all of them if none)."""
    head = data[:limit]
    newline = head.rfind(b"\n")
    return head[:newline + 1] if newline > 0 else head


def read_document(path: Path, label: str, max_bytes: int = MAX_DOCUMENT_BYTES) -> DocumentText:
    """Read one corpus file. `label` names the document in errors (e.g. "corpus.csv line 3 (doc_id x)").

    A file over `max_bytes` is read up to the last line break before the limit (`truncated_from` says
    so); its sha256 is still that of the whole file."""
    problem = not_a_regular_file(path)
    if problem:
        raise CorpusError(f"{label}: {problem}")
    try:
        data = Path(path).read_bytes()
    except IsADirectoryError:
        raise CorpusError(f"{label}: {path} is a folder, not a text file") from None
    except PermissionError:
        raise CorpusError(f"{label}: cannot read {path} (permission denied)") from None
    digest = hashlib.sha256(data).hexdigest()
    size = len(data)
    if size > max_bytes:
        data = _cut(data, max_bytes)
    if not data.strip():
        raise CorpusError(f"{label}: file is empty: {path}")
    if bom_encoding(data) is None and looks_binary(data):
        raise CorpusError(f"{label}: {path} is a binary file, not text (expected a .txt article)")
    try:
        text, encoding = decode(data)
    except ValueError as exc:
        raise CorpusError(f"{label}: {path} is {exc}") from None
    text = normalize(text)
    if not text.strip():
        raise CorpusError(f"{label}: file is empty: {path}")
    if looks_like_html(text):
        raise CorpusError(
            f"{label}: {path} is a saved web page (HTML), not article text; extract its article with: "
            f"python -m newslens import {path} --out FOLDER")
    return DocumentText(text=text, encoding=encoding, sha256=digest,
                        truncated_from=size if size > max_bytes else 0)
