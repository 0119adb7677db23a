"""Names in subject place that no given-name list holds: quoted in «», before «، role»,
rare or transliterated words, a surname the article gives in full, or a name the corpus model
learned («جروم کالیستر در مجله‌ای نوشت»، «"امیل دوفور" ... خواستار شد»)."""

from __future__ import annotations

from indexer.normalize import ZWNJ
from indexer.speakers.cues import CLOSING, OPENING, role_follows, role_key
from indexer.speakers.lexicon import NATIONALITIES, RELATIONS, SURNAME_PARTS
from indexer.speakers.names import (
    _ends_name,
    honorifics_at,
    inflected_noun,
    is_corpus_surname,
    is_given_name,
    is_name_word,
    is_outlet,
    is_surname_shaped,
    read_name,
    surname_apart,
)
from indexer.speakers.state import State, Subject, known_person
from indexer.speakers.words import COMMON, counted, frequency, in_dictionary, key

#: Fewer occurrences than this in hazm's corpus make a word a possible first word of a name the
#: corpus model finds
#: («نیکنام»، «مزدک»، «کیاست» are words too, seldom ones).
_FIRST_WORD = 100_000


def unlisted_name(tokens: list[str], begin: int, stop: int, following: list[str], state: State) -> Subject | None:
    """A name without a listed given name, marked by its position: quoted in
    «» before a role, before «، role», rare words before a role, a surname of
    someone the article names, or words the corpus knows as a name."""
    segment = tokens[begin:stop]
    start = honorifics_at(segment, 0)
    quoted = segment[start] in OPENING if start < len(segment) else False
    if quoted:
        closing = CLOSING[segment[start]]
        close = next((n for n in range(start + 1, len(segment)) if segment[n] == closing), None)
        if close is None or not 1 <= close - start - 1 <= 4:
            return None
        words = segment[start + 1 : close]
        after = segment[close + 1 :]
    else:
        words = []
        n = start
        while n < len(segment) and len(words) < 4 and is_name_word(segment[n]):
            words.append(segment[n])
            n += 1
        if len(words) == 4 and (
            n < len(segment) or not role_follows(following) or any(counted(w) >= COMMON for w in words)
        ):
            # Four words only right before «، role», none common («یوهان آدلبرت ویندل فلوتو، مدیر ...»).
            words.pop()
            n -= 1
        after = segment[n:]
    if not words or not all(is_name_word(w) for w in words) or any(is_outlet(w) for w in words):
        return None
    if not quoted and inflected_noun(words[0]) >= COMMON:
        return None  # «فضای مجازی»، «صدای کودکی»، «وکلای X»: a noun in the ezafe, and what it governs
    end = begin + start + len(words) + (2 if quoted else 0)
    # A listed name inside the run is the name: «اخیر دونالد کارلتون ...».
    inner = next(((n, f) for n in range(start + 1, start + len(words)) if (f := read_name(segment, n))), None)
    if not quoted and inner:
        n, (stop_at, name) = inner
        if key(segment[n - 1]) in RELATIONS:
            return None  # «پدر علی آذرپی گفت»: the father speaks, not Ali Ahmadi
        return Subject(name, " ".join(segment[n:stop_at]), begin + stop_at)
    surface = " ".join(segment[: start + len(words) + (2 if quoted else 0)])
    backref = None if quoted else known_person(words, state)
    if backref:
        return Subject(backref, surface, end)
    role_after = role_follows(after or following)
    rare = all(counted(w) < COMMON for w in words)  # beside a role or in quote marks: hazm's own counts
    if role_after and (quoted or not after or rare or start):
        return Subject(words, surface, end, role_key(following, 0) if not after and following else "")
    if start and not after and len(words) <= 2:  # «سردار نوروزپاد گفت»
        return Subject(words, surface, end)
    rare_name = not any(frequency(w) for w in words) and not in_dictionary(words[-1])
    if len(words) >= 2 and after and key(after[0]) == "که" and rare_name:
        return Subject(words, surface, end)  # «راجیو کاپالی که ... گفت»: a surname no dictionary knows
    if quoted and (len(words) >= 2 or is_corpus_surname(words[0])) and rare:
        return Subject(words, surface, end)  # «"امیل دوفور" ساعاتی بعد ... خواستار شد»: quote marks make a name
    found = _corpus_name(words, after or [], quoted)
    if found:
        shown = " ".join(segment[: start + len(found) + (1 if quoted else 0)])
        return Subject(found, shown, begin + start + len(found))
    return None


def _corpus_name(words: list[str], after: list[str], quoted: bool) -> list[str] | None:
    """Words in subject place that the corpus model knows as a name, or that no
    dictionary counts (a transliterated name: «جروم کالیستر»، «گرونتال»): the run up
    to a word that ends a name."""
    if words and inflected_noun(words[0]) >= COMMON:
        return None  # «فضای مجازی»: see ``unlisted_name``
    for size in range(len(words), 0, -1):
        run = words[:size]
        rest = [*words[size:], *after]
        if not _ends_name(rest, 0):
            continue
        last = run[-1]
        if size >= 2 and key(last) in SURNAME_PARTS and is_surname_shaped(run[-2] + ZWNJ + last):
            # «بهرنگ فر» is «بهرنگ‌فر» written apart (one facet key either way): one surname, not «فر»
            if frequency(run[-2]) < COMMON and _may_open(run[:-2]):
                return run
            continue
        if size >= 2 and surname_apart(run[-2], last) and _may_open(run[:-2]):
            return run  # «مهرآذین فرد تصریح کرد»: the corpus's surname «مهرآذین‌فرد» written apart
        if not (is_corpus_surname(last) or frequency(last) == 0) or any(frequency(w) >= COMMON for w in run):
            continue
        if key(last) in NATIONALITIES:
            continue  # «کارپیلای سوئدی خبر داد»: a description (hazm counts no «آلمانی»), not a surname
        if size == 1 and not (is_corpus_surname(last) or quoted):
            continue  # one unknown word alone is too weak («کووید گفت»)
        if _may_open(run[:-1]):
            return run
    return None


def _may_open(first: list[str]) -> bool:
    """Whether the words before a surname may open a name: given names, corpus surnames, or seldom words."""
    return all(is_corpus_surname(w) or is_given_name(w) or frequency(w) < _FIRST_WORD for w in first)


def unknown_name(tokens: list[str], at: int) -> tuple[int, list[str]] | None:
    """A name at ``at`` that no list holds, for «گفت‌وگو با X»: words the corpus
    knows as a name, up to a comma, a role or a preposition."""
    words: list[str] = []
    n = at
    while n < len(tokens) and len(words) < 3 and is_name_word(tokens[n]):
        words.append(tokens[n])
        n += 1
    found = _corpus_name(words, tokens[n:], quoted=False) if len(words) >= 2 else None
    return (at + len(found), found) if found and len(found) >= 2 else None
