"""The language of each article: detected when its source does not say, and what English-only stages skip.

    detect_language(text) -> "en" | "de" | ... | ""      # py3langid (its model ships in the package)
    english_doc_ids(documents) -> list[str]             # articles the English-only stages analyse
    skipped_languages_warning(documents, what) -> str | None

The manifest's `language` column holds the article's language as an ISO 639-1 code ("en", "de");
`import` fills it from the source's own field, else with `detect_language`; loading a corpus fills a blank
one from the cleaned text (`body_language`). A value still blank (a text too short to tell) counts as
English. Any other value ("de", "fr"; "English" is read as "en") is left out of every analysis stage
(their lexicons, patterns and sentence rules are English: `english_part`), with one warning naming the
articles; the documents table still lists them with their language.
"""
from __future__ import annotations

import logging
import re

import pandas as pd

log = logging.getLogger("newslens")

ENGLISH = "en"
# Names some sources write instead of a code.
_NAMES = {"english": "en", "german": "de", "deutsch": "de", "french": "fr", "français": "fr",
          "spanish": "es", "español": "es", "italian": "it", "portuguese": "pt", "dutch": "nl",
          "russian": "ru", "arabic": "ar", "chinese": "zh"}
# Below this many letters a detection is a guess: left blank instead.
MIN_LETTERS_TO_DETECT = 40
# Detection reads the start of the article: enough for a sure answer, cheap on long texts.
_DETECT_CHARS = 5000
_LETTER = re.compile(r"[^\W\d_]")


def language_code(value) -> str:
    """'en', 'EN', 'en-US', 'en_GB', 'English' -> 'en'; blank or unreadable -> ''."""
    text = str(value or "").strip().lower()
    if not text or text == "nan":
        return ""
    if text in _NAMES:
        return _NAMES[text]
    code = text.replace("_", "-").split("-")[0]
    return code if re.fullmatch(r"[a-z]{2,3}", code) else ""


def detect_language(text: str) -> str:
    """The ISO 639-1 code of the text's language (py3langid), or "" for a text too short to tell."""
    sample = text[:_DETECT_CHARS]
    if len(_LETTER.findall(sample)) < MIN_LETTERS_TO_DETECT:
        return ""
    import py3langid

    code, _score = py3langid.classify(sample)
    return code


# The commonest English function words, none of them a common word of another language written in Latin
# letters ("in", "a", "die" are left out): in English news prose they are about a fifth of the words.
_ENGLISH_WORDS = frozenset("the of and to is that for on was with said are by from has have were it its".split())
_WORDS = re.compile(r"[^\W\d_]+")
# A text whose first words hold at least this share of them is English without asking the detector.
ENGLISH_SHARE = 0.12
_GATE_WORDS = 400


def body_language(text: str) -> str:
    """The language of an article's cleaned text: "en" when its first words are plainly English (a
    cheap count of function words, so loading 10,000 English articles does not run the detector on
    each), else `detect_language`."""
    words = _WORDS.findall(text[:_DETECT_CHARS].lower(), 0)[:_GATE_WORDS]
    if words and sum(w in _ENGLISH_WORDS for w in words) >= ENGLISH_SHARE * len(words):
        return ENGLISH
    return detect_language(text)


def is_english(value) -> bool:
    code = language_code(value)
    return code in ("", ENGLISH)


def english_doc_ids(documents: pd.DataFrame) -> list[str]:
    """doc_ids of the articles in English or of unknown language (blank), in table order."""
    if "language" not in documents.columns:
        return documents["doc_id"].tolist()
    keep = documents["language"].map(is_english)
    return documents.loc[keep, "doc_id"].tolist()


def other_language_docs(documents: pd.DataFrame) -> list[tuple[str, str]]:
    """(doc_id, language code) of the articles that are not in English."""
    if "language" not in documents.columns:
        return []
    return [(d, language_code(lang)) for d, lang in zip(documents["doc_id"], documents["language"])
            if not is_english(lang)]


def english_part(corpus):
    """The corpus the analyses read: its English articles (and those of unknown language). The same
    object when every article is English; otherwise one warning line names the articles left out."""
    english = english_doc_ids(corpus.documents)
    if len(english) == len(corpus.documents):
        return corpus
    log.warning("%s", skipped_languages_warning(corpus.documents))
    return corpus.subset(english)


def skipped_languages_warning(documents: pd.DataFrame, what: str = "the English-only analyses",
                              shown: int = 10) -> str | None:
    """One line naming the articles `what` skips because they are not in English, or None."""
    others = other_language_docs(documents)
    if not others:
        return None
    named = ", ".join(f"{d} ({lang})" for d, lang in others[:shown])
    more = f" and {len(others) - shown} more" if len(others) > shown else ""
    return (f"{what} skip {len(others)} article(s) not in English: {named}{more} "
            f"(the manifest's 'language' column, else detected; write 'en' there to analyse one anyway)")
