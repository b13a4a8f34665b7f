"""Bad input: one clear line naming the culprit, a non-zero exit, never a traceback; nothing modified."""
from __future__ import annotations

import hashlib
import subprocess
import sys
from pathlib import Path

import pytest

from newslens.corpus.loader import load_corpus
from newslens.core.errors import CorpusError
from newslens.core.paths import DEFAULT_CORPUS

GOOD_TEXT = (
    "Officials said on Monday that the ministry would buy ten new patrol boats. "
    "The deal is worth about $40 million, a spokesman said.\n"
)
HEADER = "doc_id,path,outlet,published,title\n"


def make_corpus(tmp_path: Path, rows: list[str], files: dict[str, bytes]) -> Path:
    folder = tmp_path / "corpus"
    folder.mkdir()
    for name, data in files.items():
        (folder / name).write_bytes(data)
    (folder / "corpus.csv").write_text(HEADER + "".join(r + "\n" for r in rows), encoding="utf-8")
    return folder


def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "newslens", *args], capture_output=True, text=True, timeout=120
    )


def assert_one_clear_line(result: subprocess.CompletedProcess, *fragments: str) -> None:
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    lines = [l for l in result.stderr.splitlines() if l.strip()]
    errors = [l for l in lines if l.startswith("newslens: error:")]
    assert len(errors) == 1, result.stderr
    for fragment in fragments:
        assert fragment in errors[0], errors[0]


def test_no_manifest(tmp_path):
    result = run_cli("analyze", str(tmp_path / "nowhere.csv"), "--out", str(tmp_path / "out"))
    assert_one_clear_line(result, "no manifest", "nowhere.csv")


def test_folder_without_manifest(tmp_path):
    result = run_cli("analyze", str(tmp_path), "--out", str(tmp_path / "out"))
    assert_one_clear_line(result, "no manifest", "corpus.csv", "init-manifest")


def test_missing_required_column(tmp_path):
    folder = tmp_path / "c"
    folder.mkdir()
    (folder / "a.txt").write_text(GOOD_TEXT)
    (folder / "corpus.csv").write_text("doc_id,path,outlet\na,a.txt,Daily\n")
    result = run_cli("analyze", str(folder), "--out", str(tmp_path / "out"))
    assert_one_clear_line(result, "corpus.csv", "missing required column", "published")


def test_row_whose_file_does_not_exist(tmp_path):
    folder = make_corpus(tmp_path, ["a,a.txt,Daily,2014-01-02,A", "b,missing.txt,Daily,2014-01-03,B"],
                         {"a.txt": GOOD_TEXT.encode()})
    result = run_cli("analyze", str(folder), "--out", str(tmp_path / "out"))
    assert_one_clear_line(result, "line 3", "doc_id b", "file not found", "missing.txt")


def test_empty_file(tmp_path):
    folder = make_corpus(tmp_path, ["a,a.txt,Daily,2014-01-02,A"], {"a.txt": b"  \n\n"})
    result = run_cli("analyze", str(folder), "--out", str(tmp_path / "out"))
    assert_one_clear_line(result, "doc_id a", "empty", "a.txt")


def test_binary_file(tmp_path):
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4
    folder = make_corpus(tmp_path, ["a,a.png,Daily,2014-01-02,A"], {"a.png": png})
    result = run_cli("analyze", str(folder), "--out", str(tmp_path / "out"))
    assert_one_clear_line(result, "doc_id a", "binary", "a.png")


def test_duplicate_doc_id(tmp_path):
    folder = make_corpus(tmp_path, ["a,a.txt,Daily,2014-01-02,A", "a,b.txt,Daily,2014-01-03,B"],
                         {"a.txt": GOOD_TEXT.encode(), "b.txt": GOOD_TEXT.encode()})
    result = run_cli("analyze", str(folder), "--out", str(tmp_path / "out"))
    assert_one_clear_line(result, "line 3", "duplicate doc_id 'a'", "line 2")


def test_impossible_date(tmp_path):
    folder = make_corpus(tmp_path, ["a,a.txt,Daily,2014-13-45,A"], {"a.txt": GOOD_TEXT.encode()})
    result = run_cli("analyze", str(folder), "--out", str(tmp_path / "out"))
    assert_one_clear_line(result, "line 2", "doc_id a", "2014-13-45", "not a valid date")


