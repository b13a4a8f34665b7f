"""The stack's import cost: timed by `prepare` in fresh kernels, kept with what it depends on, and read by
a render only where all of that matches (else the render times it in its first kernel)."""
from __future__ import annotations

import json

import pytest

from newslens.commands import render, render_stack
from newslens.commands.render_kernel import choose_kernel


@pytest.fixture
def kernel() -> str:
    return choose_kernel(None)


def test_prepare_times_the_stack_in_a_fresh_kernel_and_keeps_it(tmp_path, kernel):
    path = tmp_path / "stack-cost.json"
    kept = render_stack.measure_and_keep(kernel, runs=1, path=path)
    # A real kernel imported pandas, altair, matplotlib.pyplot and nltk: that takes CPU seconds, not none.
    assert kept["kept"] and len(kept["runs"]) == 1 and 0.1 < kept["stack_cpu"] < 60
    on_disk = json.loads(path.read_text(encoding="utf-8"))
    assert on_disk["stack_cpu"] == kept["stack_cpu"] and on_disk["key"] == render_stack.environment_key(kernel)
    assert render_stack.stored_stack_cpu(kernel, path) == kept["stack_cpu"]


def test_a_figure_from_another_environment_is_not_used(tmp_path, kernel):
    path = tmp_path / "stack-cost.json"
    key = render_stack.environment_key(kernel)

    def keep(**changes):
        path.write_text(json.dumps({"stack_cpu": 1.5, "key": {**key, **changes}}), encoding="utf-8")
        return render_stack.stored_stack_cpu(kernel, path)

    assert keep() == 1.5
    assert keep(kernel="another") is None                                  # another kernel
    assert keep(packages={**key["packages"], "pandas": "0.1"}) is None      # an upgraded library
    assert keep(cpu="another processor") is None                            # another machine
    path.write_text("{not json", encoding="utf-8")
    assert render_stack.stored_stack_cpu(kernel, path) is None              # damaged: timed live
    assert render_stack.stored_stack_cpu(kernel, tmp_path / "absent.json") is None


def test_a_read_only_folder_keeps_nothing_and_says_so(tmp_path, kernel, monkeypatch):
    def refuse(path, text):
        raise PermissionError(13, "Permission denied", str(path))

    monkeypatch.setattr(render_stack, "write_text_atomic", refuse)
    kept = render_stack.measure_and_keep(kernel, runs=1, path=tmp_path / "stack-cost.json")
    assert kept["kept"] is False and kept["stack_cpu"] > 0
    assert not (tmp_path / "stack-cost.json").exists()


def test_summary_names_where_the_stack_figure_came_from():
    measured = [render.Result("a", True, kernel_cpu=0.5, stack_cpu=4.0), render.Result("b", True, kernel_cpu=0.5)]
    live = render.fixed_cost_summary(6.75, 13.5, measured, cores=2, stored_stack=1.0)
    # A figure timed in this render wins over a kept one: 2 x (0.5 + 4.0) = 9.0 CPU-s.
    assert "4.0 CPU-s, measured in this render) = 9.0 CPU-s" in live[0]
    unmeasured = [render.Result("a", True, kernel_cpu=0.5), render.Result("b", True, kernel_cpu=0.5)]
    kept = render.fixed_cost_summary(6.75, 13.5, unmeasured, cores=2, stored_stack=4.0)
    assert "4.0 CPU-s, measured by `newslens prepare`) = 9.0 CPU-s" in kept[0]
    assert "render 6.8 s = 1.50 x the fixed cost" in kept[0]
    assert render.fixed_cost_summary(6.75, 13.5, unmeasured, cores=2) == []


def test_prepare_says_what_it_timed(tmp_path, monkeypatch, capsys):
    from newslens.commands.cli import main
    from newslens.report import htmlexport

    monkeypatch.setattr(htmlexport, "BUNDLE_CACHE_DIR", tmp_path)
    monkeypatch.setattr(render_stack, "STACK_COST_FILE", tmp_path / "stack-cost.json")
    monkeypatch.setattr(render_stack, "MEASURE_RUNS", 1)
    htmlexport.vega_bundle.cache_clear()
    try:
        assert main(["prepare"]) == 0
    finally:
        htmlexport.vega_bundle.cache_clear()
    out = capsys.readouterr().out
    assert "importing the stack (pandas, altair, matplotlib.pyplot, nltk)" in out
    assert f"the median of 1 fresh '{choose_kernel(None)}' kernel(s)" in out and str(tmp_path) in out
    assert (tmp_path / "stack-cost.json").is_file()
