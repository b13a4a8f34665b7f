"""`python -m newslens init-manifest FOLDER`: draft a corpus.csv for a folder of .txt articles.

Each article's own text fills what it reveals; the rest is left blank for the user:

- `doc_id`   from the file name (lower case, anything but letters, digits, `_` and `-` becomes `-`);
- `title`    the line the cleaner takes for the headline (a markdown `#` heading, else the first
             heading-like line above the body);
- `author`   the first byline that names someone ("By Jane Doe", "Nils Naumann /ai", "Text by ..."),
             else who the sign-off credits ("(Reporting by Jane Doe; ...)", "msh/ph (AFP, AP, dpa)");
- `published` the first date line ("December 28, 2013", "1 August 2014", "Date created : 2014-01-07");
             a stamp labelled as an update is used only when no other date line exists;
- `outlet`   the outlet whose sign-offs (`data/outlet_signatures.csv`, extend it for your outlets)
             match the most lines; none or a tie leaves it blank.

`needs` lists the required columns left blank (outlet, published): `analyze` refuses the manifest
until they are filled, so nothing unchecked slips through. `evidence` says which line gave each
value, so the user can check it. The .txt files are only read; an existing corpus.csv is never
replaced unless --force is given.
"""
from __future__ import annotations

import argparse
import csv

from newslens.core.tablefiles import escape_cell
import io
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from newslens.corpus.clean import clean_document
from newslens.core.errors import CorpusError, NewslensError
from newslens.corpus.manifest import MANIFEST_NAME, REQUIRED_COLUMNS
from newslens.corpus.metadata import author_from_byline, author_from_signoff, detect_outlet, parse_date_line
from newslens.corpus.textio import read_document

COLUMNS = ["doc_id", "path", "outlet", "published", "title", "author", "url", "language",
           "needs", "evidence"]
_UPDATE_LABEL = re.compile(r"(?i)\b(?:updat|modified)")
_DOC_ID_UNSAFE = re.compile(r"[^a-z0-9_-]+")


@dataclass
class DraftRow:
    file: Path
    values: dict[str, str] = field(default_factory=dict)
    evidence: list[str] = field(default_factory=list)
    skipped: str = ""          # why the file could not be read (then it has no row)

    @property
    def needs(self) -> list[str]:
        return [c for c in REQUIRED_COLUMNS if not self.values.get(c)]


def doc_id_from_name(name: str) -> str:
    stem = Path(name).stem.lower()
    return _DOC_ID_UNSAFE.sub("-", stem).strip("-") or "doc"


def _first_date(removed) -> tuple[str, str] | None:
    """(ISO date, evidence) from the removed date lines: a created/published stamp before an update."""
    dated = [(r, parse_date_line(r.text)) for r in removed if r.reason == "dateline"]
    dated = [(r, d) for r, d in dated if d]
    if not dated:
        return None
    dated.sort(key=lambda rd: bool(_UPDATE_LABEL.search(rd[0].text)))  # stable: file order kept
    r, d = dated[0]
    return d.isoformat(), f"published: line {r.line} '{r.text}'"


def draft_row(path: Path, doc_id: str, manifest_dir: Path) -> DraftRow:
    """Read one article and fill the manifest cells its text reveals."""
    row = DraftRow(path)
    try:
        doc = read_document(path, path.name)
    except CorpusError as exc:
        row.skipped = str(exc)
        return row
    if doc.encoding != "utf-8":
        row.evidence.append(f"not UTF-8: decoded as {doc.encoding}")
    cleaned = clean_document(doc.text)
    removed = cleaned.removed
    values = {c: "" for c in COLUMNS}
    values["doc_id"] = doc_id
    values["path"] = Path(os.path.relpath(path, manifest_dir)).as_posix()

    title = next((r for r in removed if r.reason == "title"), None)
    if title:
        values["title"] = re.sub(r"^#{1,6}\s*", "", title.text).strip("*_ ").strip()
        row.evidence.append(f"title: line {title.line}")
    for r in removed:
        if r.reason == "byline":
            author = author_from_byline(r.text.strip("*_ "))
            if author:
                values["author"] = author
                row.evidence.append(f"author: line {r.line} '{r.text}'")
                break
    if not values["author"]:
        for r in removed:
            author = author_from_signoff(r.text) if r.reason == "sign-off" else None
            if author:
                values["author"] = author
                row.evidence.append(f"author: sign-off line {r.line} '{r.text}'")
                break
    date = _first_date(removed)
    if date:
        values["published"], evidence = date
        row.evidence.append(evidence)
    lines = doc.text.split("\n")
    outlet, matched = detect_outlet(lines)
    if outlet:
        values["outlet"] = outlet
        row.evidence.append(f"outlet: '{matched[0]}'" + (f" (+{len(matched) - 1} more)" if len(matched) > 1 else ""))
    elif matched:
        row.evidence.append("outlet: signatures of several outlets tie: " + "; ".join(matched[:3]))
    row.values = values
    return row