def test_empty_required_value(tmp_path):
    folder = make_corpus(tmp_path, ["a,a.txt,,2014-01-02,A"], {"a.txt": GOOD_TEXT.encode()})
    result = run_cli("analyze", str(folder), "--out", str(tmp_path / "out"))
    assert_one_clear_line(result, "line 2", "'outlet' is empty")


@pytest.mark.parametrize("encoding", ["cp1252", "latin-1"])
def test_legacy_encodings_are_decoded_with_a_warning(tmp_path, encoding):
    text = "The minister\u2019s \u201cfinal\u201d offer was \u00e9tudi\u00e9 in Z\u00fcrich on Monday."
    if encoding == "latin-1":
        text = "The minister's final offer was \u00e9tudi\u00e9 in Z\u00fcrich on Monday, caf\u00e9 owners said."
    folder = make_corpus(tmp_path, ["a,a.txt,Daily,2014-01-02,A"], {"a.txt": text.encode(encoding)})
    result = run_cli("analyze", str(folder), "--out", str(tmp_path / "out"))
    assert result.returncode == 0, result.stderr
    assert "WARNING" in result.stderr and "not UTF-8" in result.stderr and "doc_id a" in result.stderr
    corpus = load_corpus(folder, progress=False)
    assert corpus.bodies["a"] == text
    assert corpus.documents.loc[0, "encoding"] == "cp1252"


def test_nothing_under_the_corpus_folder_is_modified(tmp_path):
    folder = make_corpus(tmp_path, ["a,a.txt,Daily,2014-01-02,A"], {"a.txt": GOOD_TEXT.encode()})

    def snapshot():
        return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}

    before = snapshot()
    result = run_cli("analyze", str(folder), "--out", str(tmp_path / "out"))
    assert result.returncode == 0, result.stderr
    assert snapshot() == before
    assert (tmp_path / "out" / "sentences.csv").is_file()


def test_library_raises_corpus_error_not_a_crash(tmp_path):
    folder = make_corpus(tmp_path, ["a,a.txt,Daily,2014-02-30,A"], {"a.txt": GOOD_TEXT.encode()})
    with pytest.raises(CorpusError, match="2014-02-30"):
        load_corpus(folder, progress=False)


def test_single_outlet_corpus_analyzes(tmp_path):
    """A corpus of one outlet is valid input: every stage runs, comparisons come out empty."""
    folder = make_corpus(tmp_path, ["a,a.txt,Daily,2014-01-02,A", "b,b.txt,Daily,2014-01-05,B"],
                         {"a.txt": GOOD_TEXT.encode(), "b.txt": GOOD_TEXT.replace("ten", "six").encode()})
    result = run_cli("analyze", str(folder), "--out", str(tmp_path / "out"))
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "out" / "terms.csv").is_file()


def test_looks_binary_counts_control_bytes():
    from newslens.corpus.textio import looks_binary

    text = "Mosul, June 10 (Reuters) - Insurgents seized the city.\r\n\tPage\x0cbreak\n".encode() * 20
    assert not looks_binary(text)
    assert not looks_binary(b"a" * 99 + b"\x1b")      # 1% control bytes: still text
    assert looks_binary(b"a" * 98 + b"\x1b\x07")       # 2%: binary
    assert looks_binary(b"PNG\x00")


def test_text_with_letters_ignorecase_matches_to_ascii_runs_every_stage(tmp_path, seed_corpus):
    # The seeds with every "i" as "İ", "s" as "ſ" and "k" as the Kelvin sign: unusual, but valid text.
    from newslens.commands.bench import write_corpus
    from newslens.pipeline import run_stages, stage_names

    odd = str.maketrans({"i": "\u0130", "s": "\u017f", "k": "\u212a"})  # İ, ſ, Kelvin sign
    articles = [dict(doc_id=d.doc_id, outlet=d.outlet, published=str(d.published)[:10], title=d.title,
                     text=seed_corpus.bodies[d.doc_id].translate(odd)) for d in seed_corpus.documents.itertuples()]
    corpus = load_corpus(write_corpus(articles, tmp_path), progress=False)
    tables = run_stages(corpus, cache=False, engine="serial")
    assert {"claims", "events", "timeline", "tone_outlet"} <= set(tables) and len(stage_names()) > 10
    assert tables["claims"]["stated"].str.contains("\u017f|\u0130").any()  # the odd letters reached the claims


