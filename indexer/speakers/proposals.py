"""The labeller proposes, the rules confirm (issue 17).

For each sentence with a quote cue, ``labeller`` tags the names it takes
for speakers. A proposal the rules did not find is kept only when

- its confidence reaches ``labeller.THRESHOLD``;
- after honorifics and quote marks, it is one to four name words
  (``names.is_name_word``: no role, pronoun, preposition, verb or plural
  noun), none an outlet of the corpus or of the article;
- it shares no word with a speaker the rules found (the rules read that
  person already; a longer reading, «X درگفتگو», is theirs to make);
- one word alone is the surname of a person the article names in full (it
  becomes that person); a longer name ends in a surname the corpus model
  knows or a word hazm seldom counts, and holds no common word that is not
  a given name.

A proposal that is a rule speaker's surname, or that completes a name the
rules cut short, merges with it in ``extract._merge``. What the proposed
speaker said is the clause the rules would take for a speaker there: the
rest of the sentence after the quote verb, else the words between the
name and the verb; after «به گفته X» the words after the name.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from indexer.metadata import facet_key
from indexer.speakers import labeller
from indexer.speakers.extract import (
    Sentence,
    Speaker,
    _clip,
    _known,
    _quote_after,
    _State,
    cues,
)
from indexer.speakers.lexicon import HONORIFICS
from indexer.speakers.names import (
    COMMON,
    frequency,
    honorifics_at,
    is_corpus_surname,
    is_given_name,
    is_name_word,
    is_outlet,
    key,
    may_start_name,
    token_keys,
)

if TYPE_CHECKING:
    import pycrfsuite

#: A name's last word is a surname the corpus knows or one hazm counts fewer times than this.
_RARE = 1000
#: The most words a proposed name may have.
MAX_WORDS = 4
_QUOTES = frozenset({"«", "»", '"', "'", "“", "”"})

# A tagger set by ``use`` (cross-validation folds) instead of the model file.
_override: list[pycrfsuite.Tagger | None] = []


def use(tagger: pycrfsuite.Tagger | None) -> None:
    """Propose with ``tagger`` (``None``: the rules alone) until ``use`` is called again;
    ``reset`` goes back to the model file."""
    _override[:] = [tagger]


def reset() -> None:
    _override.clear()


def _tagger() -> pycrfsuite.Tagger | None:
    return _override[0] if _override else labeller.model()


def inputs(
    all_sentences: list[Sentence], speakers: list[Speaker], state: _State | None = None
) -> list[tuple[int, int, list[str], list[list[str]]]]:
    """(sentence number, first token, tokens, features) of each window the labeller reads,
    in training (``training``) as in extraction: the clause before a quote verb (at most
    ``BEFORE_VERB`` words), and the words after «به گفته» or «گفت‌وگو با» (``AFTER_CUE``).

    With ``state`` (extraction), only the windows where a proposal could pass
    ``_confirmed``: those with a name word no rule speaker holds that could end a
    name (a corpus surname, a seldom word, the surname of a person the article
    names). The others cannot add a speaker, and skipping them keeps the labeller's
    cost small; the speakers found are the same.
    """
    rule_words = frozenset(key(w) for s in speakers for w in s.name.split())
    surnames = {key(w) for p in state.known if len(p) > 1 for w in p[-2:]} if state is not None else set()
    result = []
    for number, (_, _, tokens, _) in enumerate(all_sentences):
        keys = token_keys(tokens)
        found = cues(keys)
        for start, stop in _windows(keys, found) if found else ():
            if state is not None and not any(
                _may_end_name(tokens, keys, n, rule_words, surnames) for n in range(start, stop)
            ):
                continue  # no proposal here could be confirmed
            window, window_keys = tokens[start:stop], keys[start:stop]
            local = [(a - start, min(b, stop) - start, kind) for a, b, kind in found if start <= a < stop]
            result.append((number, start, window, labeller.features(window, window_keys, local, rule_words)))
    return result


#: The most words before a quote verb, and after «به گفته», that the labeller reads.
BEFORE_VERB = 12
AFTER_CUE = 6
_CLAUSE_END = frozenset({":", "؛", ";", "!", "?", "؟", "."})


def _windows(keys: list[str], found: list[labeller.Cue]) -> list[tuple[int, int]]:
    """The token ranges around a sentence's cues, overlapping ones joined.

    >>> _windows(["الف", ".", "ب", "ج", "گفت", ":", "د"], [(4, 5, "v")])
    [(2, 5)]
    """
    ranges = []
    for start, end, kind in found:
        if kind == "v":
            begin = start
            while begin > 0 and start - begin < BEFORE_VERB and keys[begin - 1] not in _CLAUSE_END:
                begin -= 1
            ranges.append((begin, end))
        else:
            ranges.append((start, min(len(keys), end + AFTER_CUE)))
    joined: list[tuple[int, int]] = []
    for begin, end in sorted(ranges):
        if joined and begin <= joined[-1][1]:
            joined[-1] = (joined[-1][0], max(end, joined[-1][1]))
        else:
            joined.append((begin, end))
    return joined


def _may_end_name(tokens: list[str], keys: list[str], n: int, rule_words: frozenset[str], surnames: set[str]) -> bool:
    """Whether a proposal that ``_confirmed`` passes could end at token ``n``: the surname
    of a person the article names, or a corpus surname or seldom word after a name word,
    neither held by a rule speaker."""
    k = keys[n]
    if k in rule_words or not is_name_word(tokens[n]):
        return False
    if k in surnames:
        return True  # «قالیباف»: the article's «محمدباقر قالیباف»
    before = n - 1
    if not (
        before >= 0
        and keys[before] not in rule_words
        and is_name_word(tokens[before])
        and (frequency(tokens[n]) < _RARE or is_corpus_surname(tokens[n]))
    ):
        return False
    # A confirmed name starts where its run of name words, honorifics and quote marks starts,
    # and that must be a subject's place (``_in_subject_place``).
    while before > 0 and (
        is_name_word(tokens[before - 1]) or keys[before - 1] in HONORIFICS or tokens[before - 1] in _QUOTES
    ):
        before -= 1
    return _in_subject_place(tokens, before, n + 1)


def propose(all_sentences: list[Sentence], speakers: list[Speaker], state: _State) -> list[Speaker]:
    """The speakers the labeller adds to the rules' ``speakers`` (see the module's doc)."""
    tagger = _tagger()
    if tagger is None:
        return []
    known = {facet_key(s.name) for s in speakers}
    rule_words = {key(w) for s in speakers for w in s.name.split()}
    added: dict[str, Speaker] = {}
    for number, offset, _, feats in inputs(all_sentences, speakers, state):
        tokens = all_sentences[number][2]
        for start, end, confidence in labeller.spans(tagger, feats):
            start, end = start + offset, end + offset
            if confidence < labeller.THRESHOLD:
                continue
            words = _confirmed(tokens, start, end, state)
            if words is None or any(key(w) in rule_words for w in words):
                continue  # the rules read this person already (a longer reading is theirs to make)
            k = facet_key(" ".join(words))
            if not k or k in known or k in added:
                continue
            sentence, norm, _, spans = all_sentences[number]
            quote = _quote(tokens, spans, norm, end)
            added[k] = Speaker(" ".join(words), sentence, " ".join(tokens[start:end]), (quote,) if quote else ())
    return list(added.values())


# What may stand before a subject: nothing (the sentence starts), a comma or colon, «که»
# («همان‌طور که X گفت»), or an adverb of addition. Not a preposition («خطاب به X»، «دیدار با X»),
# a noun («کنفرانس مطبوعاتی X»: X's), a role («معاون X») or «و» (the end of a list).
_BEFORE_SUBJECT = frozenset({"،", ",", ":", "؛", "-", "*", "که", "همچنین", "نیز", "اما", "ولی"}) | frozenset(
    {"پیش", "قبل", "اخیرا", "دیروز", "امروز"}  # «چندی پیش X اعلام کرد»، «مدتی قبل دکتر X گفته بود»
)


def _in_subject_place(tokens: list[str], start: int, end: int) -> bool:
    """Whether the name ``tokens[start:end]`` (its honorifics and quote marks included)
    stands where a subject does, and not inside a list of names («A، B، C»).

    >>> _in_subject_place(["همان", "طور", "که", "تیمو", "کالیو", "گفت"], 3, 5)
    True
    >>> _in_subject_place(["خطاب", "به", "تیمو", "کالیو", "نوشت"], 2, 4)
    False
    >>> _in_subject_place(["تیمو", "کالیو", "،", "یوهان", "لیند", "و", "لارس", "بو", "گفتند"], 0, 2)
    False
    """
    at = start - 1
    while at >= 0 and tokens[at] in _QUOTES:
        at -= 1  # «»X گفت»، «"X" گفت»
    before = key(tokens[at]) if at >= 0 else ""
    if before and before not in _BEFORE_SUBJECT:
        return False
    if before in _COMMAS and at >= 1 and is_name_word(tokens[at - 1]):
        return False  # «A، B»: the middle of a list
    after = tokens[end + 1] if end + 1 < len(tokens) else ""
    return not (end < len(tokens) and key(tokens[end]) in _LIST_MARKS and after and may_start_name(after))


_COMMAS = frozenset({"،", ","})
_LIST_MARKS = frozenset({"،", ",", "و"})


def _confirmed(tokens: list[str], start: int, end: int, state: _State) -> list[str] | None:
    """The name a proposal reads, when the rules' tests confirm it is one; else ``None``."""
    while start < end and tokens[start] in _QUOTES:
        start += 1
    if not _in_subject_place(tokens, start, end):
        return None
    start += honorifics_at(tokens[:end], start)
    while start < end and tokens[start] in _QUOTES:
        start += 1
    words = tokens[start:end]
    if not 1 <= len(words) <= MAX_WORDS or not all(is_name_word(w) for w in words):
        return None
    if any(is_outlet(w) or key(w) in state.outlets for w in words):
        return None
    if len(words) == 1:  # a surname alone only stands for a person the article names in full
        person = _known(words, state)
        return person if person is not None and len(person) > 1 else None
    if not (is_corpus_surname(words[-1]) or frequency(words[-1]) < _RARE):
        return None  # «مازیار دیشب»، «مهری اینقدر»: a name does not end in a counted word
    if any(frequency(w) >= COMMON and not is_given_name(w) for w in words):
        return None
    return words


def _quote(tokens: list[str], spans: list[tuple[int, int]], norm: str, end: int) -> str:
    """What the speaker named at ``tokens[..end]`` said (see the module's doc)."""
    keys = token_keys(tokens)
    verb = next((c for c in cues(keys) if c[2] == "v" and c[0] >= end), None)
    if verb is None:
        return _clip(_quote_after(tokens, spans, norm, keys, end))
    said = _quote_after(tokens, spans, norm, keys, verb[1])
    if not said and verb[0] > end:
        said = norm[spans[end][0] : spans[verb[0] - 1][1]].strip(" ،,")
    return _clip(said)
