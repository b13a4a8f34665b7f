"""Where a set of reports came from: package versions, input file hashes, date of rendering, git commit.

    info = provenance(corpus)     # a JSON-ready dict; render writes it to DIR/provenance.json and the index
"""
from __future__ import annotations

import datetime as dt
import hashlib
import platform
import subprocess
from importlib import metadata
from pathlib import Path

from newslens.core.paths import CHECKOUT

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
        "manifest": str(corpus.manifest),
        "manifest_sha256": file_sha256(Path(corpus.manifest)),
        "documents": [
            {"doc_id": r.doc_id, "path": r.path, "sha256": r.sha256}
            for r in docs[["doc_id", "path", "sha256"]].itertuples(index=False)
        ],
        "packages": package_versions(),
        "javascript": vega_versions(),
    }
