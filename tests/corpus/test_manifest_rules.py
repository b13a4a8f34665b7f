"""The manifest read by the csv module's rules, duplicate columns refused, paths kept under the corpus
folder, emptied documents flagged (issue 23, items 11, 12, 21, 23); parameter files read within
bounds (item 18)."""
from __future__ import annotations

import logging
import os
import subprocess
import sys

import pytest

from newslens.core.errors import CorpusError, ParameterError
from newslens.core.params import check_parameter_files, read_parameter_text
from newslens.core.paths import DEFAULT_CORPUS, PROJECT_ROOT
from newslens.corpus.loader import load_corpus
from newslens.corpus.manifest import ALLOW_OUTSIDE_ENV, read_manifest

HEADER = "doc_id,path,outlet,published,title\n"
TEXT = "The harbour council voted on Tuesday to widen the northern quay.\n"


def corpus(tmp_path, rows: str, header: str = HEADER, files=("a.txt", "b.txt")):
    folder = tmp_path / "corpus"
    folder.mkdir(exist_ok=True)
    for name in files:
        (folder / name).write_text(TEXT, encoding="utf-8")
    (folder / "corpus.csv").write_bytes((header + rows).encode("utf-8"))
    return folder / "corpus.csv"


def run_cli(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "newslens", *args], capture_output=True, text=True,
                          timeout=300, env={**os.environ, "PYTHONPATH": str(PROJECT_ROOT / "lib"),
                                            "NEWSLENS_CACHE": "0", **(env or {})})


# --- item 11: csv rules ----------------------------------------------------------------------------------

@pytest.mark.parametrize("char", ["\u2028", "\u0085", "\x0b", "\x0c", "\x1e", "\u2029", "\x1c"])
def test_line_separators_of_str_splitlines_stay_inside_a_field(tmp_path, char):
    manifest = corpus(tmp_path, f"a,a.txt,Harbour Post,2024-03-05,Quay{char}vote\n"
                                "b,b.txt,Civic Times,2024-03-06,Second title\n")
    df = read_manifest(manifest)
    assert list(df["doc_id"]) == ["a", "b"]
    assert df.loc[0, "title"] == f"Quay{char}vote"
    assert list(df["line"]) == [2, 3]


def test_a_line_break_inside_a_quoted_title_is_kept_and_lines_are_counted(tmp_path):
    manifest = corpus(tmp_path, 'a,a.txt,Harbour Post,2024-03-05,"Quay vote\nwidens the port"\r\n'
                                "b,b.txt,Civic Times,2024-03-06,Second title\r\n"
                                "c,missing.txt,Civic Times,2024-03-07,Third\r\n")
    with pytest.raises(CorpusError, match=r"corpus.csv line 5 \(doc_id c\): missing.txt: file not found"):
        read_manifest(manifest)
    (manifest.parent / "missing.txt").write_text(TEXT, encoding="utf-8")
    df = read_manifest(manifest)
    assert df.loc[0, "title"] == "Quay vote\nwidens the port"
    assert list(df["line"]) == [2, 4, 5]  # each row's first line in the file


# --- item 12: duplicate columns ----------------------------------------------------------------------------

def test_a_column_named_twice_is_refused_naming_it(tmp_path):
    manifest = corpus(tmp_path, "a,a.txt,Harbour Post,2024-03-05,One,Two\n",
                      header="doc_id,path,outlet,published,title, title\n")
    with pytest.raises(CorpusError, match=r"column\(s\) title appear more than once"):
        read_manifest(manifest)
    result = run_cli("analyze", str(manifest), "--out", str(tmp_path / "out"))
    assert result.returncode == 2 and result.stderr.count("\n") == 1
    assert "title appear more than once" in result.stderr


# --- item 21: paths stay under the corpus folder ---------------------------------------------------------------

@pytest.mark.parametrize("path", ["../outside.txt", "ABSOLUTE", "link.txt", "sub/../../outside.txt"])
def test_a_path_leading_outside_the_corpus_folder_is_refused_naming_the_row(tmp_path, path):
    outside = tmp_path / "outside.txt"
    outside.write_text("A private note that must not reach a published table.\n", encoding="utf-8")
    if path == "ABSOLUTE":
        path = str(outside)
    manifest = corpus(tmp_path, f"a,a.txt,Harbour Post,2024-03-05,One\nb,{path},Civic Times,2024-03-06,Two\n")
    (manifest.parent / "sub").mkdir()
    (manifest.parent / "link.txt").symlink_to(outside)
    with pytest.raises(CorpusError, match=r"corpus.csv line 3 \(doc_id b\): path .* leads outside the "
                                          r"corpus folder .*--allow-outside"):
        read_manifest(manifest)
    assert list(read_manifest(manifest, allow_outside=True)["doc_id"]) == ["a", "b"]


