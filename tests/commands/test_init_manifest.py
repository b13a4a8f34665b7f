"""init-manifest on a copy of the seeds (compared with the hand-made data/corpus.csv), on invented
pages, and on bad folders; the date/byline/sign-off readers it relies on."""
from __future__ import annotations

import contextlib
import csv
import datetime as dt
import hashlib
import io
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from newslens.commands.cli import main
from newslens.corpus.loader import load_corpus
from newslens.core.errors import NewslensError
from newslens.commands.init_manifest import doc_id_from_name, draft_manifest
from newslens.corpus.metadata import (author_from_byline, author_from_signoff, detect_outlet,
                               load_signatures, parse_date_line)
from newslens.core.paths import DATA_DIR, SEEDS_DIR


def run_cli(*args: str) -> subprocess.CompletedProcess:
    """The command line in this process (fast); `run_cli_process` runs it as users do."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(args))
    return subprocess.CompletedProcess(args, code, out.getvalue(), err.getvalue())


def run_cli_process(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "newslens", *args], capture_output=True, text=True,
                          timeout=120)


def read_csv(path: Path) -> list[dict]:
    with open(path, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def snapshot(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in folder.glob("*.txt")}


@pytest.fixture
def seed_copy(tmp_path) -> Path:
    folder = tmp_path / "articles"
    folder.mkdir()
    for p in SEEDS_DIR.glob("*.txt"):
        shutil.copy(p, folder / p.name)
    return folder


def test_seed_copy_draft_matches_the_hand_made_manifest(seed_copy):
    before = snapshot(seed_copy)
    result = run_cli_process("init-manifest", str(seed_copy))
    assert result.returncode == 0, result.stderr
    assert snapshot(seed_copy) == before                      # the articles are only read
    draft = {Path(r["path"]).name: r for r in read_csv(seed_copy / "corpus.csv")}
    truth = {Path(r["path"]).name: r for r in read_csv(DATA_DIR / "corpus.csv")}
    assert sorted(draft) == sorted(truth)

    # What the text reveals is found and right; U.S. News's page names neither outlet nor date.
    found_outlet = {f for f, r in draft.items() if r["outlet"]}
    found_date = {f for f, r in draft.items() if r["published"]}
    usnews = "000_92c49ae44dc71b1c.txt"
    assert found_outlet == found_date == set(truth) - {usnews}
    for f in found_outlet:
        assert draft[f]["outlet"] == truth[f]["outlet"], f
        assert draft[f]["published"] == truth[f]["published"], f
    for f in truth:
        assert draft[f]["title"] == truth[f]["title"], f
    assert draft["002_6b98d4b8ebae65a6.txt"]["author"] == "Nils Naumann"
    assert draft["003_a6b1db013d572cdd.txt"]["author"] == "Peter Symonds"
    assert draft["004_3af060a239d41706.txt"]["author"] == "AFP, AP, dpa"

    # What is missing is marked, in the file and in the summary.
    assert draft[usnews]["needs"] == "outlet published"
    assert all(not r["needs"] for f, r in draft.items() if f != usnews)
    assert draft[usnews]["doc_id"] == "000_92c49ae44dc71b1c"
    summary = [l for l in result.stdout.splitlines() if usnews in l][0]
    assert "NEEDS outlet, published" in summary
    assert "1 with required cells to fill" in result.stdout
    assert "published: line 10 'December 28, 2013'" in draft["002_6b98d4b8ebae65a6.txt"]["evidence"]


def test_draft_is_refused_by_analyze_until_filled_then_loads(seed_copy, seed_corpus):
    assert run_cli("init-manifest", str(seed_copy)).returncode == 0
    result = run_cli_process("analyze", str(seed_copy), "--out", str(seed_copy.parent / "out"))
    assert result.returncode == 2 and "'outlet' is empty" in result.stderr
    rows = read_csv(seed_copy / "corpus.csv")
    for r in rows:
        if r["needs"]:
            r["outlet"], r["published"] = "U.S. News & World Report", "2013-12-26"
    with open(seed_copy / "corpus.csv", "w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    corpus = load_corpus(seed_copy, progress=False)
    assert len(corpus.documents) == 5
    # without the manifest title the cleaner finds the same body as with it
    assert corpus.bodies["002_6b98d4b8ebae65a6"] == seed_corpus.bodies["dw-2013-12-28"]


def test_shared_fixture_corpus_nobody_tuned_for(tmp_path):
    """The invented corpus in tests/fixtures/other_corpus: every value found agrees with its manifest."""
    source = Path(__file__).parents[1] / "fixtures" / "other_corpus"
    folder = tmp_path / "other"
    folder.mkdir()
    for p in source.glob("*.txt"):
        shutil.copy(p, folder / p.name)
    assert run_cli("init-manifest", str(folder)).returncode == 0
    truth = {r["path"]: r for r in read_csv(source / "corpus.csv")}
    draft = {r["path"]: r for r in read_csv(folder / "corpus.csv")}
    assert sorted(draft) == sorted(truth)
    for path, row in draft.items():
        for column in ("outlet", "published", "title", "author"):
            if row[column]:
                assert row[column] == truth[path][column], (path, column)
    assert all(row["title"] for row in draft.values())
    assert sum(bool(row["published"]) for row in draft.values()) >= len(draft) - 1


def test_existing_manifest_is_kept_unless_forced(seed_copy):
    (seed_copy / "corpus.csv").write_text("mine\n", encoding="utf-8")
    result = run_cli_process("init-manifest", str(seed_copy))
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "already exists" in result.stderr and "--force" in result.stderr
    assert (seed_copy / "corpus.csv").read_text(encoding="utf-8") == "mine\n"
    assert run_cli("init-manifest", str(seed_copy), "--force").returncode == 0
    assert read_csv(seed_copy / "corpus.csv")[0]["doc_id"] == "000_92c49ae44dc71b1c"


def test_out_elsewhere_writes_paths_relative_to_the_manifest(seed_copy, tmp_path):
    out = tmp_path / "manifests" / "seeds.csv"
    out.parent.mkdir()
    assert run_cli("init-manifest", str(seed_copy), "--out", str(out)).returncode == 0
    assert not (seed_copy / "corpus.csv").exists()
    row = read_csv(out)[0]
    assert row["path"] == "../articles/000_92c49ae44dc71b1c.txt"
    assert (out.parent / row["path"]).resolve().is_file()


WIRE_PAGE = """Skip to main content

