"""A stage of the analysis chain, declared as an object by the analysis that runs it.

    @dataclass(frozen=True)
    class FramesSettings(Settings):
        codebook: str = param(DEFAULT, "frame codebook CSV (default data/frames_codebook.csv)", read=...)

    def stage(corpus, tables, settings: FramesSettings) -> dict[str, DataFrame]: ...

    STAGE = Stage("frames", stage, "frames per sentence from a cue codebook", settings=FramesSettings,
                  needs=("sentences",), makes=("frames",), per_document=True)

The runner (newslens.pipeline) resolves each stage's Settings once from the user's parameters
(`Settings.resolve(documents, params)`: "" and None read as the default, a file as its resolved path,
the outlet pair chosen), calls the stage with them and keys its cache entry by them. So a notebook's
{"n_boot": 2000} and analyze's {} that mean the same run share one entry, and a bad value fails before
any stage runs.

The analyses declare their stages this way in light modules, naming the function as "module:function"
("newslens.analyses.frames:stage"), so listing the stages imports no implementation: a stage's module is
imported when it first runs. A stage kept outside the package (a user's own, a test's) is named the same
way; without `settings` it is called with the parameters dict and keyed by the names in `params` (None:
all of them).

These declarations sit in the core layer so that the analyses can declare their stages without
importing the pipeline that runs them.
"""
from __future__ import annotations

import importlib
import math
from dataclasses import MISSING, dataclass, field, fields
from typing import Any, Callable, ClassVar

from newslens.core.errors import ParameterError

# The tables every run starts with, made by loading the corpus.
CORE_TABLES = ("documents", "sentences", "removed")

Reader = Callable[[str, Any], Any]


def param(default: Any, help: str, read: Reader | None = None) -> Any:
    """A Settings field: its default, the help line `analyze --list-params` shows, and how a given value
    is read (`read(name, value) -> value`, raising ParameterError; by default from the field's type)."""
    return field(default=default, metadata={"help": help, "read": read})


def file_param(path_of: Callable[[Any], Any], help: str) -> Any:
    """A Settings field naming a data file: its default is `path_of(None)` (the curated file) and a given
    value is read as `path_of(value)`, both as text, so that every way of writing one file keys the
    cache the same (e.g. newslens.textkit.weapons.weapons_path)."""
    return param(str(path_of(None)), help, lambda name, value: str(path_of(value)))


def read_whole(name: str, value: Any) -> int:
    """A whole number (7, 7.0, "7")."""
    if isinstance(value, bool):
        raise ParameterError(f"{name} must be a whole number, got {value!r}")
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise ParameterError(f"{name} must be a whole number, got {value!r}") from None
    if not math.isfinite(number) or number != int(number):
        raise ParameterError(f"{name} must be a whole number, got {value!r}")
    return int(number)


def read_number(name: str, value: Any) -> float:
    if isinstance(value, bool):
        raise ParameterError(f"{name} must be a number, got {value!r}")
    try:
        return float(value)
    except (TypeError, ValueError):
        raise ParameterError(f"{name} must be a number, got {value!r}") from None


def read_bool(name: str, value: Any) -> bool:
    if not isinstance(value, bool):
        raise ParameterError(f"{name} must be true or false, not {value!r}")
    return value


def read_text(name: str, value: Any) -> str:
    return str(value)


_READERS: dict[str, Reader] = {"int": read_whole, "float": read_number, "bool": read_bool, "str": read_text}


@dataclass(frozen=True)
class Settings:
    """The parameters of a stage: one typed, defaulted field each (see `param`), named `prefix + field`
    among the user's parameters. This base class, with no field, is the settings of a stage that reads
    no parameter."""

    prefix: ClassVar[str] = ""

    @classmethod
    def parameters(cls) -> dict[str, str]:
        """Parameter name -> help line, in field order."""
        return {cls.prefix + f.name: f.metadata.get("help", "") for f in fields(cls)}

    @classmethod
    def resolve(cls, documents: Any, params: dict) -> "Settings":
        """The settings the user's `params` (all parameters of a run; other stages' ones are ignored)
        mean: each given value read, "" and None read as the default; then `finished(documents)`."""
        values = {}
        for f in fields(cls):
            name = cls.prefix + f.name
            raw = params.get(name)
            if raw is None or raw == "":
                continue
            kind = f.type if isinstance(f.type, str) else getattr(f.type, "__name__", "")  # "int" or int
            read = f.metadata.get("read") or _READERS.get(kind, read_text)
            values[f.name] = read(name, raw)
        return cls(**values).finished(documents)

    def finished(self, documents: Any) -> "Settings":
        """Checks across fields and choices that need the corpus (a subclass overrides it)."""
        return self

    def key(self) -> dict[str, Any]:
        """Parameter name -> value: what the cache keys the stage's run by."""
        return {self.prefix + f.name: getattr(self, f.name) for f in fields(self)}

    @classmethod
    def defaults(cls) -> dict[str, Any]:
        return {cls.prefix + f.name: f.default for f in fields(cls) if f.default is not MISSING}


