"""Table files: formula cells escaped (reversibly), CSV and Parquet read back alike with their types,
stale tables removed from a reused folder, the corpus's own files never overwritten."""
from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pandas as pd
import pytest

from newslens import read_tables
from newslens.commands.cli import main
from newslens.core.errors import ParameterError
from newslens.core.paths import DEFAULT_CORPUS, PROJECT_ROOT
from newslens.core.tablefiles import escape_cell, escape_formulas, needs_escape, unescape_cell
from newslens.pipeline.formats import RECORD, TableOptions
from newslens.pipeline import analyze, write_tables


@pytest.mark.parametrize("cell, escaped", [
    ("=HYPERLINK(\"http://example.org\",\"click\")", "'=HYPERLINK(\"http://example.org\",\"click\")"),
    ("+1 555 0100 and more", "'+1 555 0100 and more"),
    ("-- a dashed line", "'-- a dashed line"),
    ("@SUM(A1:A9)", "'@SUM(A1:A9)"),
    ("\t=1+1", "'\t=1+1"),
    ("-2+3", "'-2+3"),
    ("-5", "-5"),                      # a plain number stays a number
    ("+3.25", "+3.25"),
    ("-1,200.5", "-1,200.5"),
    ("Baghdad = capital", "Baghdad = capital"),  # only the first character counts
    ("'Tis the season", "'Tis the season"),
    ("'=already quoted", "''=already quoted"),  # one more ' so that reading back gives it unchanged
    ("", ""),
])
def test_escape_cell(cell, escaped):
    assert escape_cell(cell) == escaped
    assert unescape_cell(escaped) == cell
    assert needs_escape(cell) == (escaped != cell)


def test_escape_formulas_touches_text_only():
    df = pd.DataFrame({"title": ["=cmd|' /C calc'!A0", "Missiles and drones", "-5"],
                       "change": [-1.5, 2.0, -3.0], "count": [-2, 3, 4]})
    out = escape_formulas(df)
    assert out["title"].tolist() == ["'=cmd|' /C calc'!A0", "Missiles and drones", "-5"]
    assert out["change"].tolist() == [-1.5, 2.0, -3.0]
    assert out["count"].dtype == "int64"
    assert df["title"][0].startswith("=")  # the caller's frame is not changed
    plain = pd.DataFrame({"title": ["Missiles and drones"]})
    assert escape_formulas(plain) is plain


def _tables():
    documents = pd.DataFrame({
        "doc_id": ["a", "b"], "outlet": ["@Outlet", "Plain News"], "title": ["=1+1", "A title"],
        "author": ["", ""], "published": ["2014-01-07", "2013-12-26"], "url": ["", ""],
        "n_words": [12, 30], "n_sentences": [1, 2], "language": ["en", "en"], "path": ["a.txt", "b.txt"],
        "encoding": ["utf-8", "utf-8"], "sha256": ["0" * 64, "1" * 64],
    })
    claims_like = pd.DataFrame({"doc_id": ["a"], "value": [-3.5], "approximate": [True], "note": ["NA"]})
    return {"documents": documents, "extra": claims_like, "timeline.json": {"events": []}}


def test_csv_and_parquet_read_back_alike_with_types(tmp_path):
    write_tables(_tables(), tmp_path, workers=1)
    text = (tmp_path / "documents.csv").read_text(encoding="utf-8")
    assert "'=1+1" in text and "'@Outlet" in text
    assert not text.startswith("\ufeff")
    from_csv, from_parquet = read_tables(tmp_path, "csv"), read_tables(tmp_path, "parquet")
    assert sorted(from_csv) == sorted(from_parquet) == ["documents", "extra"]
    for name in from_csv:
        pd.testing.assert_frame_equal(from_csv[name], from_parquet[name])
    docs = from_csv["documents"]
    assert docs["title"].tolist() == ["=1+1", "A title"]         # read back as written in the table
    assert docs["outlet"][0] == "@Outlet"
    assert pd.api.types.is_datetime64_any_dtype(docs["published"])
    assert pd.api.types.is_string_dtype(docs["author"]) and docs["author"].tolist() == ["", ""]
    assert docs["n_words"].dtype == "int64"
    extra = from_csv["extra"]  # undeclared columns: types guessed from the cells; "NA" stays text
    assert extra["value"].tolist() == [-3.5] and extra["approximate"].dtype == bool
    assert extra["note"].tolist() == ["NA"]


def test_format_and_excel_options(tmp_path):
    write_tables(_tables(), tmp_path / "csv", workers=1, options=TableOptions.of("csv", excel=True))
    assert not list((tmp_path / "csv").glob("*.parquet"))
    assert (tmp_path / "csv" / "documents.csv").read_bytes().startswith(b"\xef\xbb\xbfdoc_id,")
    assert read_tables(tmp_path / "csv")["documents"].columns[0] == "doc_id"
    write_tables(_tables(), tmp_path / "pq", workers=1, options=TableOptions.of("parquet"))
    assert not list((tmp_path / "pq").glob("*.csv"))
    assert (tmp_path / "pq" / "timeline.json").is_file()  # not a DataFrame: JSON in every format
    with pytest.raises(ParameterError, match="--format xlsx"):
        TableOptions.of("xlsx")


