"""Stage settings: parameters read into typed, defaulted fields once, unknown names refused by analyze."""
from __future__ import annotations

from dataclasses import FrozenInstanceError, dataclass

import pytest

from newslens.commands.cli import main
from newslens.core.errors import ParameterError
from newslens.core.stage import Settings, Stage, param


@dataclass(frozen=True)
class KnobSettings(Settings):
    width: int = param(3, "how wide")
    share: float = param(0.5, "how much")
    strict: bool = param(False, "whether to refuse")
    label: str = param("", "a name")


def test_settings_read_given_values_and_take_the_default_for_empty_ones():
    got = KnobSettings.resolve(None, {"width": "7", "share": 1, "strict": True, "label": "", "other": "x"})
    assert got == KnobSettings(width=7, share=1.0, strict=True, label="")
    assert KnobSettings.resolve(None, {"width": None}) == KnobSettings()
    assert got.key() == {"width": 7, "share": 1.0, "strict": True, "label": ""}
    assert KnobSettings.parameters() == {"width": "how wide", "share": "how much", "strict": "whether to refuse",
                                         "label": "a name"}
    with pytest.raises(FrozenInstanceError):
        got.width = 2


# The same fields with their types as classes, as a module without `from __future__ import annotations`
# declares them.
PlainKnobSettings = dataclass(frozen=True)(type("PlainKnobSettings", (Settings,), {
    "__annotations__": {"width": int, "share": float, "strict": bool, "label": str},
    "width": param(3, "how wide"), "share": param(0.5, "how much"), "strict": param(False, "whether to refuse"),
    "label": param("", "a name"),
}))


@pytest.mark.parametrize("params, message", [
    ({"width": "wide"}, "width must be a whole number, got 'wide'"),
    ({"width": 2.5}, "width must be a whole number"),
    ({"share": "half"}, "share must be a number, got 'half'"),
    ({"strict": "yes"}, "strict must be true or false"),
])
def test_a_bad_value_is_one_line_naming_the_parameter(params, message):
    with pytest.raises(ParameterError, match=message):
        PlainKnobSettings.resolve(None, params)
    with pytest.raises(ParameterError, match=message):
        KnobSettings.resolve(None, params)


def knob_stage(corpus, tables, settings: KnobSettings):
    return {"knobs": settings.key()}


def test_a_stage_is_called_with_its_resolved_settings(seed_corpus):
    stage = Stage("knobs", knob_stage, "", settings=KnobSettings, needs=(), makes=("knobs",))
    assert stage.target == "test_settings:knob_stage"
    assert stage.run(seed_corpus, {}, {"width": "9"})["knobs"]["width"] == 9
    # a stage kept outside the package, named "module:function", gets the parameters dict
    legacy = Stage("knobs", "test_settings:knob_stage", "", params=("width",))
    assert legacy.resolve(None, {"width": "9"}) == {"width": "9"}


def test_analyze_refuses_an_unknown_parameter_on_one_line(capsys, tmp_path):
    assert main(["analyze", "--out", str(tmp_path / "out"), "-p", "n_bot", "300"]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("newslens: error: unknown parameter(s) n_bot; parameters are:") and "n_boot" in err
    assert "\n" not in err
    assert not (tmp_path / "out").exists()


def test_analyze_lists_the_parameters_with_their_help(capsys):
    assert main(["analyze", "--list-params"]) == 0
    out = capsys.readouterr().out
    assert "  n_boot = 2000  [tone, tone_targets]" in out
    assert "  codebook = data/frames_codebook.csv  [frames]" in out
    assert "bootstrap resamples for each interval" in out
