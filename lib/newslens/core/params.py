"""Parameters given on the command line as text: parse NAME VALUE pairs into Python values; and the
files parameters name (a codebook, a gazetteer, a lexicon, a reference list), read within bounds.

A parameter file must be a regular file of at most PARAMETER_FILE_LIMIT bytes: a device such as
/dev/zero, a FIFO or a huge file would otherwise be read until memory runs out (or forever).
"""
from __future__ import annotations

import errno
import json
import os
import stat
from pathlib import Path

from newslens.core.errors import ParameterError

# Far above any real codebook, gazetteer, lexicon or reference list (the curated ones are < 100 KB).
PARAMETER_FILE_LIMIT = 20 * 1024 * 1024


def parse_value(text: str):
    """JSON when it parses (numbers, true/false, lists), otherwise the plain string."""
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        return text


def parse_param_pairs(pairs: list[list[str]] | None) -> dict:
    params = {}
    for name, value in pairs or []:
        if not name.isidentifier():
            raise ParameterError(f"parameter name '{name}' is not a valid name")
        params[name] = parse_value(value)
    return params


def _problem(path: Path, limit: int) -> str | None:
    """Why `path` cannot be a parameter file (None: it can, or it is not there / a folder, which the
    reader of that parameter reports in its own words)."""
    try:
        info = os.stat(path)  # follows links: a link to /dev/zero is /dev/zero
    except (OSError, ValueError):
        return None
    if stat.S_ISDIR(info.st_mode):
        return None
    if not stat.S_ISREG(info.st_mode):
        return "is not a regular file (a device, a FIFO or a socket cannot be read as a parameter file)"
    if info.st_size > limit:
        return f"is {info.st_size:,} bytes, more than a parameter file may hold ({limit:,})"
    return None


def check_parameter_files(params: dict, limit: int = PARAMETER_FILE_LIMIT) -> None:
    """Refuse, naming the parameter, a value that names an existing path which cannot be a parameter
    file (see _problem). Values that name nothing on disk are left to the parameter's reader."""
    from newslens.core.paths import resolve

    for name, value in params.items():
        values = value if isinstance(value, (list, tuple)) else [value]
        for item in values:
            if not isinstance(item, str) or not item or len(item) > 4096 or "\0" in item:
                continue
            problem = _problem(resolve(item), limit)
            if problem:
                raise ParameterError(f"parameter {name}: {item} {problem}")


def read_parameter_bytes(path: str | Path, what: str, limit: int = PARAMETER_FILE_LIMIT) -> bytes:
    """The bytes of a parameter file, read within bounds: ParameterError naming `what` and the file
    for a device, a FIFO, or a file over `limit` bytes (also one that grows while read). A missing file
    or a folder raises FileNotFoundError / IsADirectoryError, for the caller's own message."""
    path = Path(path)
    if path.is_dir():
        raise IsADirectoryError(errno.EISDIR, "Is a directory", str(path))
    problem = _problem(path, limit)
    if problem:
        raise ParameterError(f"{what} {path} {problem}")
    # O_NONBLOCK: a FIFO swapped in after the check must not block the open.
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    with os.fdopen(fd, "rb") as fh:
        if not stat.S_ISREG(os.fstat(fh.fileno()).st_mode):
            raise ParameterError(f"{what} {path} is not a regular file")
        data = fh.read(limit + 1)
    if len(data) > limit:
        raise ParameterError(f"{what} {path} is more than {limit:,} bytes, more than a parameter file "
                             "may hold")
    return data


def read_parameter_text(path: str | Path, what: str, encoding: str = "utf-8-sig",
                        limit: int = PARAMETER_FILE_LIMIT) -> str:
    """read_parameter_bytes decoded (UnicodeDecodeError for the caller's own message)."""
    return read_parameter_bytes(path, what, limit).decode(encoding)