def test_a_reused_folder_loses_the_tables_this_run_did_not_write(tmp_path):
    write_tables(_tables(), tmp_path, workers=1, prune=True)
    (tmp_path / "my_notes.csv").write_text("mine\n", encoding="utf-8")
    fewer = {"documents": _tables()["documents"]}
    write_tables(fewer, tmp_path, workers=1)  # an export of some tables adds to the folder
    assert (tmp_path / "extra.parquet").is_file() and (tmp_path / "timeline.json").is_file()
    write_tables(fewer, tmp_path, workers=1, prune=True)  # a run (analyze) replaces it
    left = sorted(p.name for p in tmp_path.iterdir())
    assert left == [RECORD, "README.md", "documents.csv", "documents.parquet", "my_notes.csv"]


def test_analyze_of_a_one_outlet_corpus_after_the_seeds_keeps_no_seed_table(tmp_path):
    out = tmp_path / "data"
    analyze(DEFAULT_CORPUS, out=out, cache=False, progress=False)
    assert (out / "tone_tests.csv").is_file()
    corpus = tmp_path / "one"
    shutil.copytree(PROJECT_ROOT / "tests" / "fixtures" / "arms_other", corpus)
    manifest = pd.read_csv(corpus / "corpus.csv", dtype=str, keep_default_na=False)
    manifest["outlet"] = "Harbour Gazette"
    manifest.to_csv(corpus / "corpus.csv", index=False)
    tables = analyze(corpus / "corpus.csv", out=out, cache=False, progress=False)
    assert "tone_tests" not in tables
    on_disk = {p.stem for p in out.glob("*.csv")}
    assert on_disk == {n for n, v in tables.items() if isinstance(v, pd.DataFrame)}
    assert read_tables(out)["documents"]["outlet"].unique().tolist() == ["Harbour Gazette"]


def test_a_users_own_readme_is_never_overwritten(tmp_path):
    (tmp_path / "README.md").write_text("my notes\n", encoding="utf-8")
    write_tables(_tables(), tmp_path, workers=1)
    assert (tmp_path / "README.md").read_text(encoding="utf-8") == "my notes\n"


def test_analyze_refuses_to_overwrite_the_manifest(tmp_path, capsys):
    corpus = tmp_path / "corpus"
    shutil.copytree(PROJECT_ROOT / "tests" / "fixtures" / "arms_other", corpus)
    manifest = corpus / "documents.csv"
    (corpus / "corpus.csv").rename(manifest)
    before = manifest.read_bytes()
    status = main(["analyze", str(manifest), "--out", str(corpus), "--no-cache", "--no-progress"])
    err = capsys.readouterr().err.strip().splitlines()
    assert status == 2
    assert len(err) == 1 and "documents.csv would overwrite the corpus's own file" in err[0]
    assert manifest.read_bytes() == before
    assert not (corpus / "sentences.csv").exists()


def test_seed_tables_csv_unchanged_and_parquet_equal(tmp_path):
    """The seeds' CSVs are what pandas writes (no escape needed, no BOM); Parquet reads back equal."""
    out = tmp_path / "data"
    tables = analyze(DEFAULT_CORPUS, out=out, cache=False, progress=False)
    for name, value in tables.items():
        if isinstance(value, pd.DataFrame):
            expected = hashlib.sha256(value.to_csv(index=False).encode("utf-8")).hexdigest()
            assert hashlib.sha256((out / f"{name}.csv").read_bytes()).hexdigest() == expected, name
    from_csv, from_parquet = read_tables(out, "csv"), read_tables(out, "parquet")
    assert sorted(from_csv) == sorted(n for n, v in tables.items() if isinstance(v, pd.DataFrame))
    for name in from_csv:
        pd.testing.assert_frame_equal(from_csv[name], from_parquet[name], check_exact=True)
    assert from_csv["events"]["date_start"].dtype == "datetime64[s]"
    assert from_csv["documents"]["published"].dtype == "datetime64[s]"
    assert pd.api.types.is_string_dtype(from_csv["documents"]["author"])
    assert (out / "README.md").read_text(encoding="utf-8").count("\n## ") == len(from_csv)


