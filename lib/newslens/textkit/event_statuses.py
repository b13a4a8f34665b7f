"""The event statuses of arms transfers (`data/event_statuses.csv`): one loader for every module that
names a status (events, timeline, deals, charts).

    statuses = load_statuses()          # EventStatus rows in path order (requested ... other, report)
    status_names()                      # ["requested", "proposed", ..., "report"]
    status_colours()                    # {"delivered": "#1b7837", ...}

Columns: `status`, `order` (place on a deal's path: request first, delivery last), `colour` (#rrggbb),
`description`, `cues` (verb phrases: Python regex alternatives separated by ";"), `noun_cues` (nouns
that give the status only when no verb is near). Row `report` holds reporting verbs: they date an
announcement but are never an event's status. Every problem is a ParameterError naming the file and line.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from newslens.core.errors import ParameterError
from newslens.core.paths import data_file
from newslens.textkit.cues import read_curated_rows

STATUS_FILE = "event_statuses.csv"
STATUS_COLUMNS = ["status", "order", "colour", "description", "cues", "noun_cues"]
REPORT = "report"  # the reporting-verb row: dates announcements, never an event's status
_COLOUR = re.compile(r"#[0-9a-fA-F]{6}")


@dataclass(frozen=True)
class EventStatus:
    status: str
    order: int
    colour: str
    description: str
    cues: tuple[str, ...]
    noun_cues: tuple[str, ...]


def _cues(cell: str, path: Path, line: int, column: str) -> tuple[str, ...]:
    cues = tuple(c.strip() for c in cell.split(";") if c.strip())
    for cue in cues:
        try:
            re.compile(cue)
        except re.error as exc:
            raise ParameterError(f"event statuses {path}, line {line}: {column} cue {cue!r} is not a valid "
                                 f"regular expression ({exc})") from None
    return cues


@lru_cache(maxsize=4)
def _load(path: str, mtime: float) -> tuple[EventStatus, ...]:
    p = Path(path)
    header, rows = read_curated_rows(p, "event statuses")
    missing = [c for c in STATUS_COLUMNS if c not in header]
    if missing:
        raise ParameterError(f"event statuses {p}: missing column(s) {', '.join(missing)}; expected "
                             f"{', '.join(STATUS_COLUMNS)}")
    out, seen = [], set()
    for line, row in rows:
        if len(row) != len(header):
            raise ParameterError(f"event statuses {p}, line {line}: {len(row)} fields but the header has "
                                 f"{len(header)}")
        cell = dict(zip(header, (c.strip() for c in row)))
        status = cell["status"]
        if not status or status in seen:
            raise ParameterError(f"event statuses {p}, line {line}: status {status!r} is empty or repeated")
        if not cell["order"].isdigit():
            raise ParameterError(f"event statuses {p}, line {line}: order must be a whole number, not "
                                 f"{cell['order']!r}")
        if not _COLOUR.fullmatch(cell["colour"]):
            raise ParameterError(f"event statuses {p}, line {line}: colour must be #rrggbb, not {cell['colour']!r}")
        seen.add(status)
        out.append(EventStatus(status, int(cell["order"]), cell["colour"], cell["description"],
                               _cues(cell["cues"], p, line, "cues"), _cues(cell["noun_cues"], p, line, "noun_cues")))
    if not out:
        raise ParameterError(f"event statuses {p}: no status rows")
    return tuple(sorted(out, key=lambda s: (s.order, s.status)))


def statuses_path(path: str | Path | None = None) -> Path:
    """The status table a path names: data/event_statuses.csv for "" or None."""
    return Path(path) if path else data_file(STATUS_FILE)


def load_statuses(path: str | Path | None = None) -> tuple[EventStatus, ...]:
    """The status rows in path order (re-read when the file changes)."""
    p = statuses_path(path)
    return _load(str(p), p.stat().st_mtime if p.exists() else 0.0)


def status_names(path: str | Path | None = None, events_only: bool = False) -> list[str]:
    """Status names in path order; `events_only` leaves out `report` (never an event's status)."""
    return [s.status for s in load_statuses(path) if not (events_only and s.status == REPORT)]


def status_colours(path: str | Path | None = None) -> dict[str, str]:
    """status -> colour."""
    return {s.status: s.colour for s in load_statuses(path)}
