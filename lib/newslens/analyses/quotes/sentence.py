"""The attributions of one sentence: every speech verb with its speaker phrase, `according to X`, the
other shapes of `reported`, a colon intro; and which of them the sentence's rows are (`choose_all`)."""
from __future__ import annotations

import re

from newslens.analyses.quotes import reported
from newslens.analyses.quotes.attribution import (
    Attribution, _ACCORDING, _ACCORDING_SOURCE, _CLAIMS_AS_OBJECT, _CLOSE_QUOTE_BEFORE, _COLON_END, _COMMITMENTS,
    _COMMITTED_THING, _COORDINATED, _DETERMINER_BEFORE, _INVERTED_SPEAKER, _NAME_THEN_STOP, _PASSIVE,
    _SUBORDINATOR, _THAT, _clean_np, _content_after, _inside, _last_boundary, _mask_parentheses, _plausible_np,
    _subject_of_coordination, at_least_words, with_apposition, words, _ROLE_NOUN,
)

# "a claim Kyiv rejects", "the deal Ankara wants": a noun, then the name that is the verb's subject
_OBJECT_RELATIVE = re.compile(r"(?:a|an|the|this|that)\s+((?:[a-z]+\s+){1,2})(?=(?:[A-Z][\w.'’-]*\s*)+$)")


def _candidates(text: str, qspans: list[tuple[int, int]], verbs: re.Pattern,
                matches: list[re.Match] | None = None) -> list[Attribution]:
    """Every attribution of the sentence: speech verbs outside quotations with their speaker phrase,
    `according to X`, and the other shapes of `reported` (by-agent passives, "quoted X as saying",
    "X's claim that", "the statement read", participles). `matches`: the speech verbs of the text
    (`verbs.finditer(text)`), when already found."""
    masked = _mask_parentheses(text)
    found = []
    floor = 0  # the end of the speech verb before: "Officials said key lawmakers have vowed ..."
    for m in verbs.finditer(text) if matches is None else matches:
        if _inside(m.start(), qspans):
            continue
        floor, previous_end = m.end(), floor
        verb = " ".join(m.group().split())
        agent = reported.by_agent(text, m, verb)
        if agent is not None:
            found.append(agent)
            continue
        if (not verb.endswith("ing") and _passive_before(text, m.start())) or _adjectival(text, m.start()) \
                or _commitment_only(text, m.end(), verb) \
                or (verb.startswith("claims") and _CLAIMS_AS_OBJECT.search(text, max(0, m.start() - 12), m.start())):
            continue
        attribution = _verb_attribution(text, masked, m, verb, previous_end)
        if attribution is not None:
            found.append(attribution)
    if "ccording to" in text:  # (no `[Aa]ccording to` without it: the scan is skipped)
        found += _according(text, qspans)
    found += reported.other_shapes(text, qspans)
    return found


def _verb_attribution(text: str, masked: str, m: re.Match, verb: str, floor: int = 0) -> Attribution | None:
    """The speaker phrase of one speech verb: before it ("X said"), after it ('"...," said X'), around an
    apposition ("X, a spokeswoman for Y, confirmed"), or the subject of a participle ("..., adding")."""
    b = max(_last_boundary(masked, m.start()), floor)
    np_start, np_end = _clean_np(text, b, m.start())
    np_start = _drop_subordinator(text, np_start, np_end)
    if np_start is None:
        return None
    np_start, np_end = _subject_of_coordination(text, np_start, np_end)
    relative = _OBJECT_RELATIVE.match(text, np_start, np_end)
    if relative and not _ROLE_NOUN.search(relative.group(1)):
        np_start = relative.end()  # "a claim Kyiv rejects": the name after the noun is the subject
    np = text[np_start:np_end]
    if verb.split()[0].endswith("ing") and np:  # "the Parliament adopted a resolution calling on ...": its subject
        np_end = reported.subject_end(text, np_start, np_end)
        np = text[np_start:np_end]
    if _COORDINATED.search(np):  # '... "strongly condemned" the decision and said ...': the clause's subject
        return reported.participle(text, masked, m, verb, m.start(), coordinated=True)
    before = text[:b].rstrip()
    if np and _plausible_np(np):
        return _with_content(text, m, verb, b, before, np_start, np_end)
    if np.strip():
        return None
    if verb.endswith("ing") or verb.split()[0].endswith("ing"):
        return reported.participle(text, masked, m, verb, b)
    # empty subject: "...," said X  |  ..., said Defense Minister X  |  X, a spokeswoman for Y, confirmed ...
    quoted = before.endswith(",") and _CLOSE_QUOTE_BEFORE.search(text[: b]) or before.endswith(("\"", "”"))
    if quoted or before.endswith(","):
        tail = _INVERTED_SPEAKER.match(text[m.end():])
        if tail and not quoted:
            tail = _NAME_THEN_STOP.match(text, m.end())
        if tail and _plausible_np(tail.group(1), inverted=True):
            s = m.end() + tail.start(1) if quoted else tail.start(1)
            e = with_apposition(text, s + len(tail.group(1)))
            return Attribution(verb, m.start(), s, e, text[:b].strip(" ,.\"“”"), "inverted")
        if quoted:
            return None
    if before.endswith(","):
        appos_start = _last_boundary(masked, len(before) - 1)
        head_end = appos_start - 1 if appos_start > 0 and text[appos_start - 1] == "," else appos_start
        head_start = _last_boundary(masked, head_end) if head_end > 0 else 0
        hs, he = _clean_np(text, head_start, head_end)
        head = text[hs:he]
        appos = text[appos_start:len(before) - 1].strip()
        if head and _plausible_np(head) and appos and len(appos.split()) <= 14:
            content = _content_after(text, m.end(), verb)
            return Attribution(verb, m.start(), hs, len(before) - 1, content.strip(" ,.;:"), "after")
    return None


