"""paused_gc: the cycle collector is off inside the block and back as it was afterwards."""
from __future__ import annotations

import gc

import pytest

from newslens.core.gcpause import paused_gc


def test_paused_inside_and_restored_after_even_on_error():
    assert gc.isenabled()
    with paused_gc():
        assert not gc.isenabled()
        with paused_gc():  # nested: the inner block leaves it off
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()
    with pytest.raises(ValueError):
        with paused_gc():
            raise ValueError("boom")
    assert gc.isenabled()


def test_a_disabled_collector_stays_disabled():
    gc.disable()
    try:
        with paused_gc():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


def _freeze_state(_batch) -> tuple[int, bool]:
    """In a worker: how many objects the cycle collector leaves alone, and whether it still runs."""
    return gc.get_freeze_count(), gc.isenabled()


def test_forked_workers_freeze_what_they_inherit_and_the_parent_does_not():
    """A forked worker moves the objects it inherited (the corpus, the tables) out of its collector's
    reach (engines.start_worker): its collections then neither walk them nor copy their pages. Its own
    objects are still collected (the collector stays on), and the parent is left as it was."""
    from newslens.core.engines import ProcessEngine

    engine = ProcessEngine(workers=2)
    if not engine.inherits_state:
        pytest.skip("workers are not forked on this platform")
    inherited = [[i] for i in range(50_000)]  # containers the workers inherit
    before = gc.get_freeze_count()
    states = list(engine.map(_freeze_state, [0, 1]))
    assert all(count >= len(inherited) and enabled for count, enabled in states)
    assert gc.get_freeze_count() == before
