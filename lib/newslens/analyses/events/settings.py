"""The settings of stage `events` and its declaration, apart from the extraction
(newslens.analyses.events.extract): listing the stages, or reading their tables from the cache, does not import it."""
from __future__ import annotations

from dataclasses import dataclass

from newslens.core.stage import Settings, Stage, file_param
from newslens.textkit.weapons import weapons_path


@dataclass(frozen=True)
class EventSettings(Settings):
    """The parameter of stage `events`: the weapon gazetteer it reads, as a resolved path."""

    weapons: str = file_param(weapons_path, "weapon gazetteer CSV (default data/weapons.csv)")


STAGE = Stage("events", "newslens.analyses.events.extract:stage",
              "arms transfers per sentence: weapon, count, value, status, parties, dates",
              settings=EventSettings, needs=("documents", "sentences"), makes=("events",), per_document=True)