def draft_manifest(folder: str | Path, out: str | Path | None = None) -> list[DraftRow]:
    """Draft rows for every .txt file directly inside `folder` (sorted by name)."""
    folder = Path(folder).expanduser()
    if not folder.exists():
        raise NewslensError(f"no such folder: {folder}")
    if not folder.is_dir():
        raise NewslensError(f"{folder} is not a folder (give the folder that holds the .txt articles)")
    files = sorted(p for p in folder.iterdir() if p.suffix.lower() == ".txt" and p.is_file())
    if not files:
        raise NewslensError(f"{folder} holds no .txt files (init-manifest drafts a manifest for .txt articles)")
    manifest_dir = (Path(out).expanduser().parent if out else folder).resolve()
    rows, used = [], set()
    for path in files:
        doc_id = base = doc_id_from_name(path.name)
        k = 2
        while doc_id in used:
            doc_id, k = f"{base}-{k}", k + 1
        row = draft_row(path.resolve(), doc_id, manifest_dir)
        if not row.skipped:
            used.add(doc_id)
            row.values["needs"] = " ".join(row.needs)
            row.values["evidence"] = "; ".join(row.evidence)
        rows.append(row)
    return rows


def manifest_csv(rows: list[DraftRow]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        if not row.skipped:  # a cell a spreadsheet would run as a formula gets a leading ' (read back as is)
            writer.writerow({k: escape_cell(v) if isinstance(v, str) else v for k, v in row.values.items()})
    return buffer.getvalue()


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("folder", help="folder of .txt articles (only read, never changed)")
    p.add_argument("--out", help=f"where to write the manifest (default: FOLDER/{MANIFEST_NAME})")
    p.add_argument("--force", action="store_true", help="replace an existing manifest")


def run(args: argparse.Namespace) -> int:
    folder = Path(args.folder).expanduser()
    out = Path(args.out).expanduser() if args.out else folder / MANIFEST_NAME
    if out.exists() and not args.force:
        raise NewslensError(f"{out} already exists; pass --force to replace it (or --out elsewhere)")
    rows = draft_manifest(folder, out)
    kept = [r for r in rows if not r.skipped]
    if not kept:
        raise NewslensError(f"no readable .txt file in {folder}: " + "; ".join(r.skipped for r in rows))
    out.write_text(manifest_csv(rows), encoding="utf-8")

    width = max(len(r.file.name) for r in rows)
    for r in rows:
        if r.skipped:
            print(f"  {r.file.name:<{width}}  SKIPPED: {r.skipped}")
            continue
        v = r.values
        found = ", ".join(f"{c} {v[c]!r}" for c in ("outlet", "published", "title", "author") if v[c])
        missing = [c for c in ("outlet", "published", "title", "author") if not v[c]]
        need = f"  NEEDS {', '.join(r.needs)}" if r.needs else ""
        if "not UTF-8" in v["evidence"]:
            need += "  (not UTF-8: check the decoded text)"
        print(f"  {r.file.name:<{width}}  {found or 'nothing found'}"
              + (f"  (not found: {', '.join(missing)})" if missing else "") + need)
    incomplete = sum(1 for r in kept if r.needs)
    print(f"wrote {out}: {len(kept)} documents"
          + (f", {incomplete} with required cells to fill (column 'needs')" if incomplete else "")
          + (f", {len(rows) - len(kept)} files skipped" if len(kept) < len(rows) else ""))
    return 0
