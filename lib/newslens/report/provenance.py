"""Where a set of reports came from: package versions, input file hashes, date of rendering, git commit.

    info = provenance(corpus)     # a JSON-ready dict; render writes it to DIR/provenance.json and the index

No absolute local path is published (issue 23, item 22): a path inside the project is shown relative to
the project, any other path by its corpus folder's name and the file name (`shown_path`, `publishable`).
"""
from __future__ import annotations

import datetime as dt
import hashlib
import platform
import subprocess
from importlib import metadata
from pathlib import Path

from newslens.core.paths import CHECKOUT, PROJECT_ROOT

# The packages whose versions change what a report shows.
PACKAGES = [
    "newslens", "pandas", "numpy", "pyarrow", "scipy", "nltk", "vaderSentiment",
    "dateparser", "altair", "vl-convert-python", "matplotlib", "papermill", "nbconvert", "nbclient",
    "ipykernel",
]


def package_versions(names: list[str] = PACKAGES) -> dict[str, str]:
    versions = {"python": platform.python_version()}
    for name in names:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "not installed"
    return versions


def vega_versions() -> dict[str, str]:
    """Versions of the JavaScript inlined into the reports (from vl-convert)."""
    import vl_convert as vlc

    return {"vega": vlc.get_vega_version(), "vega-embed": vlc.get_vega_embed_version(),
            "vega-lite": vlc.get_vegalite_versions()[-1]}


def git_commit(root: Path | None = CHECKOUT) -> str | None:
    """The commit the code was at ("<sha> (modified)" when the working tree has changes), or None
    (also for an installed package: its version says which code ran)."""
    if root is None:
        return None
    try:
        sha = subprocess.run(["git", "rev-parse", "HEAD"], cwd=root, capture_output=True, text=True,
                             timeout=10)
        if sha.returncode != 0:
            return None
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=root,
                               capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.SubprocessError):
        return None
    commit = sha.stdout.strip()
    return f"{commit} (modified)" if dirty.stdout.strip() else commit


def shown_path(path, root: Path = PROJECT_ROOT) -> str:
    """A path as published: relative to the project when inside it, else "<folder>/<file>" (no home
    folders, no absolute paths). Relative paths are kept as they are."""
    p = Path(str(path))
    if not p.is_absolute():
        return p.as_posix()
    try:
        return p.resolve().relative_to(root.resolve()).as_posix()
    except (ValueError, OSError):
        return "/".join(p.parts[-2:]) if len(p.parts) > 2 else p.name


def publishable(value):
    """`value` (a JSON-ready structure) with every string that is an absolute local path made relative
    by `shown_path` (parameters such as `corpus`, the manifest)."""
    if isinstance(value, dict):
        return {k: publishable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [publishable(v) for v in value]
    if isinstance(value, str) and value.startswith("/") and "\n" not in value and len(value) < 4096:
        return shown_path(value)
    return value


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 16), b""):
            digest.update(block)
    return digest.hexdigest()


def provenance(corpus) -> dict:
    """Provenance of a render of `corpus` (a loaded newslens Corpus)."""
    docs = corpus.documents
    return {
        "rendered_at": dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat(),
        "git_commit": git_commit(),
        "manifest": shown_path(corpus.manifest),
        "manifest_sha256": file_sha256(Path(corpus.manifest)),
        "documents": [
            {"doc_id": r.doc_id, "path": r.path, "sha256": r.sha256}
            for r in docs[["doc_id", "path", "sha256"]].itertuples(index=False)
        ],
        "packages": package_versions(),
        "javascript": vega_versions(),
    }
