"""The stages of `analyze`, in order, as the analyses declare them (a stage may read any table produced
above it). Adding a stage: declare it in its analysis module (see newslens.core.stage) and list it here.

The declarations are imported from each analysis' light module (its settings and stage, the function
named "module:function"), so listing the stages imports no implementation: a stage's module is imported
when the stage runs (a report kernel reading cached tables imports none).
"""
from __future__ import annotations

from newslens.analyses import frames_settings as frames
from newslens.analyses import sentiment_settings as sentiment
from newslens.analyses import timeline_settings as timeline
from newslens.analyses.claims import settings as claims
from newslens.analyses.entities import settings as entities
from newslens.analyses.events import settings as events
from newslens.analyses.quotes import settings as quotes
from newslens.analyses.reuse import settings as reuse
from newslens.analyses.terms import settings as terms
from newslens.core.errors import ParameterError
from newslens.core.stage import Stage
from newslens.pipeline.graph import upstream_stages

STAGES: list[Stage] = [
    reuse.STAGE,
    terms.STAGE,
    *entities.STAGES,  # entity_words, entity_lexicon, entity_mentions, entities
    quotes.STAGE,
    claims.STAGE,
    sentiment.STAGE,
    sentiment.TONE_STAGE,
    sentiment.TARGETS_STAGE,
    frames.STAGE,
    events.STAGE,
    timeline.STAGE,
]


def stage_names() -> list[str]:
    return [s.name for s in STAGES]


def select(names: list[str] | None) -> list[Stage]:
    """The stages `names` and, before them, the stages that make the tables they need (see
    upstream_stages), in registry order; every stage when `names` is None."""
    if names is None:
        return list(STAGES)
    known = {s.name: s for s in STAGES}
    unknown = [n for n in names if n not in known]
    if unknown:
        raise ParameterError(
            f"unknown stage(s) {', '.join(unknown)}; stages are: {', '.join(known) or '(none)'}"
        )
    return upstream_stages(STAGES, names)


def parameters() -> dict[str, tuple[str, list[str]]]:
    """Every parameter a stage reads -> (its help line, the stages reading it), in registry order."""
    found: dict[str, tuple[str, list[str]]] = {}
    for stage in STAGES:
        for name, help_line in stage.parameters().items():
            found.setdefault(name, (help_line, []))[1].append(stage.name)
    return found


def check_parameter_names(params: dict) -> None:
    """Refuse a parameter no stage reads (a typo would otherwise be ignored), naming it on one line.
    A stage declared without settings (a user's own) may read any parameter: then nothing is refused."""
    if any(stage.settings is None and stage.params is None for stage in STAGES):
        return
    known = set(parameters())
    for stage in STAGES:
        known.update(p for p in (stage.params or ()) if not p.endswith("*"))
    families = tuple(p[:-1] for stage in STAGES for p in (stage.params or ()) if p.endswith("*"))
    unknown = [name for name in params if name not in known and not (families and name.startswith(families))]
    if unknown:
        raise ParameterError(f"unknown parameter(s) {', '.join(unknown)}; parameters are: {', '.join(sorted(known))}")
