"""Where things live, anchored at the project root (never the caller's working directory)."""
from __future__ import annotations

from pathlib import Path

# lib/newslens/paths.py -> project root is two levels above the package folder.
PROJECT_ROOT = Path(__file__).resolve().parents[3]
DATA_DIR = PROJECT_ROOT / "data"
SEEDS_DIR = PROJECT_ROOT / "seeds"
NOTEBOOKS_DIR = PROJECT_ROOT / "notebooks"
REPORTS_DIR = PROJECT_ROOT / "reports"
DEFAULT_CORPUS = DATA_DIR / "corpus.csv"


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