World

Navy to buy six patrol boats from Dutch yard

By Anna Kowalski
Tuesday, March 3, 2015 10:52 AM GMT

THE HAGUE (Reuters) - The Ghanaian navy will buy six patrol boats from a Dutch shipyard, the defence ministry said on Tuesday.

The boats will be delivered over three years, ministry spokesman Kwame Mensah told reporters.

(Reporting by Anna Kowalski; Editing by Mark Heinrich)

Our Standards: The Thomson Reuters Trust Principles.
"""

UNKNOWN_PAGE = """# Harbour gets new cranes

Updated 5 June 2016

The port authority said on Friday it had bought four cranes for the container terminal.
"""


def test_invented_pages_and_an_unreadable_file(tmp_path):
    folder = tmp_path / "mixed"
    folder.mkdir()
    (folder / "Wire Story (1).txt").write_text(WIRE_PAGE, encoding="utf-8")
    (folder / "harbour.TXT").write_text(UNKNOWN_PAGE, encoding="utf-8")
    (folder / "empty.txt").write_bytes(b"\n\n")
    (folder / "notes.md").write_text("not an article", encoding="utf-8")
    legacy = "Le ministre a sign\u00e9 le contrat \u00e0 Z\u00fcrich lundi, a dit un porte-parole."
    (folder / "legacy.txt").write_bytes(legacy.encode("cp1252"))
    result = run_cli("init-manifest", str(folder))
    assert result.returncode == 0, result.stderr
    skipped = [l for l in result.stdout.splitlines() if "SKIPPED" in l]
    assert len(skipped) == 1 and "empty.txt" in skipped[0] and "empty" in skipped[0].split("SKIPPED")[1]
    assert "1 files skipped" in result.stdout
    rows = {r["doc_id"]: r for r in read_csv(folder / "corpus.csv")}
    assert sorted(rows) == ["harbour", "legacy", "wire-story-1"]
    assert "decoded as cp1252" in rows["legacy"]["evidence"]
    assert "not UTF-8" in [l for l in result.stdout.splitlines() if "legacy.txt" in l][0]
    wire = rows["wire-story-1"]
    assert (wire["outlet"], wire["published"], wire["author"], wire["title"]) == (
        "Reuters", "2015-03-03", "Anna Kowalski", "Navy to buy six patrol boats from Dutch yard")
    harbour = rows["harbour"]
    assert (harbour["outlet"], harbour["published"], harbour["title"], harbour["needs"]) == (
        "", "2016-06-05", "Harbour gets new cranes", "outlet")
    assert "2 with required cells to fill" in result.stdout


@pytest.mark.parametrize("make, message", [
    (lambda d: d / "nowhere", "no such folder"),
    (lambda d: (d / "a.txt").write_text("x") and d / "a.txt", "is not a folder"),
    (lambda d: d, "holds no .txt files"),
])
def test_bad_folders_get_one_clear_line(tmp_path, make, message):
    target = make(tmp_path)
    if (tmp_path / "a.txt").exists() and target == tmp_path:
        (tmp_path / "a.txt").unlink()
    result = run_cli("init-manifest", str(target))
    assert result.returncode == 2 and "Traceback" not in result.stderr
    errors = [l for l in result.stderr.splitlines() if l.startswith("newslens: error:")]
    assert len(errors) == 1 and message in errors[0]


def test_a_folder_of_only_unreadable_files_is_an_error(tmp_path):
    (tmp_path / "a.txt").write_bytes(b"\x00\x01\x02binary")
    with pytest.raises(NewslensError, match="binary"):
        from newslens.commands.init_manifest import run
        import argparse
        run(argparse.Namespace(folder=str(tmp_path), out=None, force=False))
    assert not (tmp_path / "corpus.csv").exists()


def test_doc_ids_are_safe_and_unique(tmp_path):
    assert doc_id_from_name("Wire Story (1).txt") == "wire-story-1"
    assert doc_id_from_name("000_92c49ae44dc71b1c.txt") == "000_92c49ae44dc71b1c"
    (tmp_path / "A b.txt").write_text(UNKNOWN_PAGE, encoding="utf-8")
    (tmp_path / "a-b.txt").write_text(UNKNOWN_PAGE, encoding="utf-8")
    ids = [r.values["doc_id"] for r in draft_manifest(tmp_path)]
    assert sorted(ids) == ["a-b", "a-b-2"]


@pytest.mark.parametrize("line, expected", [
    ("December 28, 2013", dt.date(2013, 12, 28)),
    ("1 August 2014", dt.date(2014, 8, 1)),
    ("Latest update : 2014-01-07", dt.date(2014, 1, 7)),
    ("Date created : 2014-01-07", dt.date(2014, 1, 7)),
    ("January 7, 2014", dt.date(2014, 1, 7)),
    ("Tuesday, January 7, 2014 10:52 AM EST", dt.date(2014, 1, 7)),
    ("Jan. 7, 2014", dt.date(2014, 1, 7)),
    ("Updated: 14.04.2016", dt.date(2016, 4, 14)),
    ("*Published 12 May 2016*", dt.date(2016, 5, 12)),
    ("2014-13-45", None),
    ("He was detained on Saturday (28.12.2013).", None),
    ("More than 8,000 Iraqis were killed in 2013", None),
])
def test_date_lines(line, expected):
    assert parse_date_line(line) == expected


def test_bylines_and_signoffs():
    assert author_from_byline("Nils Naumann /ai") == "Nils Naumann"
    assert author_from_byline("Text by FRANCE 24") == "FRANCE 24"
    assert author_from_byline("By Jane Doe") == "Jane Doe"
    assert author_from_byline("By + More") is None
    assert author_from_signoff("(Reporting by Idrees Ali; Editing by Leslie Adler)") == "Idrees Ali"
    assert author_from_signoff("msh/ph (AFP, AP, dpa)") == "AFP, AP, dpa"


def test_outlet_signatures_are_data_and_ties_stay_blank(tmp_path):
    sigs = tmp_path / "sigs.csv"
    sigs.write_text("pattern,outlet\n^Harbour Herald staff$,Harbour Herald\n^— Daily Wire$,Daily Wire\n",
                    encoding="utf-8")
    mine = load_signatures(sigs)
    assert detect_outlet(["Text.", "Harbour Herald staff"], mine) == ("Harbour Herald", ["Harbour Herald staff"])
    outlet, evidence = detect_outlet(["Harbour Herald staff", "— Daily Wire"], mine)
    assert outlet is None and len(evidence) == 2
    assert detect_outlet(["nothing here"], mine) == (None, [])
    bad = tmp_path / "bad.csv"
    bad.write_text("pattern,outlet\n(unclosed,X\n", encoding="utf-8")
    with pytest.raises(NewslensError, match="line 2: bad pattern"):
        load_signatures(bad)
    assert {s.outlet for s in load_signatures()} >= {"France 24", "Deutsche Welle", "World Socialist Web Site"}