ODD_TEXTS = {
    "long": ("The United States will sell 24 Apache helicopters to Iraq " * 800).strip() + ".",
    "nopunct": "iraq drones hellfire missiles sale congress approved",
    "german": "Die USA liefern Hellfire-Raketen an den Irak. Am 3. Januar 2014 kamen 75 Raketen an. "
              "„Wir brauchen sie“, sagte Maliki.",
    "arabic": "باعت الولايات المتحدة ١٠٠ صاروخ هيلفاير إلى العراق في ٣ يناير ٢٠١٤.\nقال المالكي: «نحن بحاجة إليها».",
    "chinese": "美国向伊拉克出售了75枚地狱火导弹。2014年1月3日，导弹运抵巴格达。",
    "emoji": "The U.S. sent 75 \U0001f680 Hellfire missiles\u200b to Iraq\u00a0on Dec. 20, 2013 \U0001f631.\r\n"
             'Officials said "more are coming" \U0001f44d.\tNext week 10 ScanEagle drones arrive.',
    "numbers": "Iraq asked for 1,000,000,000,000,000,000,000,000 missiles and 1e309 drones. It got ½ of 10^20 "
               "rockets, ٣ helicopters, 3rd batch of 1.5.5 jets, $99999999999999999999999 billion, -5 tanks.",
    "dates": "The missiles arrived on February 30, 2014. Another batch came in the year 99999, on Jan. 0, "
             "on 31/31/2014, in 0000, in 2014-13-45 and on Tuesday the 45th.",
    "quotes": '"""" said. ”“ he said “ “ ” according to according to. ‘Quote’ — said Maliki, who said "',
    "caps": 'IRAQ RECEIVED 75 HELLFIRE MISSILES FROM THE UNITED STATES ON DECEMBER 20, 2013. "WE NEED MORE," SAID MALIKI.',
    "tiny": "A.",
    "symbols": "$ $$ % %% 100% of % missiles. U.S. U.N. e.g. i.e. Mr. Dr. St. No. 5 Vol. 3 pp. 4-5.",
}


def test_odd_texts_run_through_every_stage(tmp_path):
    # Articles no gazetteer or rule was written for (other scripts, emoji and invisible characters,
    # absurd numbers and dates, unbalanced quotes, capitals only, a 9,000-word sentence): every stage
    # runs, and what can be read is read.
    from newslens.commands.bench import write_corpus
    from newslens.pipeline import run_stages

    articles = [dict(doc_id=f"odd-{name}", outlet=f"Outlet {i % 3}", published=f"2014-01-{i + 1:02d}",
                     title=f"Title {name}", text=text) for i, (name, text) in enumerate(ODD_TEXTS.items())]
    corpus = load_corpus(write_corpus(articles, tmp_path), progress=False)
    assert set(corpus.documents["doc_id"]) == {a["doc_id"] for a in articles}
    tables = run_stages(corpus, cache=False, engine="serial")
    events = tables["events"].set_index("doc_id")
    hellfire = events.loc[["odd-emoji"]].query("weapon == 'Hellfire'").iloc[0]
    assert hellfire.quantity == 75 and str(hellfire.date_start.date()) == "2013-12-20"
    claims = tables["claims"]
    assert 3.0 in set(claims.loc[claims.doc_id == "odd-numbers", "value"])  # the Arabic-Indic digit ٣
    quotes = tables["quotes"].set_index("doc_id")
    assert quotes.loc["odd-emoji", "quote"] == "more are coming"
    # a sentence in capitals is read as ordinary text: weapon, count, date, parties and the claim
    caps = events.loc[["odd-caps"]].iloc[0]
    assert (caps.weapon, caps.quantity, caps.supplier, caps.recipient) == ("Hellfire", 75, "United States", "Iraq")
    assert str(caps.date_start.date()) == "2013-12-20"
    caps_claims = claims[claims.doc_id == "odd-caps"]
    assert list(caps_claims["value"]) == [75.0] and list(caps_claims["unit"]) == ["missile"]
    assert len(tables["timeline"]) >= 1 and len(tables["tone_outlet"]) > 0


@pytest.mark.parametrize("where", ["--out"])
def test_an_output_folder_that_cannot_be_made_is_one_clear_error(tmp_path, where):
    # /proc refuses new folders: the same as a read-only mount or a path under a file. (A cache folder
    # that cannot be made is no error: the run goes on uncached, see test_cache_integrity.)
    extra = {"--out": ["--out", "/proc/newslens-out"]}[where]
    result = run_cli("analyze", str(DEFAULT_CORPUS), *extra)
    assert_one_clear_line(result, "/proc/newslens-")
    assert not (tmp_path / "out").exists()  # nothing half-written
