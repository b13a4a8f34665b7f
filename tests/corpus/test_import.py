"""`import`: real saved pages from six news sites, scraper JSON and a Media Cloud export -> a corpus."""
from __future__ import annotations

import csv
import hashlib
import io
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from newslens.core.errors import CorpusError
from newslens.corpus.importers.collect import collect
from newslens.corpus.importers.html import extract_page
from newslens.corpus.importers.records import repair
from newslens.corpus.importers.writer import write_corpus
from newslens.commands.import_cmd import read_txt

FIXTURES = Path(__file__).parents[1] / "fixtures"
PAGES = FIXTURES / "pages"
LAYOUTS = FIXTURES / "import"

# file -> title, published, outlet, language, first and last sentence of the body
EXPECTED = {
    "dw.com.colonial.html": (
        "Berlin confronts Germany's colonial past with new initiative | DW | 19.01.2020", "2020-01-19",
        "DW.COM", "en",
        "The German capital has launched a five-year project to mark its part in European colonialism.",
        "which opened the gates to a period of intense imperialist activity."),
    "salon.com.emissions.html": (
        "Despite everything, U.S. emissions dipped in 2019", "2020-01-10", "Salon.com", "en",
        "Just a week into the new year, and the first estimate of how much planet-cooking pollution",
        "as well as in the status quo in emissions from factories, cars, and buildings."),
    "threatpost.com.android.html": (
        "Android Ransomware Spreads Via 'Sex Simulation Game' Links on Reddit, SMS", "2019-07-30",
        "Threatpost", "en",
        "Researchers are warning of a new Android ransomware being spread via links in online forums",
        "called Monokle, using novel techniques to exfiltrate data."),
    "nationalgeographic.co.uk.goats.html": (
        "Ravenous wild goats ruled this island for over a century. Now, it's being reborn.",
        "2020-01-06", "National Geographic", "en",
        "Ravenous wild goats ruled this island for over a century.",
        "“But they don’t know the work that goes into keeping it that way.”"),
    "theverge.com.ios13.html": (
        "iOS 13 will fix the FaceTime eye contact problem", "2019-07-03", "The Verge", "en",
        "iOS 13’s third developer beta includes a new feature that makes it look like you’re staring",
        "Update July 3rd, 8:05AM ET: Added ARKit explanation and tweet."),
    "futurezone.at.lyft.html": (
        "Uber-Konkurrent Lyft startet mit Waymo-Robotertaxis in USA", "2019-05-08", "Futurezoneat", "de",
        "Uber-Konkurrent Lyft startet mit Waymo-Robotertaxis in USA",
        "Die Aktie verlor im nachbörslichen Handel nach anfänglichen Zuwächsen zeitweise rund vier Prozent."),
}


def run_cli(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "newslens", *args], capture_output=True, text=True,
                          timeout=300, cwd=cwd)


