"""The codebook setting of stage `frames` and its declaration, apart from the tagging (newslens.analyses.frames):
listing the stages, or reading their tables from the cache, does not import it."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from newslens.core.paths import data_file, resolve
from newslens.core.stage import Settings, Stage, file_param

DEFAULT_CODEBOOK = "data/frames_codebook.csv"


def codebook_path(path: str | Path | None = DEFAULT_CODEBOOK) -> Path:
    """The codebook file a path names: the curated one for DEFAULT_CODEBOOK (and "" or None), else the
    path resolved (newslens.core.paths.resolve)."""
    if not path or str(path) == DEFAULT_CODEBOOK:
        return data_file("frames_codebook.csv")
    return resolve(path)


@dataclass(frozen=True)
class FramesSettings(Settings):
    """The parameter of stage "frames": the codebook file it reads, as a resolved path."""

    codebook: str = file_param(codebook_path, "frame codebook CSV (default data/frames_codebook.csv)")


STAGE = Stage("frames", "newslens.analyses.frames:stage",
              "frames per sentence from a cue codebook (param codebook: CSV path)",
              settings=FramesSettings, needs=("sentences",), makes=("frames",), per_document=True)
