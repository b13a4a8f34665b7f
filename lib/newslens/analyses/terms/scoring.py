"""Terms and their scores: stop words, term tokens, and the log-odds ratio with a Dirichlet prior."""
from __future__ import annotations

from collections import Counter
import re

import numpy as np
import pandas as pd

from newslens.core.errors import ParameterError
from newslens.textkit.sentences import words


# scikit-learn's ENGLISH_STOP_WORDS (318 words, the Glasgow IR group's list), copied here because
# importing sklearn for it cost 0.8 CPU-s per run; tests check the copy against sklearn's.
ENGLISH_STOP_WORDS = frozenset("""
    a about above across after afterwards again against all almost alone along already also
    although always am among amongst amoungst amount an and another any anyhow anyone anything
    anyway anywhere are around as at back be became because become becomes becoming been before
    beforehand behind being below beside besides between beyond bill both bottom but by call can
    cannot cant co con could couldnt cry de describe detail do done down due during each eg
    eight either eleven else elsewhere empty enough etc even ever every everyone everything
    everywhere except few fifteen fifty fill find fire first five for former formerly forty
    found four from front full further get give go had has hasnt have he hence her here
    hereafter hereby herein hereupon hers herself him himself his how however hundred i ie if in
    inc indeed interest into is it its itself keep last latter latterly least less ltd made many
    may me meanwhile might mill mine more moreover most mostly move much must my myself name
    namely neither never nevertheless next nine no nobody none noone nor not nothing now nowhere
    of off often on once one only onto or other others otherwise our ours ourselves out over own
    part per perhaps please put rather re same see seem seemed seeming seems serious several she
    should show side since sincere six sixty so some somehow someone something sometime
    sometimes somewhere still such system take ten than that the their them themselves then
    thence there thereafter thereby therefore therein thereupon these they thick thin third this
    those though three through throughout thru thus to together too top toward towards twelve
    twenty two un under until up upon us very via was we well were what whatever when whence
    whenever where whereafter whereas whereby wherein whereupon wherever whether which while
    whither who whoever whole whom whose why will with within without would yet you your yours
    yourself yourselves
""".split())


TERM_COLUMNS = ["group_a", "group_b", "term", "count_a", "count_b", "log_odds", "z"]


KWIC_COLUMNS = ["doc_id", "sent_id", "left", "term", "right"]


REST = "all other outlets"


DEFAULT_PRIOR = 500.0


SIGNIFICANT_Z = 1.96  # the paper's rough 95% yardstick for |z|


# Stage default: an outlet-vs-rest row needs the outlet to use the term twice (see the module docstring).
DEFAULT_REST_MIN_COUNT = 2


# Particles of Arabic names, split off by hyphen splitting ("al-Maliki"): listed only inside phrases.
NAME_PARTICLES = frozenset({"al", "el", "ibn", "bin"})


_NUMBER = re.compile(r"^\d[\d.,]*$")


def _word_terms(word: str) -> list[str]:
    """The terms of one word token as written: see `term_tokens`."""
    w = word.lower().replace("’", "'")
    if w.endswith("'s"):
        w = w[:-2]
    return [part for part in w.split("-") if part]


def term_tokens(text: str) -> list[str]:
    """Lower-cased word tokens, one kind of apostrophe, possessive 's dropped ("Iraq's" -> "iraq"),
    hyphenated compounds split ("al Qaeda-linked" -> al, qaeda, linked; "al-Qaida" -> al, qaida), so
    that a name counts the same inside a compound as on its own."""
    out = []
    for w in words(text):
        out.extend(_word_terms(w))
    return out


def count_terms(texts, ngram: int) -> Counter:
    """Counts of n-grams (joined by a space) within each text; n-grams never cross texts (sentences)."""
    counts: Counter = Counter()
    for text in texts:
        tokens = term_tokens(text)
        counts.update(" ".join(tokens[i:i + ngram]) for i in range(len(tokens) - ngram + 1))
    return counts


def _is_content(term: str) -> bool:
    parts = term.split(" ")
    if len(parts) == 1 and (len(term) < 2 or term in NAME_PARTICLES):
        # a lone letter ("u" of "U.N.") is a tokenisation remnant; "al" of "al-Maliki" is half a name
        return False
    return parts[0] not in ENGLISH_STOP_WORDS and parts[-1] not in ENGLISH_STOP_WORDS \
        and not all(_NUMBER.match(p) for p in parts)


def log_odds_dirichlet(counts_a: Counter, counts_b: Counter, background: Counter,
                       prior_strength: float = DEFAULT_PRIOR) -> pd.DataFrame:
    """term, count_a, count_b, log_odds (delta), z for every term of a or b; prior from `background`."""
    if prior_strength <= 0:
        raise ParameterError(f"prior_strength must be positive, got {prior_strength}")
    vocab = sorted(set(counts_a) | set(counts_b))
    if not vocab:
        return pd.DataFrame(columns=["term", "count_a", "count_b", "log_odds", "z"])
    y_a = np.array([counts_a.get(t, 0) for t in vocab], dtype=float)
    y_b = np.array([counts_b.get(t, 0) for t in vocab], dtype=float)
    n_a, n_b = sum(counts_a.values()), sum(counts_b.values())
    background_total = sum(background.values())
    y_bg = np.array([background.get(t, 0) for t in vocab], dtype=float)
    missing = [t for t, c in zip(vocab, y_bg) if c == 0]
    if missing:
        raise ParameterError(f"background counts lack term(s) {', '.join(missing[:5])}: "
                             "the prior must cover both groups")
    delta, z = _log_odds(y_a, y_b, y_bg, n_a, n_b, background_total, float(prior_strength))
    return pd.DataFrame({"term": vocab, "count_a": y_a.astype(int), "count_b": y_b.astype(int),
                         "log_odds": delta, "z": z})


def _log_odds(y_a, y_b, y_bg, n_a: float, n_b: float, n_bg: float, a0: float):
    """delta and z of the module docstring, element-wise over numpy arrays of counts."""
    a_w = a0 * y_bg / n_bg
    delta = (np.log((y_a + a_w) / (n_a + a0 - y_a - a_w))
             - np.log((y_b + a_w) / (n_b + a0 - y_b - a_w)))
    var = 1.0 / (y_a + a_w) + 1.0 / (y_b + a_w)
    return delta, delta / np.sqrt(var)