def manifest_rows(folder: Path) -> list[dict]:
    with open(folder / "corpus.csv", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def tree_digest(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_real_saved_pages_title_date_outlet_and_body(name):
    title, published, outlet, language, first, last = EXPECTED[name]
    article = extract_page((PAGES / name).read_bytes(), name)
    assert (article.title, article.published, article.outlet) == (title, published, outlet)
    assert article.text.startswith(first) and article.text.endswith(last)
    assert article.url.startswith("https://")
    assert article.removed, "the page furniture left out is listed for the audit"


def test_import_pages_then_analyze(tmp_path):
    inputs = tree_digest(PAGES)
    out = tmp_path / "corpus"
    result = run_cli("import", str(PAGES), "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert "6 articles" in result.stdout
    assert tree_digest(PAGES) == inputs                       # inputs never modified
    rows = {Path(r["origin"]).name: r for r in manifest_rows(out)}
    assert set(rows) == set(EXPECTED)
    for name, (title, published, outlet, language, first, last) in EXPECTED.items():
        row = rows[name]
        assert (row["title"], row["published"], row["outlet"], row["language"]) == \
            (title, published, outlet, language)
        body = (out / row["path"]).read_text(encoding="utf-8")
        assert body.startswith(first) and body.rstrip().endswith(last)
        assert row["needs"] == ""
    removed = list(csv.DictReader(open(out / "import_removed.csv", encoding="utf-8")))
    assert {r["doc_id"] for r in removed} == {r["doc_id"] for r in rows.values()}

    tables = tmp_path / "tables"
    result = run_cli("analyze", str(out), "--out", str(tables), "--no-cache", "--stage", "sentiment")
    assert result.returncode == 0, result.stderr
    documents = list(csv.DictReader(open(tables / "documents.csv", encoding="utf-8")))
    assert {d["language"] for d in documents} == {"en", "de"}


def test_import_then_analyze_equals_a_hand_made_corpus(tmp_path):
    out = tmp_path / "imported"
    assert run_cli("import", str(LAYOUTS / "news-please.jsonl"), str(LAYOUTS / "newspaper.json"),
                   "--out", str(out)).returncode == 0
    rows = manifest_rows(out)
    # the same texts and values, written by hand as a user does today
    hand = tmp_path / "hand"
    hand.mkdir()
    with open(hand / "corpus.csv", "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["doc_id", "path", "outlet", "published", "title", "author", "url", "language"])
        for r in rows:
            shutil.copy(out / r["path"], hand / f"{r['doc_id']}.txt")
            writer.writerow([r["doc_id"], f"{r['doc_id']}.txt", r["outlet"], r["published"] or "2024-03-03",
                             r["title"], r["author"], r["url"], r["language"]])
    # the bridge story has no date_publish: filled by the user, as `needs` asks
    needs = {r["doc_id"]: r["needs"] for r in rows}
    assert list(needs.values()).count("published") == 1
    text = (out / "corpus.csv").read_text(encoding="utf-8")
    (out / "corpus.csv").write_text(text.replace(",,Old bridge", ",2024-03-03,Old bridge"), encoding="utf-8")
    for folder in (out, hand):
        assert run_cli("analyze", str(folder), "--out", str(tmp_path / f"t-{folder.name}"),
                       "--no-cache", "--engine", "serial").returncode == 0
    a, b = tmp_path / "t-imported", tmp_path / "t-hand"
    names = sorted(p.name for p in a.glob("*.csv"))
    assert names == sorted(p.name for p in b.glob("*.csv")) and "sentences.csv" in names
    for name in names:
        if name != "documents.csv":
            assert (a / name).read_bytes() == (b / name).read_bytes(), name
    # documents.csv differs only in each file's path
    docs_a, docs_b = (list(csv.DictReader(open(f / "documents.csv", encoding="utf-8"))) for f in (a, b))
    assert [{k: v for k, v in r.items() if k != "path"} for r in docs_a] == \
        [{k: v for k, v in r.items() if k != "path"} for r in docs_b]


def test_scraper_layouts_news_please_and_newspaper():
    out = collect([LAYOUTS / "news-please.jsonl", LAYOUTS / "newspaper.json"], read_txt)
    flood, bridge, ferry = out.articles
    assert flood.origin.endswith("news-please.jsonl line 1") and bridge.origin.endswith("line 2")
    assert (flood.title, flood.published, flood.outlet, flood.author) == (
        "Millbrook counts the cost of a week of rain", "2024-03-01", "www.rivertown-courier.example",
        "Jane Placeholder; Omar Example")
    assert flood.text.startswith("Residents of Millbrook began") and flood.text.endswith("on Front Street.")
    assert bridge.published == "" and bridge.needs == ["published"]
    assert (ferry.title, ferry.published, ferry.outlet, ferry.author, ferry.language) == (
        "Ferry crews walk out over pay", "2024-02-27", "Harbour Herald", "Lena Sample", "en")
    assert ferry.text.endswith("called the walkout “deeply regrettable”.")


def test_media_cloud_export_rows_with_and_without_text(tmp_path):
    out = collect([LAYOUTS / "mediacloud-stories.csv", LAYOUTS / "news-please.jsonl"], read_txt)
    by_title = {a.title: a for a in out.articles}
    school = by_title["School reopens after storm repairs"]
    assert (school.published, school.outlet, school.language) == ("2024-03-04", "Rivertown Courier", "en")
    assert school.text.startswith("Pupils returned")
    # the first row has no text: the scraped article of the same address gives it, once
    flood = by_title["Millbrook counts the cost of a week of rain"]
    assert flood.outlet == "Rivertown Courier" and "line 2 + " in flood.origin
    assert flood.text.startswith("Residents of Millbrook")
    assert sum(a.url.endswith("flood-week") for a in out.articles) == 1
    # the third has neither: listed as needing text, not imported
    assert [a.title for a in out.needs_text] == ["Council debates flood defences"]
    written = write_corpus(out, tmp_path / "c")
    needs = list(csv.DictReader(open(tmp_path / "c" / "needs_text.csv", encoding="utf-8")))
    assert [n["url"] for n in needs] == ["https://www.rivertown-courier.example/news/defences"]
    assert len(written.added) == 3


def test_media_cloud_row_takes_the_text_of_a_saved_page(tmp_path):
    export = tmp_path / "export.csv"
    export.write_text(
        "id,indexed_date,language,media_name,media_url,publish_date,title,url\n"
        "9f1c,2020-01-20 10:00:00,en,Deutsche Welle,https://www.dw.com,2020-01-19 09:00:00,"
        "Berlin and its colonial past,https://www.dw.com/en/berlin-confronts-germanys-colonial-past-with-new-initiative/a-52060881\n",
        encoding="utf-8")
    out = collect([export, PAGES / "dw.com.colonial.html"], read_txt)
    (article,) = out.articles
    assert (article.title, article.outlet, article.published) == (
        "Berlin and its colonial past", "Deutsche Welle", "2020-01-19")
    assert article.text.startswith("The German capital has launched")
    assert article.doc_hint == "story-9f1c" and not out.needs_text


def test_warc_archive_of_real_pages(tmp_path):
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    archive = tmp_path / "crawl.warc.gz"
    with open(archive, "wb") as fh:
        writer = WARCWriter(fh, gzip=True)
        writer.write_record(writer.create_warcinfo_record("crawl.warc.gz", {"software": "test"}))
        for name, url in (("salon.com.emissions.html", "https://www.salon.com/2020/01/10/emissions/"),
                          ("threatpost.com.android.html", "https://threatpost.com/android/")):
            headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")],
                                       protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(
                url, "response", payload=io.BytesIO((PAGES / name).read_bytes()), http_headers=headers))
        headers = StatusAndHeaders("200 OK", [("Content-Type", "image/png")], protocol="HTTP/1.1")
        writer.write_record(writer.create_warc_record(
            "https://threatpost.com/logo.png", "response", payload=io.BytesIO(b"\x89PNG"), http_headers=headers))
    out = collect([archive], read_txt)
    salon, threatpost = out.articles
    assert salon.origin.endswith("crawl.warc.gz record 2") and salon.url.endswith("/emissions/")
    assert salon.title == EXPECTED["salon.com.emissions.html"][0]
    assert threatpost.text.endswith(EXPECTED["threatpost.com.android.html"][-1])
    assert out.skipped == {"WARC records: warcinfo": 1, "WARC records: not HTML": 1}


def test_duplicates_are_imported_once_and_reported(tmp_path):
    copy = tmp_path / "again.html"
    copy.write_bytes((PAGES / "salon.com.emissions.html").read_bytes())
    result = run_cli("import", str(PAGES / "salon.com.emissions.html"), str(copy),
                     str(LAYOUTS / "news-please.jsonl"), str(LAYOUTS / "news-please.jsonl"),
                     "--out", str(tmp_path / "c"))
    assert result.returncode == 0, result.stderr
    assert len(manifest_rows(tmp_path / "c")) == 3
    assert result.stdout.count("duplicate:") == 3 and "same URL" in result.stdout


def test_same_text_under_another_address_is_a_duplicate(tmp_path):
    a = tmp_path / "a.jsonl"
    a.write_text('{"maintext": "The mayor opened the new library on Monday.", "url": "https://x.example/1", '
                 '"date_publish": "2024-01-02", "source_domain": "x.example"}\n'
                 '{"maintext": "The  mayor opened the new library on Monday.", "url": "https://x.example/amp/1", '
                 '"date_publish": "2024-01-02", "source_domain": "x.example"}\n', encoding="utf-8")
    out = collect([a], read_txt)
    assert len(out.articles) == 1 and out.duplicates[0][2] == "same text"


def test_the_same_agency_story_in_two_outlets_is_two_articles(tmp_path):
    a = tmp_path / "a.jsonl"
    a.write_text('{"maintext": "The mayor opened the new library on Monday.", "url": "https://x.example/1", '
                 '"date_publish": "2024-01-02", "source_domain": "x.example"}\n'
                 '{"maintext": "The mayor opened the new library on Monday.", "url": "https://y.example/1", '
                 '"date_publish": "2024-01-02", "source_domain": "y.example"}\n', encoding="utf-8")
    out = collect([a], read_txt)
    assert [x.outlet for x in out.articles] == ["x.example", "y.example"] and not out.duplicates


def test_mojibake_and_entities_are_repaired():
    assert repair("It wouldnâ€™t stop, &quot;it was terrible&quot; she said") == \
        "It wouldn’t stop, \"it was terrible\" she said"


@pytest.mark.parametrize("name, content, fragments", [
    ("bad.jsonl", '{"maintext": "Fine text here."}\n{"maintext": oops}\n', ["bad.jsonl line 2", "invalid JSON"]),
    ("nofield.jsonl", '{"headline": "x"}\n', ["nofield.jsonl line 1", "maintext"]),
    ("empty.jsonl", "\n\n", ["empty.jsonl", "empty"]),
    ("export.csv", "a,b\n1,2\n", ["export.csv", "url", "publish_date"]),
    ("page.html", "<html><head><title>Home</title></head><body><script>var a = 1;</script></body></html>",
     ["page.html", "no article text"]),
    ("crawl.warc", "WARC/1.0\r\nnot really\r\n", ["crawl.warc", "WARC"]),
    ("blank.html", "  \n", ["blank.html", "empty"]),
    ("image.html", "\x00\x01PNG\x02\x03", ["image.html", "binary"]),
    ("bad-date.jsonl", '{"maintext": "Text of a story.", "date_publish": "last Tuesday"}\n',
     ["bad-date.jsonl line 1", "last Tuesday"]),
])
def test_bad_input_is_one_line_exit_2_and_nothing_written(tmp_path, name, content, fragments):
    source = tmp_path / name
    source.write_text(content, encoding="utf-8")
    good = tmp_path / "good.jsonl"
    good.write_text('{"maintext": "A fine story about the harbour.", "date_publish": "2024-01-01"}\n')
    out = tmp_path / "out"
    result = run_cli("import", str(good), str(source), "--out", str(out))
    assert result.returncode == 2 and "Traceback" not in result.stderr, result.stderr
    errors = [l for l in result.stderr.splitlines() if l.startswith("newslens: error:")]
    assert len(errors) == 1 and all(f in errors[0] for f in fragments), result.stderr
    assert not out.exists() and [p.name for p in tmp_path.iterdir() if p.name.startswith(".out")] == []


def test_out_holding_another_corpus_is_refused_unless_append(tmp_path):
    out = tmp_path / "c"
    assert run_cli("import", str(LAYOUTS / "newspaper.json"), "--out", str(out)).returncode == 0
    before = tree_digest(out)
    # the same import again: nothing to do
    again = run_cli("import", str(LAYOUTS / "newspaper.json"), "--out", str(out))
    assert again.returncode == 0 and "nothing to do" in again.stdout
    refused = run_cli("import", str(LAYOUTS / "news-please.jsonl"), "--out", str(out))
    assert refused.returncode == 2 and "--append" in refused.stderr and tree_digest(out) == before
    appended = run_cli("import", str(LAYOUTS / "news-please.jsonl"), str(LAYOUTS / "newspaper.json"),
                       "--out", str(out), "--append")
    assert appended.returncode == 0, appended.stderr
    assert "already in the corpus" in appended.stdout
    assert len(manifest_rows(out)) == 3 and {p for p in before} <= set(tree_digest(out))


def test_a_hand_made_corpus_folder_is_not_appended_to(tmp_path):
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "corpus.csv").write_text("doc_id,path,outlet,published\n", encoding="utf-8")
    with pytest.raises(CorpusError, match="not made by import"):
        write_corpus(collect([LAYOUTS / "newspaper.json"], read_txt), folder, append=True)


def test_txt_articles_are_read_as_init_manifest_drafts_them(tmp_path):
    article = tmp_path / "story.txt"
    article.write_text("# Flood waters recede in Millbrook\n\nDecember 28, 2013\n\nBy Jane Placeholder\n\n"
                       "Flood waters began to recede on Friday, officials said, and schools will reopen "
                       "next week.\n", encoding="utf-8")
    (a,) = collect([article], read_txt).articles
    assert (a.title, a.published, a.author) == ("Flood waters recede in Millbrook", "2013-12-28",
                                                "Jane Placeholder")
    assert a.needs == ["outlet"] and a.language == "en"


def test_a_corpus_written_inside_a_source_folder_is_not_read_back(tmp_path):
    pages = tmp_path / "pages"
    pages.mkdir()
    shutil.copy(PAGES / "salon.com.emissions.html", pages)
    assert run_cli("import", str(pages), "--out", str(pages / "corpus")).returncode == 0
    shutil.copy(PAGES / "threatpost.com.android.html", pages)
    again = run_cli("import", str(pages), "--out", str(pages / "corpus"), "--append")
    assert again.returncode == 0, again.stderr
    assert "wrote" in again.stdout and "1 articles" in again.stdout
    assert sorted(r["origin"].rsplit("/", 1)[-1] for r in manifest_rows(pages / "corpus")) == [
        "salon.com.emissions.html", "threatpost.com.android.html"]


def test_pages_extracted_in_worker_processes_match_and_errors_name_the_page(tmp_path):
    serial = collect([PAGES], read_txt, engine="serial").articles
    parallel = collect([PAGES], read_txt, engine="processes").articles
    assert [(a.origin, a.title, a.text, a.language) for a in serial] == \
        [(a.origin, a.title, a.text, a.language) for a in parallel]
    broken = tmp_path / "broken.html"
    broken.write_text("<html><head><title>x</title></head><body></body></html>", encoding="utf-8")
    with pytest.raises(CorpusError, match="broken.html: no article text"):
        collect([PAGES / "salon.com.emissions.html", broken], read_txt, engine="processes")


def test_a_page_saved_under_a_txt_name_is_extracted(tmp_path):
    page = tmp_path / "saved.txt"
    page.write_bytes((PAGES / "salon.com.emissions.html").read_bytes())
    (a,) = collect([page], read_txt).articles
    assert a.title == EXPECTED["salon.com.emissions.html"][0] and a.published == "2020-01-10"
