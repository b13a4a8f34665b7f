"""The stage graph: which stages a request runs, and which may run at once.

A stage depends, for each table it needs, on the last stage before it that makes that table (and on
every stage between the two that does not declare what it makes); a stage that does not declare what
it needs depends on every stage before it.
"""
from __future__ import annotations

from newslens.core.stage import Stage


def upstream_stages(stages: list[Stage], names: list[str]) -> list[Stage]:
    """The stages named and those they depend on, in the order of `stages`.

    So a stage asked for alone reads exactly the tables it reads in a run of every stage: "frames"
    reads the sentences "sentiment" scored, and its cache entry is the one a full `analyze` stored.
    """
    wanted = set(names)
    for i in range(len(stages) - 1, -1, -1):
        stage = stages[i]
        if stage.name not in wanted:
            continue
        earlier = stages[:i]
        if stage.needs is None:
            wanted.update(s.name for s in earlier)
            continue
        for table in stage.needs:
            for maker in reversed(earlier):
                if maker.makes is None or table in maker.makes:
                    wanted.add(maker.name)
                if maker.makes is not None and table in maker.makes:
                    break
    return [s for s in stages if s.name in wanted]


def wave_of(stages: list[Stage], first: int) -> list[Stage]:
    """stages[first] and the stages right after it that need no table any of them makes (stages run
    alongside are passed over: no stage reads their tables): they all read the tables as they are
    before stages[first] runs, as they would one after another, so they can run at once. A stage that
    does not declare what it needs or makes ends the wave."""
    wave = [stages[first]]
    made = set(stages[first].makes) if stages[first].makes is not None else None
    for stage in stages[first + 1:]:
        if stage.alongside:
            continue
        if made is None or stage.needs is None or stage.makes is None or made & set(stage.needs):
            break
        wave.append(stage)
        made |= set(stage.makes)
    return wave


def read_after(selected: list[Stage], index: int) -> set[str] | None:
    """The tables the stages after selected[index] declare they read (None: one may read any)."""
    names: set[str] = set()
    for later in selected[index + 1:]:
        if later.needs is None:
            return None
        names.update(later.needs)
    return names