def _with_content(text: str, m: re.Match, verb: str, b: int, before: str, np_start: int,
                  np_end: int) -> Attribution:
    """An attribution whose speaker phrase is right before the verb, with the statement it attributes."""
    after = text[m.end():]
    parenthetical = before.endswith(",") and after.lstrip().startswith(",") and np_start > 0
    if _CLOSE_QUOTE_BEFORE.search(text[:np_start]) and not _THAT.match(after):
        content, kind = text[:np_start], "before"  # "...," she said (in the release).
    elif parenthetical:
        content, kind = text[:b - 1] + " " + after.lstrip(" ,"), "before"  # The US, Difraoui explains, was ...
    else:
        content, kind = _content_after(text, m.end(), verb), "after"
        if not at_least_words(content, 3) and at_least_words(text, 3, 0, np_start):
            content, kind = text[:np_start], "before"  # ..., Washington said on Monday.
    return Attribution(verb, m.start(), np_start, np_end, content.strip(" ,.;:\"“”"), kind)


def _according(text: str, qspans: list[tuple[int, int]]) -> list[Attribution]:
    """`According to X, ...`, `..., according to X.`"""
    found = []
    for m in _ACCORDING.finditer(text):
        if _inside(m.start(), qspans):
            continue
        tail = _ACCORDING_SOURCE.match(text[m.end():])
        if not tail:
            continue
        s, e = m.end(), m.end() + len(tail.group(1))
        after = text[e:].lstrip()
        if m.start() < 3 or (after.startswith(",") and at_least_words(after, 3)):
            content = after.lstrip(" ,")  # According to X, ... | ... and, according to X, they ...
        else:
            content = text[:m.start()]  # ..., according to X.
        found.append(Attribution("according to", m.start(), s, e, content.strip(" ,.;:"), "according"))
    return found


def _drop_subordinator(text: str, start: int, end: int) -> int | None:
    """'If denied the jets, ...', 'As Biden said': a leading subordinating word is no speaker; the
    phrase after it may be one (None when nothing is left)."""
    m = _SUBORDINATOR.match(text, start, end)
    if not m:
        return start
    return m.end() if text[m.end():end].strip() else None


_PASSIVE_WINDOW = 80  # characters before a verb looked at first for a passive ("is", "was reportedly")


def _passive_before(text: str, end: int) -> bool:
    """`_PASSIVE.search(text[:end])`, deciding on the last 80 characters: a match found there is one of
    the whole prefix (the search sees the characters before its start, as `\\b` needs), and a match
    starting earlier would cover all 80 characters with at most two words ("is", "reportedly"), which
    is the only case the whole prefix is searched for."""
    start = end - _PASSIVE_WINDOW
    if start <= 0:
        return _PASSIVE.search(text, 0, end) is not None
    if _PASSIVE.search(text, start, end) is not None:
        return True
    return len(text[start:end].split()) <= 2 and _PASSIVE.search(text, 0, end) is not None


def _adjectival(text: str, verb_start: int) -> bool:
    """'an estimated cost', 'the reported deal', 'over claims that': after a determiner or a preposition
    the word is an adjective or a noun, not a speech verb."""
    return _DETERMINER_BEFORE.search(text, max(0, verb_start - 9), verb_start) is not None


def _commitment_only(text: str, verb_end: int, verb: str) -> bool:
    """'pledged $6 billion', 'promised to deliver eight', 'has pledged for Ukraine': a commitment of an
    amount or a delivery is an act (a transfer's status), not a statement ('promised a government for
    all', 'promised that ...' are statements)."""
    return verb in _COMMITMENTS and _COMMITTED_THING.match(text, verb_end) is not None


def _colon_intro(text: str, qspans: list[tuple[int, int]]) -> Attribution | None:
    """`X provided a bleak assessment: “...”`: a quotation opened right after a colon."""
    for s, _ in qspans:
        m = _COLON_END.search(text, 0, s)  # as on text[:s]: `$` matches at s
        if m:
            clause_start = _last_boundary(text, m.start())
            return Attribution(":", m.start(), clause_start, m.start(), text[s:].strip(" ,.\"“”"), "colon")
    return None


def _choose(cands: list[Attribution], qspans: list[tuple[int, int]]) -> Attribution | None:
    if not cands:
        return None
    if not qspans:
        return min(cands, key=lambda a: a.verb_start)

    def distance(a: Attribution) -> int:
        return min(min(abs(a.verb_start - e), abs(a.verb_start - s)) for s, e in qspans)
    return min(cands, key=lambda a: (distance(a), a.verb_start))


def choose_all(cands: list[Attribution], qspans: list[tuple[int, int]]) -> list[Attribution]:
    """The sentence's attributions, the one nearest its quotation first, then every other one that names
    another speaker phrase ("..., said X, according to the Financial Times"; "Officials said ...,
    although Russia has said ...")."""
    primary = _choose(cands, qspans)
    if primary is None:
        return []
    chosen = [primary]
    for a in sorted(cands, key=lambda a: a.verb_start):
        if all(a.np_end <= c.np_start or a.np_start >= c.np_end for c in chosen) and a.np_end > a.np_start:
            chosen.append(a)
    return chosen
