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
