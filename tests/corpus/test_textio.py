"""Reading a document's bytes: encodings, control characters, size limit, files that are not files."""
from __future__ import annotations

import logging
import os
import subprocess
import sys

import pytest

from newslens.core.errors import CorpusError
from newslens.corpus.clean import clean_document
from newslens.corpus.loader import load_corpus
from newslens.corpus.textio import MAX_DOCUMENT_BYTES, decode, looks_like_html, read_document

SENTENCE = "The minister said on Tuesday that the new bridge would open in “late spring”."


def corpus_with(tmp_path, data: bytes, name: str = "a.txt"):
    folder = tmp_path / "c"
    folder.mkdir(exist_ok=True)
    target = folder / name
    if data is not None:
        target.write_bytes(data)
    (folder / "corpus.csv").write_text(
        f"doc_id,path,outlet,published,title\na,{name},Daily,2014-01-02,A\n", encoding="utf-8")
    return folder


def run_cli(*args):
    return subprocess.run([sys.executable, "-m", "newslens", *args], capture_output=True, text=True,
                          timeout=60)


def test_utf16_with_bom_is_read_as_utf16(tmp_path):
    folder = corpus_with(tmp_path, SENTENCE.encode("utf-16"))
    corpus = load_corpus(folder, cache=False, engine="serial")
    assert corpus.documents.loc[0, "encoding"] == "utf-16"
    assert "“late spring”" in corpus.sentences["text"].iloc[0]


def test_utf32_with_bom_is_read_as_utf32(tmp_path):
    doc = read_document(corpus_with(tmp_path, SENTENCE.encode("utf-32")) / "a.txt", "a")
    assert doc.text == SENTENCE and doc.encoding == "utf-32"


def test_mixed_utf8_and_cp1252_keeps_both_curly_quotes():
    data = "He said “yes” in Zürich.\n".encode("utf-8") + "She said “no” in Köln.\n".encode("cp1252")
    text, encoding = decode(data)
    assert text == "He said “yes” in Zürich.\nShe said “no” in Köln.\n"
    assert encoding == "utf-8+cp1252"


def test_pure_cp1252_and_latin1_are_named_as_such():
    assert decode("“Café”".encode("cp1252")) == ("“Café”", "cp1252")
    assert decode(b"caf\xe9 \x81") == ("café \x81", "latin-1")


def test_nul_bytes_after_the_first_8_kb_never_reach_the_sentences(tmp_path):
    filler = ("Officials met in the capital on Monday to discuss the budget. " * 150 + "\n\n").encode()
    assert len(filler) > 8192
    data = filler + b"The vote was\x00 delayed\x00\x00 until Friday.\x07\n"
    corpus = load_corpus(corpus_with(tmp_path, data), cache=False, engine="serial")
    joined = "".join(corpus.sentences["text"])
    assert "\x00" not in joined and "\x07" not in joined
    assert "The vote was delayed until Friday." in joined


def test_a_fifo_is_named_as_a_fifo_and_never_blocks(tmp_path):
    folder = corpus_with(tmp_path, None, name="pipe.txt")
    os.mkfifo(folder / "pipe.txt")
    result = run_cli("analyze", str(folder), "--out", str(tmp_path / "out"), "--engine", "serial")
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "named pipe (FIFO)" in result.stderr and "file not found" not in result.stderr


def test_a_link_to_dev_zero_is_named_as_a_device(tmp_path):
    folder = corpus_with(tmp_path, None, name="zero.txt")
    os.symlink("/dev/zero", folder / "zero.txt")
    with pytest.raises(CorpusError, match="is a device") as err:
        load_corpus(folder, cache=False, engine="serial")
    assert "/dev/zero" in str(err.value) and "not found" not in str(err.value)


def test_a_document_over_the_size_limit_is_cut_at_a_line_break_with_a_warning(tmp_path, caplog):
    paragraph = ("The council approved the plan after a long debate about its costs. " * 20 + "\n\n")
    data = (paragraph * (MAX_DOCUMENT_BYTES // len(paragraph) + 20)).encode()
    assert len(data) > MAX_DOCUMENT_BYTES
    doc = read_document(corpus_with(tmp_path, data) / "a.txt", "a")
    assert doc.truncated_from == len(data)
    assert len(doc.text.encode()) <= MAX_DOCUMENT_BYTES and doc.text.endswith("costs. \n\n")
    with caplog.at_level(logging.WARNING, logger="newslens"):
        load_corpus(tmp_path / "c", cache=False, engine="serial")
    assert any("over the 5 MB limit" in r.getMessage() and "doc_id a" in r.getMessage()
               for r in caplog.records)


def test_cleaning_is_linear_in_the_number_of_link_labels():
    """The link-list rule once copied every line before each label: count the lines it visits."""
    page = "".join(f"Story number {i} about the floods\nRead more\n\n" for i in range(3000))
    assert {r.reason for r in clean_document(page).removed} == {"related-links"}

    class CountingList(list):
        copied = 0

        def __getitem__(self, item):
            if isinstance(item, slice):
                CountingList.copied += len(range(*item.indices(len(self))))
            return super().__getitem__(item)

    from newslens.corpus import clean
    lines = CountingList(clean._read_lines(page))
    clean._mark_link_lists(lines)
    assert CountingList.copied <= len(lines)    # was about len(lines) ** 2 / 2


def test_html_saved_as_txt_is_refused_with_the_import_command(tmp_path):
    page = b"<!DOCTYPE html><html><head><title>T</title></head><body><p>Text.</p></body></html>"
    result = run_cli("analyze", str(corpus_with(tmp_path, page)), "--out", str(tmp_path / "out"))
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "python -m newslens import" in result.stderr and "doc_id a" in result.stderr


def test_text_mentioning_tags_is_not_html():
    assert not looks_like_html("The <p> tag starts a paragraph and </p> ends it, the manual says.")
    assert looks_like_html("  <html lang='en'><body>Hi</body></html>")


def test_a_document_that_cleaning_empties_is_named_in_a_warning(tmp_path, caplog):
    folder = corpus_with(tmp_path, b"Read more\nShare this\n")
    with caplog.at_level(logging.WARNING, logger="newslens"):
        corpus = load_corpus(folder, cache=False, engine="serial")
    assert corpus.bodies["a"] == ""
    assert any("no text left after cleaning" in r.getMessage() and ": a" in r.getMessage()
               for r in caplog.records)
