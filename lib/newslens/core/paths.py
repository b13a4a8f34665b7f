"""Where things live: a checkout's own folders when running from one, else the package's resources.

Two ways to run newslens, one set of names:

* From a checkout (`make reports`, an editable install, `PYTHONPATH=lib`): `PROJECT_ROOT` is the
  checkout, so `data/`, `notebooks/` and `seeds/` are the folders users edit, the cache is
  `.cache/` and reports go to `reports/` in it.
* Installed (`pip install newslens`, a wheel): the wheel carries a copy of those folders, made by the
  build (setup.py copies them into `newslens/_resources/`, so the checkout stays the one source).
  `PROJECT_ROOT` is that resource folder, read through importlib.resources; nothing is ever written
  there: the cache goes to the user's cache folder (`user_cache_dir()`), reports and tables default to
  `reports/` under the current folder.

Either way a user's own file still overrides a curated one by parameter (`-p codebook my.csv`), and
`resolve()` reads a relative path that exists from the current folder as given.
"""
from __future__ import annotations

import os
import sys
from importlib import resources
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parents[1]  # .../newslens
RESOURCES_NAME = "_resources"  # the folder inside the package that a build fills (setup.py)
# What the build copies into the package (checkout folder -> the same path under _resources/): the
# curated data (with data/evaluation.json, the accuracy the method cards show), the notebooks, and the
# seed corpus that `render` and `analyze` read when no corpus is named.
RESOURCE_DIRS = ("data", "notebooks", "seeds")


def _checkout_root() -> Path | None:
    """The checkout holding this package (lib/newslens inside a folder with newslens's pyproject.toml
    and data/), else None (an installed package, even one installed into some project's lib/)."""
    root = PACKAGE_DIR.parents[1]
    if PACKAGE_DIR.parent.name != "lib" or not (root / "data").is_dir():
        return None
    try:
        pyproject = (root / "pyproject.toml").read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    return root if 'name = "newslens"' in pyproject else None


def _resource_root() -> Path:
    """The package's resource folder as a real path (wheels are always unpacked on install)."""
    root = resources.files("newslens").joinpath(RESOURCES_NAME)
    return Path(str(root))


CHECKOUT: Path | None = _checkout_root()
IN_CHECKOUT = CHECKOUT is not None
# Relative paths (`data/corpus.csv`, `data/frames_codebook.csv`) are anchored here.
PROJECT_ROOT: Path = CHECKOUT if CHECKOUT is not None else _resource_root()
DATA_DIR = PROJECT_ROOT / "data"
SEEDS_DIR = PROJECT_ROOT / "seeds"
NOTEBOOKS_DIR = PROJECT_ROOT / "notebooks"
# Reports: the checkout's reports/ folder; installed, `reports` under the folder the command runs in
# (a relative path, resolved when used).
REPORTS_DIR = CHECKOUT / "reports" if CHECKOUT is not None else Path("reports")
DEFAULT_CORPUS = DATA_DIR / "corpus.csv"


def user_cache_dir() -> Path:
    """The platform's per-user cache folder for newslens (XDG_CACHE_HOME or ~/.cache on Linux,
    ~/Library/Caches on macOS, %LOCALAPPDATA% on Windows)."""
    if sys.platform == "win32":
        base = Path(os.environ.get("LOCALAPPDATA") or Path.home() / "AppData" / "Local")
    elif sys.platform == "darwin":
        base = Path.home() / "Library" / "Caches"
    else:
        base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return base / "newslens"


def cache_dir(kind: str) -> Path:
    """Default folder of one cache ("analyze", "render"): .cache/KIND in a checkout, else the user's
    cache folder (never inside the installed package)."""
    if CHECKOUT is not None:
        return CHECKOUT / ".cache" / kind
    return user_cache_dir() / kind


def resolve(path: str | Path) -> Path:
    """Resolve a user-given path: absolute paths stay, relative ones are taken from the project root.

    Notebooks run from `notebooks/`, papermill from anywhere, the CLI from the user's shell; anchoring
    relative paths at the project root makes `data/corpus.csv` mean the same thing in all three.
    A relative path that exists from the current directory (a CLI user pointing at their own folder)
    is taken as given.
    """
    p = Path(path).expanduser()
    if p.is_absolute():
        return p
    if p.exists():
        return p.resolve()
    return (PROJECT_ROOT / p).resolve()


def data_file(name: str) -> Path:
    """A curated file under `data/` (lexicons, gazetteers, codebooks)."""
    return DATA_DIR / name
