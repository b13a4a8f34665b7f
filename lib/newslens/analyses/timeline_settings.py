"""The settings of stage `timeline` and its declaration, apart from the merging (newslens.analyses.timeline):
listing the stages, or reading their tables from the cache, does not import it."""
from __future__ import annotations

from dataclasses import dataclass

from newslens.core.paths import resolve
from newslens.core.stage import Settings, Stage, file_param, param
from newslens.textkit.weapons import weapons_path


@dataclass(frozen=True)
class TimelineSettings(Settings):
    """The parameters of stage `timeline`: a reference list (resolved path, "" for none) and the weapon
    gazetteer (resolved path)."""

    reference: str = param("", "a reference CSV of known transfers to compare the timeline with (default: none)",
                           lambda name, value: str(resolve(value)))
    weapons: str = file_param(weapons_path, "weapon gazetteer CSV (default data/weapons.csv)")


STAGE = Stage("timeline", "newslens.analyses.timeline:stage",
              "events merged across reports, conflicts flagged; timeline.json for TimelineJS",
              settings=TimelineSettings, needs=("events",),
              makes=("timeline", "deals", "timeline.json", "timeline_reference"))