def load_target(target: str) -> Callable[..., dict[str, Any]]:
    """The function named "module:function": a module of the newslens package, named in full
    ("newslens.analyses.frames:stage", as the registry's stages are) or below it ("analyses.frames:stage"),
    else any importable module (a stage kept outside the package, e.g. a user's own or a test's)."""
    module, func = target.split(":")
    if module.startswith("newslens."):
        return getattr(importlib.import_module(module), func)
    try:
        found = importlib.import_module(f"newslens.{module}")
    except ModuleNotFoundError as exc:
        if exc.name != f"newslens.{module}" and not f"newslens.{module}".startswith(f"{exc.name}."):
            raise
        found = importlib.import_module(module)
    return getattr(found, func)


@dataclass(frozen=True)
class Stage:
    """One stage: its name, the function it runs and how the runner may schedule and cache it."""

    name: str
    # The function (corpus, tables, settings) -> {table name: table}; or "module:function" for a stage
    # outside the package, called with the parameters dict.
    func: Callable[..., dict[str, Any]] | str
    doc: str = ""
    # The stage's parameters (a Settings subclass; Settings itself when it reads none). None: a stage
    # called with the parameters dict (see `params`).
    settings: type[Settings] | None = None
    # For a stage without `settings`: the parameter names it reads, e.g. ("alpha",); "reuse_*" names
    # every parameter starting "reuse_"; None means "every parameter", which is always safe.
    params: tuple[str, ...] | None = None
    # True when the stage's tables for a set of documents are its tables for any split of those
    # documents into batches, concatenated in corpus order: per-sentence or per-document work with no
    # statistic over the whole corpus. Such a stage runs in batches on worker processes (or Dask) for a
    # large corpus; every DataFrame it returns must have a doc_id column.
    per_document: bool = False
    # The tables the stage reads (also those it reads only when present); None means "any table".
    # Asking for a stage runs the stages that make what it needs, so it reads the same tables (and hits
    # the same cache entries) as in a run of every stage. A stage that reads only the corpus tables and
    # is not per-document runs *alongside* the stages after it (see the pipeline): no later stage reads
    # its tables.
    needs: tuple[str, ...] | None = None
    # The tables the stage may return (a stage returning another one fails); None means "any table".
    makes: tuple[str, ...] | None = None

    @property
    def target(self) -> str:
        """"module:function" of the stage's function (part of its cache key)."""
        if isinstance(self.func, str):
            return self.func
        return f"{self.func.__module__}:{self.func.__qualname__}"

    def function(self) -> Callable[..., dict[str, Any]]:
        return load_target(self.func) if isinstance(self.func, str) else self.func

    @property
    def alongside(self) -> bool:
        return self.needs is not None and set(self.needs) <= set(CORE_TABLES) and not self.per_document

    def parameters(self) -> dict[str, str]:
        """The parameter names the stage reads -> their help lines ({} for a stage without settings)."""
        return self.settings.parameters() if self.settings is not None else {}

    def resolve(self, documents: Any, params: dict) -> Settings | dict:
        """What the stage is called with for the run's `params`: its Settings, resolved; the parameters
        dict itself for a stage without settings."""
        if self.settings is None:
            return dict(params)
        return self.settings.resolve(documents, params)

    def cache_params(self, given: Settings | dict) -> dict:
        """The parameters the cache keys this stage by: its settings' values (the key covers them all),
        or the parameters dict (the key covers those named in `params`)."""
        return given.key() if isinstance(given, Settings) else given

    # Not __call__: Dask reads a tuple whose first item is callable as a task to run.
    def run(self, corpus: Any, tables: dict, params: Settings | dict | None = None) -> dict[str, Any]:
        """Run the stage (e.g. in a test): a parameters dict is resolved to its settings first."""
        given = params if isinstance(params, Settings) else self.resolve(corpus.documents, params or {})
        return self.function()(corpus, tables, given)