def test_the_cli_refuses_outside_paths_unless_allowed(tmp_path):
    (tmp_path / "outside.txt").write_text(TEXT, encoding="utf-8")
    manifest = corpus(tmp_path, "a,a.txt,Harbour Post,2024-03-05,One\nb,../outside.txt,Civic Times,2024-03-06,Two\n")
    refused = run_cli("analyze", str(manifest), "--out", str(tmp_path / "out"))
    assert refused.returncode == 2 and refused.stderr.count("\n") == 1
    assert "line 3 (doc_id b): path ../outside.txt leads outside" in refused.stderr
    allowed = run_cli("analyze", str(manifest), "--out", str(tmp_path / "out"), "--allow-outside")
    assert allowed.returncode == 0, allowed.stderr
    assert "doc_id,outlet" in (tmp_path / "out" / "documents.csv").read_text(encoding="utf-8")


def test_the_environment_allows_it_too_and_files_inside_always_pass(tmp_path, monkeypatch):
    (tmp_path / "outside.txt").write_text(TEXT, encoding="utf-8")
    manifest = corpus(tmp_path, "a,a.txt,Harbour Post,2024-03-05,One\nb,../outside.txt,Civic Times,2024-03-06,Two\n")
    monkeypatch.setenv(ALLOW_OUTSIDE_ENV, "1")
    assert len(read_manifest(manifest)) == 2
    monkeypatch.setenv(ALLOW_OUTSIDE_ENV, "0")
    with pytest.raises(CorpusError, match="leads outside"):
        read_manifest(manifest)
    # a link that stays inside the folder is fine
    (manifest.parent / "inner.txt").symlink_to(manifest.parent / "a.txt")
    manifest.write_text(HEADER + "a,inner.txt,Harbour Post,2024-03-05,One\n", encoding="utf-8")
    assert len(read_manifest(manifest)) == 1


def test_the_projects_seed_manifest_keeps_working():
    df = read_manifest(DEFAULT_CORPUS)
    assert len(df) == 5 and all(str(PROJECT_ROOT / "seeds") in f for f in df["file"])


# --- item 23: a document that cleaning empties ------------------------------------------------------------------

def test_a_document_cleaning_empties_is_flagged_and_warned(tmp_path, caplog):
    manifest = corpus(tmp_path, "a,a.txt,Harbour Post,2024-03-05,One\nb,b.txt,Civic Times,2024-03-06,Two\n")
    (manifest.parent / "b.txt").write_text("Advertisement\nShare this article\nRelated articles\n",
                                           encoding="utf-8")
    caplog.set_level(logging.WARNING, logger="newslens")
    c = load_corpus(manifest, progress=False, cache=False)
    flags = dict(zip(c.documents["doc_id"], c.documents["emptied"]))
    assert flags == {"a": False, "b": True}
    warned = [r.getMessage() for r in caplog.records if "no text left after cleaning" in r.getMessage()]
    assert len(warned) == 1 and warned[0].endswith(": b")
    assert c.bodies["b"] == "" and set(c.removed.loc[c.removed.doc_id == "b", "reason"]) >= {"advertisement"}


# --- item 18: parameter files within bounds ------------------------------------------------------------------

def test_a_device_or_fifo_as_a_parameter_file_is_refused_without_reading_it(tmp_path):
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    link = tmp_path / "zero.csv"
    link.symlink_to("/dev/zero")
    for path in ("/dev/zero", str(link), str(fifo)):
        with pytest.raises(ParameterError, match="parameter codebook: .* is not a regular file"):
            check_parameter_files({"codebook": path})
        with pytest.raises(ParameterError, match="codebook file .* is not a regular file"):
            read_parameter_text(path, "codebook file")
    check_parameter_files({"source_a": "Harbour Post", "codebook": "data", "n_boot": 200})  # not files


def test_a_parameter_file_over_the_limit_is_refused(tmp_path):
    big = tmp_path / "big.csv"
    big.write_text("cue,frame\n" + "harbour,port\n" * 200, encoding="utf-8")
    with pytest.raises(ParameterError, match="more than a parameter file may hold"):
        read_parameter_text(big, "codebook file", limit=1000)
    with pytest.raises(ParameterError, match="parameter lexicon: .* bytes, more than"):
        check_parameter_files({"lexicon": str(big)}, limit=1000)
    assert read_parameter_text(big, "codebook file").startswith("cue,frame")


def test_cli_codebook_dev_zero_is_one_line(tmp_path):
    result = run_cli("analyze", str(PROJECT_ROOT / "tests" / "fixtures" / "other_corpus"), "--out",
                     str(tmp_path / "out"), "-p", "codebook", "/dev/zero")
    assert result.returncode == 2, result.stderr
    assert result.stderr.strip() == "newslens: error: parameter codebook: /dev/zero is not a regular file " \
                                    "(a device, a FIFO or a socket cannot be read as a parameter file)"
