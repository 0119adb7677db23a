"""A statistical labeller of speaker mentions (issue 17): a linear-chain CRF.

The rules (``extract``) read a speaker where a hand-written pattern says so.
The labeller reads every sentence that holds a quote cue (a quote verb,
«به گفته», «گفت‌وگو با») and tags each token ``B``/``I`` (a speaker's name)
or ``O``, from features the rules already compute: the word and its
neighbours, its affixes and ZWNJ joins, the name lists (given names, corpus
surnames and full names, outlets, roles, honorifics), hazm's word counts,
quote marks, the distance to the cue and the token's place in its clause,
and whether the rules took the word as a speaker's name in this article.
It is trained only on labelled training articles (``training``); it
proposes, and ``extract`` keeps a proposal only when the rules' own tests
confirm it is a name (see ``extract._confirmed``).

The model is a generated file (``make speaker-model``, seconds over the
labels and ../shared): ``$KAVOSH_SPEAKER_MODEL`` or
``var/speaker-labeller.crfsuite``. Without it the extractor is the rules
alone (``model()`` is ``None``).

>>> feats = features(["قالیباف", "گفت", ":"], ["قالیباف", "گفت", ":"], [(1, 2, "v")], frozenset())
>>> "cue+1" in feats[0], "cue" in feats[1], "w=:" in feats[2]
(True, True, True)
"""

from __future__ import annotations

import math
import os
from functools import cache, lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from indexer.normalize import ZWNJ
from indexer.speakers.lexicon import HONORIFICS, PRONOUNS, STOP
from indexer.speakers.names import (
    frequency,
    in_dictionary,
    is_clause_word,
    is_corpus_surname,
    is_given_name,
    is_listed_given_name,
    is_name_word,
    is_outlet,
    is_role,
    is_surname_shaped,
    is_verb_form,
    may_start_name,
    read_name,
)

if TYPE_CHECKING:
    import pycrfsuite

#: Where ``make speaker-model`` writes the model (``$KAVOSH_SPEAKER_MODEL`` overrides; empty: none).
MODEL_FILE = Path(__file__).resolve().parents[2] / "var" / "speaker-labeller.crfsuite"
#: A proposed span is kept when its tokens' mean marginal probability reaches this. Cross-validation
#: on the training articles (``kavosh speaker-model --folds 5``) scores 0.5 to 0.9 alike; at 0.5 the
#: additions over the unlabelled shared corpora included wrong ones, at 0.7 none were found.
THRESHOLD = 0.7

#: A cue: (first token, token after it, kind): ``v`` a quote verb after its subject,
#: ``a`` «به گفته X» before its name, ``i`` «گفت‌وگو با X».
Cue = tuple[int, int, str]

_CLAUSE_END = frozenset({":", "؛", ";", "!", "?", "؟", ".", "اما", "ولی", "بلکه"})
_COMMAS = frozenset({"،", ","})
_QUOTES = frozenset({"«", "»", '"', "'", "“", "”"})


def _bucket(distance: int) -> str:
    """Distances as a few classes: the exact count matters only when small."""
    return str(distance) if distance <= 3 else "4-6" if distance <= 6 else "7+"


def _frequency_class(token: str) -> str:
    count = frequency(token)
    return "0" if count == 0 else str(min(6, int(math.log10(count))))


@lru_cache(maxsize=200_000)
def _word(token: str, k: str) -> tuple[str, ...]:
    """What a token is, alone: its word, affixes and the lists that hold it."""
    feats = [f"w={k}", f"s2={k[-2:]}", f"s3={k[-3:]}", f"p2={k[:2]}", f"f={_frequency_class(token)}"]
    if not k[:1].isalpha():
        feats.append("punct")
        if token in _QUOTES:
            feats.append("quote")
        return tuple(feats)
    if ZWNJ in token:
        feats.append("zwnj")
    tests = (
        ("given", is_given_name),
        ("listed", is_listed_given_name),
        ("surname", is_corpus_surname),
        ("shaped", is_surname_shaped),
        ("outlet", is_outlet),
        ("role", is_role),
        ("verb", is_verb_form),
        ("clause", is_clause_word),
        ("nameword", is_name_word),
        ("dict", in_dictionary),
    )
    feats += [name for name, test in tests if test(token)]
    feats += [name for name, words in (("honorific", HONORIFICS), ("pronoun", PRONOUNS), ("stop", STOP)) if k in words]
    return tuple(feats)