def test_init_manifest_escapes_a_formula_file_name_and_the_loader_reads_it_back(tmp_path, capsys):
    from newslens.corpus.loader import load_corpus

    folder = tmp_path / "texts"
    folder.mkdir()
    text = ("Missiles reach the port\n\nBy Ana Veloria\n\nThe ministry said on Tuesday that twelve crates of "
            "spare parts reached the northern port after a delay of three weeks. Officials declined to say "
            "who paid for the shipment.\n")
    (folder / "=HYPERLINK(x).txt").write_text(text, encoding="utf-8")
    (folder / "plain.txt").write_text(text.replace("twelve", "nine"), encoding="utf-8")
    assert main(["init-manifest", str(folder)]) == 0
    manifest = (folder / "corpus.csv").read_text(encoding="utf-8")
    assert "'=HYPERLINK(x).txt" in manifest and "\n=" not in manifest and ",=" not in manifest
    # fill what a user must fill, then load: the path reads back as the file's real name
    import csv, io
    rows = list(csv.DictReader(io.StringIO(manifest)))
    for row in rows:
        row.update(outlet=row["outlet"] or "Harbour Gazette", published=row["published"] or "2014-01-07")
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    (folder / "corpus.csv").write_text(buffer.getvalue(), encoding="utf-8")
    corpus = load_corpus(folder / "corpus.csv", progress=False, cache=False)
    assert sorted(corpus.documents["path"]) == ["=HYPERLINK(x).txt", "plain.txt"]


def test_tables_written_by_worker_processes_equal_those_written_here(tmp_path, monkeypatch):
    import newslens.pipeline.tables as tables_module

    tables = analyze(DEFAULT_CORPUS, cache=False, progress=False)
    write_tables(tables, tmp_path / "here", workers=1)
    monkeypatch.setattr(tables_module, "MIN_ROWS_FOR_PARALLEL_WRITE", 0)
    write_tables(tables, tmp_path / "forked", workers=2)
    here = sorted(p.name for p in (tmp_path / "here").iterdir())
    assert here == sorted(p.name for p in (tmp_path / "forked").iterdir())
    for name in here:
        if name.endswith(".csv"):
            assert (tmp_path / "here" / name).read_bytes() == (tmp_path / "forked" / name).read_bytes(), name
    forked = read_tables(tmp_path / "forked", "parquet")
    for name, df in read_tables(tmp_path / "here", "parquet").items():
        pd.testing.assert_frame_equal(df, forked[name])


def test_import_writes_formula_cells_escaped_and_reads_them_back(tmp_path):
    from newslens.corpus.importers.writer import _csv, _read_csv

    rows = [{"doc_id": "a", "title": "=HYPERLINK(\"http://example.org\")", "outlet": "@Gazette", "n": 3},
            {"doc_id": "b", "title": "-20% off", "outlet": "Plain", "n": -4}]
    text = _csv(rows, ["doc_id", "title", "outlet", "n"])
    assert "'=HYPERLINK" in text and "'@Gazette" in text and "'-20% off" in text and ",-4\n" in text
    (tmp_path / "corpus.csv").write_text(text, encoding="utf-8")
    back = _read_csv(tmp_path / "corpus.csv")
    assert [r["title"] for r in back] == [rows[0]["title"], "-20% off"]
    assert [r["outlet"] for r in back] == ["@Gazette", "Plain"]


def test_no_csv_cell_of_a_run_can_run_as_a_formula(tmp_path):
    """Issue 23 item 3: outlets, titles and authors beginning with =, +, - or @ reach many tables; in
    the CSVs every such cell carries a leading ', and the tables read back with the original text."""
    import csv

    corpus = tmp_path / "corpus"
    shutil.copytree(PROJECT_ROOT / "tests" / "fixtures" / "arms_other", corpus)
    manifest = pd.read_csv(corpus / "corpus.csv", dtype=str, keep_default_na=False)
    evil = {0: ("=cmd|' /C calc'!A0", "@SUM(1,2)", "+44 20 7946 0000 desk"),
            1: ("-Baltic Courier", "=HYPERLINK(\"http://example.org\",\"more\")", "@ana")}
    for i, (outlet, title, author) in evil.items():
        manifest.loc[manifest.index[i], ["outlet", "title", "author"]] = [outlet, title, author]
    manifest.to_csv(corpus / "corpus.csv", index=False)
    out = tmp_path / "out"
    tables = analyze(corpus / "corpus.csv", out=out, cache=False, progress=False)
    carrying = 0
    for path in sorted(out.glob("*.csv")):
        with open(path, encoding="utf-8", newline="") as fh:
            cells = [cell for row in list(csv.reader(fh))[1:] for cell in row]
        assert not [c for c in cells if needs_escape(c) and not c.startswith("'")], path.name
        carrying += any(c.startswith("'=cmd") or c.startswith("'-Baltic") for c in cells)
    assert carrying >= 5  # the outlet names travel into many tables
    from_csv, from_parquet = read_tables(out, "csv"), read_tables(out, "parquet")
    for name in from_csv:
        pd.testing.assert_frame_equal(from_csv[name], from_parquet[name])
    assert set(from_csv["documents"]["outlet"]) >= {"=cmd|' /C calc'!A0", "-Baltic Courier"}
    pd.testing.assert_series_equal(from_csv["documents"]["title"], tables["documents"]["title"].astype("str"),
                                   check_names=False)
