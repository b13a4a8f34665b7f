"""Language per article: detection, and which articles the English-only stages keep."""
from __future__ import annotations

import pandas as pd

from newslens.corpus.language import (
    detect_language, english_doc_ids, language_code, skipped_languages_warning,
)


def test_detects_the_language_of_invented_articles():
    assert detect_language("The council voted on Tuesday to close the old bridge after engineers "
                           "found cracks in two of its arches.") == "en"
    assert detect_language("Der Stadtrat hat am Dienstag beschlossen, die alte Brücke zu schließen, "
                           "nachdem Ingenieure Risse in zwei Bögen gefunden hatten.") == "de"
    assert detect_language("Le conseil municipal a décidé mardi de fermer le vieux pont après la "
                           "découverte de fissures dans deux de ses arches.") == "fr"


def test_too_short_to_tell_is_left_blank():
    assert detect_language("Yes.") == ""


def test_language_codes_as_sources_write_them():
    assert [language_code(v) for v in ("en", "EN", "en-US", "en_GB", "English", "", None, "n/a")] == \
        ["en", "en", "en", "en", "en", "", "", ""]


def test_english_and_unknown_are_kept_and_the_others_named_in_one_line():
    documents = pd.DataFrame({"doc_id": ["a", "b", "c", "d"], "language": ["en", "de", "", "fr-FR"]})
    assert english_doc_ids(documents) == ["a", "c"]
    warning = skipped_languages_warning(documents, "tone and frames")
    assert warning.startswith("tone and frames skip 2 article(s) not in English: b (de), d (fr)")
    assert "\n" not in warning
    assert skipped_languages_warning(documents[documents["doc_id"] != "b"].iloc[[0, 1]]) is None


def test_a_table_without_a_language_column_keeps_everything():
    assert english_doc_ids(pd.DataFrame({"doc_id": ["a", "b"]})) == ["a", "b"]


GERMAN = ("Die Bundesregierung hat am 3. Januar beschlossen, weitere Panzer an die Ukraine zu liefern. Der "
          "Minister sagte, die Lieferung werde noch im Frühjahr erfolgen, und die Armee bereite sich darauf "
          "vor. Die Opposition kritisierte die Entscheidung scharf und verlangte eine Debatte im Parlament.")
ENGLISH = ("The ministry said on Monday that the first of the new patrol boats had arrived at the port. "
           "Officials said the remaining vessels would be delivered by the end of the year, and that crews "
           "were already being trained. The opposition said the deal was too expensive for the navy.")


def test_plain_english_is_read_without_the_detector_and_other_languages_with_it(monkeypatch):
    from newslens.corpus import language

    asked = []
    monkeypatch.setattr(language, "detect_language", lambda text: asked.append(text) or "de")
    assert language.body_language(ENGLISH) == "en" and asked == []
    assert language.body_language(GERMAN) == "de" and len(asked) == 1


def _mixed_corpus(tmp_path, german_language=""):
    (tmp_path / "a.txt").write_text(ENGLISH + "\n", encoding="utf-8")
    (tmp_path / "b.txt").write_text(ENGLISH.replace("Monday", "Tuesday") + "\n", encoding="utf-8")
    (tmp_path / "c.txt").write_text(GERMAN + "\n", encoding="utf-8")
    (tmp_path / "corpus.csv").write_text(
        "doc_id,path,outlet,published,language\n"
        f"a,a.txt,Alpha,2024-01-01,\nb,b.txt,Beta,2024-01-02,\nc,c.txt,Gamma,2024-01-03,{german_language}\n",
        encoding="utf-8")
    return tmp_path / "corpus.csv"


def test_an_article_in_german_is_listed_but_left_out_of_every_analysis(tmp_path, caplog):
    from newslens.pipeline import analyze

    with caplog.at_level("WARNING", logger="newslens"):
        tables = analyze(_mixed_corpus(tmp_path), cache=False, progress=False)
    docs = tables["documents"].set_index("doc_id")
    assert docs.loc["c", "language"] == "de" and docs.loc["a", "language"] == "en"
    assert "c" not in set(tables["sentences"].doc_id) and {"a", "b"} <= set(tables["sentences"].doc_id)
    assert "c" not in set(tables["tone_article"].doc_id)
    skipped = [r.getMessage() for r in caplog.records if "not in English" in r.getMessage()]
    assert len(skipped) == 1 and "c (de)" in skipped[0]


def test_the_manifest_language_wins_over_detection(tmp_path):
    from newslens.pipeline import analyze

    tables = analyze(_mixed_corpus(tmp_path, german_language="en"), cache=False, progress=False)
    assert "c" in set(tables["sentences"].doc_id)