def features(tokens: list[str], keys: list[str], cues: list[Cue], rule_words: frozenset[str]) -> list[list[str]]:
    """The features of each token of a sentence with quote cues.

    ``keys`` are the tokens' ``names.key``; ``rule_words`` the keys of the
    words of the names the rules found as speakers anywhere in the article.
    """
    size = len(tokens)
    alone = [_word(t, k) for t, k in zip(tokens, keys, strict=True)]
    # Tokens inside a name the lists read (``read_name``): «mention», and where it starts.
    mention = [""] * size
    i = 0
    while i < size:
        found = read_name(tokens, i) if may_start_name(tokens[i]) else None
        if found and found[0] > i:
            mention[i : found[0]] = ["mB"] + ["mI"] * (found[0] - i - 1)
            i = found[0]
        else:
            i += 1
    # The clause and comma segment each token is in: where they start.
    clause_start = [0] * size
    segment_start = [0] * size
    clause = segment = 0
    for n, k in enumerate(keys):
        clause_start[n], segment_start[n] = clause, segment
        if k in _CLAUSE_END:
            clause = segment = n + 1
        elif k in _COMMAS:
            segment = n + 1
    result = []
    for n in range(size):
        feats = ["bias", *alone[n]]
        for offset in (-2, -1, 1, 2):
            at = n + offset
            word = keys[at] if 0 <= at < size else ("<s>" if at < 0 else "</s>")
            feats.append(f"w{offset:+d}={word}")
        for offset in (-1, 1):
            at = n + offset
            if 0 <= at < size:
                feats += [f"{offset:+d}:{f}" for f in alone[at] if f in _NEIGHBOUR_FEATS]
        if mention[n]:
            feats.append(mention[n])
        if keys[n] in rule_words:
            feats.append("rule")
        feats.append(f"c@{_bucket(n - clause_start[n])}")
        feats.append(f"g@{_bucket(n - segment_start[n])}")
        for start, end, kind in cues:
            if start <= n < end:
                feats.append("cue")
            elif end <= n and kind != "v":
                feats.append(f"{kind}+{_bucket(n - end + 1)}")  # after «به گفته» or «گفت‌وگو با»
            elif n < start and kind == "v" and clause_start[n] == clause_start[start]:
                distance = _bucket(start - n)
                feats += [f"cue+{distance}", f"cue+{distance}|{mention[n] or 'x'}"]
                if n >= segment_start[start]:
                    feats.append("cue-segment")
        name = "nameword" in alone[n]
        feats.append(f"shape={'N' if name else 'x'}{'m' if mention[n] else ''}{'r' if keys[n] in rule_words else ''}")
        result.append(feats)
    return result


# A neighbour's list memberships (not its affixes): «a given name before», «a role after».
_NEIGHBOUR_FEATS = frozenset(
    {"punct", "quote", "given", "surname", "outlet", "role", "verb", "nameword", "honorific", "pronoun", "stop"}
)


@cache
def model() -> pycrfsuite.Tagger | None:
    """The trained labeller, or ``None`` when there is no model file (rules alone)."""
    configured = os.environ.get("KAVOSH_SPEAKER_MODEL")
    path = Path(configured) if configured else MODEL_FILE
    if configured == "" or not path.is_file():
        return None
    import pycrfsuite

    tagger = pycrfsuite.Tagger()
    tagger.open(str(path))
    return tagger


def spans(tagger: pycrfsuite.Tagger, feats: list[list[str]]) -> list[tuple[int, int, float]]:
    """The speaker names the labeller tags in a sentence: (start, end, confidence), the
    confidence being the mean marginal probability of the span's labels."""
    labels = tagger.tag(feats)
    found = []
    n = 0
    while n < len(labels):
        if labels[n] == "O":
            n += 1
            continue
        end = n + 1
        while end < len(labels) and labels[end] == "I":
            end += 1
        confidence = sum(tagger.marginal(labels[i], i) for i in range(n, end)) / (end - n)
        found.append((n, end, confidence))
        n = end
    return found
