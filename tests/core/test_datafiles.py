"""The one reader of curated CSV and TXT files: rows with their lines, errors naming file and line."""
from __future__ import annotations

import os

import pytest

from newslens.core.datafiles import read_lines, read_table
from newslens.core.errors import ParameterError


def test_rows_skip_notes_and_blank_lines_and_keep_their_line(tmp_path):
    path = tmp_path / "weapons.csv"
    path.write_text("# curated by hand\nWeapon, Category\n\nJavelin , missile\n# a note\nBradley,vehicle,\n",
                    encoding="utf-8")
    with pytest.raises(ParameterError, match=r"weapons\.csv, line 6: 3 cells but the header has 2"):
        read_table(path, "weapon list")
    path.write_text("# curated by hand\nWeapon, Category\n\nJavelin , missile\n# a note\nBradley\n", encoding="utf-8")
    table = read_table(path, "weapon list", required=("weapon",))
    assert table.header == ("weapon", "category")
    assert [(r.line, r["weapon"], r.get("category")) for r in table.rows] == [(4, "Javelin", "missile"),
                                                                               (6, "Bradley", "")]
    assert table.rows[1].where == f"{path}, line 6"


@pytest.mark.parametrize("content, message", [
    (None, r"weapon list file .*missing\.csv does not exist"),
    (b"weapon\n\xff\xfe\n", "is not UTF-8 text"),
    (b"# only a note\n", "is empty"),
    (b"name,category\nJavelin,missile\n", r"lacks column\(s\) weapon \(it needs weapon\)"),
])
def test_a_bad_file_is_one_line_naming_it(tmp_path, content, message):
    path = tmp_path / "missing.csv"
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(ParameterError, match=message) as err:
        read_table(path, "weapon list", required=("weapon",))
    assert "\n" not in str(err.value)


def test_an_edited_file_is_read_again(tmp_path):
    path = tmp_path / "names.txt"
    path.write_text("# given names\nAmira\n\nJonas\n", encoding="utf-8")
    assert read_lines(path, "given names") == ("Amira", "Jonas")
    path.write_text("# given names\nAmira\nJonas\nKerem\n", encoding="utf-8")
    os.utime(path, ns=(1, 10**18))  # a new modification time even on a coarse clock
    assert read_lines(path, "given names") == ("Amira", "Jonas", "Kerem")
