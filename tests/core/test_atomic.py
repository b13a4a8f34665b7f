"""Whole-or-absent writes with shareable permissions."""
import os
import stat

import pytest

from newslens.core.atomic import write_atomic, write_text_atomic


def test_written_file_has_ordinary_permissions(tmp_path):
    target = tmp_path / "report.html"
    write_text_atomic(target, "<p>ok</p>")
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE(target.stat().st_mode) == 0o666 & ~umask
    assert target.read_text() == "<p>ok</p>"


def test_failed_write_keeps_the_earlier_file_and_leaves_no_temp(tmp_path):
    target = tmp_path / "table.csv"
    write_text_atomic(target, "good\n")

    def broken(path):
        path.write_text("half")
        raise RuntimeError("disk full")

    with pytest.raises(RuntimeError):
        write_atomic(target, broken)
    assert target.read_text() == "good\n"
    assert [p.name for p in tmp_path.iterdir()] == ["table.csv"]
