"""The subject of a quote verb: the name at the start of a comma segment of its clause,
after openers, a role chain or an honorific; «وی»/«این مقام» referring back; a role alone.
Names no list holds are in ``unlisted``."""

from __future__ import annotations

from indexer.metadata import facet_key
from indexer.speakers.cues import (
    ARTICLES,
    CLOSING,
    FRAME_WORDS,
    LETTERS_ONLY,
    QUOTE_MARKS,
    SEGMENT_END,
    role_follows,
    role_key,
)
from indexer.speakers.lexicon import ADVERBIAL_OPENERS, PRONOUNS, RELATIONS, ROLE_NOUNS, STOP
from indexer.speakers.names import is_name_word, is_role, read_name
from indexer.speakers.state import State, Subject
from indexer.speakers.unlisted import unlisted_name
from indexer.speakers.words import is_clause_word, is_verb_form, key

#: A comma segment this short without a name is an adverbial («چندی پیش»، «اما بالاخره شب گذشته»).
_ADVERBIAL = 3
# Participles that are adjectives of time in such a segment («شب گذشته»), not its verb.
_PARTICIPLES = frozenset({"گذشته", "آینده"})


def _segments(tokens: list[str], start: int, stop: int) -> list[tuple[int, int]]:
    """The comma segments of ``tokens[start:stop]``, as (start, stop) pairs."""
    segments = []
    begin = start
    for n in range(start, stop):
        if tokens[n] in SEGMENT_END:
            segments.append((begin, n))
            begin = n + 1
    segments.append((begin, stop))
    return segments



def clause_subject(tokens: list[str], start: int, verb: int, state: State) -> Subject | None:
    """The named subject of the clause ``tokens[start:verb]`` that ends before a quote verb."""
    segments = _segments(tokens, start, verb)
    framed: list[tuple[int, int]] = []  # frame segments, where a name beside its role may stand
    for n, (begin, stop) in enumerate(segments):
        begin = strip_openers(tokens, begin, stop)
        if begin >= stop:
            continue
        following = tokens[segments[n + 1][0] : segments[n + 1][1]] if n + 1 < len(segments) else []
        found = in_segment(tokens, begin, stop, following, state)
        if found:
            return found
        tail = _name_before_role(tokens, begin, stop, following)
        if tail:
            return tail
        first = key(tokens[begin])
        if is_role(tokens[begin]):
            # A role alone: who it is, the article says elsewhere (or the next sentences do).
            if n + 1 == len(segments) or not _has_name(tokens, segments[n + 1][0], segments[n + 1][1]):
                return Subject([], " ".join(tokens[begin:stop]), stop, role_key(tokens, begin))
            continue
        if first in FRAME_WORDS or first.isdigit() or first in ARTICLES:
            framed.append((begin, stop))
            continue
        short = stop - begin <= _ADVERBIAL and n + 1 < len(segments)
        verbs = any(is_verb_form(t) and key(t) not in _PARTICIPLES for t in tokens[begin:stop])
        if short and (first in STOP or not verbs):
            continue  # «چندی پیش،»، «اما بالاخره شب گذشته،»: an adverbial before the subject
        if n + 1 < len(segments) and _prepositional(tokens, begin, stop) and not verbs:
            continue  # «درست پس از اعلام نتایج مسابقه در ورزشگاه شهر،»: long, but no subject in it
        return None
    return next(filter(None, (_name_then_role(tokens, b, s, verb) for b, s in reversed(framed))), None)


#: Words that open a prepositional phrase of time or cause before the subject.
_PHRASE_OPENERS = frozenset({"پس", "پیش", "قبل", "بعد", "در", "به", "با", "از", "طی", "ضمن", "برای"})


def _prepositional(tokens: list[str], begin: int, stop: int) -> bool:
    """A segment that is a prepositional phrase, possibly after one adverb: «پس از ...»،
    «بلافاصله پس از ...»، «در پی ...»; its names are objects, never the subject."""
    first = key(tokens[begin])
    second = key(tokens[begin + 1]) if begin + 1 < stop else ""
    return first in _PHRASE_OPENERS or (first in _PHRASE_ADVERBS and second in _PHRASE_OPENERS)


#: Adverbs before such a phrase («بلافاصله پس از ...»); not a name («رنجبران از سفر خود ...»).
_PHRASE_ADVERBS = frozenset({"بلافاصله", "درست", "دقیقا", "کمی", "اندکی", "مدتی", "روز", "صبح", "شب", "عصر"})


def _name_then_role(tokens: list[str], begin: int, stop: int, verb: int) -> Subject | None:
    """The last listed name in a frame segment that a role follows with no comma, or that
    ends the segment right before «، verb», when no other segment gives the subject: «در
    همین باره علی آذرپی عضو شورای شهر ... گفت», «از جمله علی آذرپی رئیس کمیسیون ... گفته
    بود», «در این همایش علی آذرپی، افزود». Not after a preposition or a relation («در
    دیدار با علی آذرپی رئیس ...» meets him).

    >>> toks = "در همین باره علی آذرپی عضو شورای شهر".split()
    >>> _name_then_role(toks, 0, len(toks), len(toks)).words
    ['علی', 'آذرپی']
    >>> toks = "در دیدار با علی آذرپی عضو شورای شهر".split()
    >>> _name_then_role(toks, 0, len(toks), len(toks)) is None
    True
    >>> toks = "در این همایش علی آذرپی ، افزود".split()
    >>> _name_then_role(toks, 0, 5, 6).words
    ['علی', 'آذرپی']
    """
    last = None
    for i in range(begin + 1, stop):
        before = key(tokens[i - 1])
        if before in STOP or before in RELATIONS or tokens[i - 1] in QUOTE_MARKS:
            continue
        found = read_name(tokens, i)
        if found and found[0] < stop and is_role(tokens[found[0]]):
            last = Subject(found[1], " ".join(tokens[i : found[0]]), found[0], role_key(tokens, found[0]))
        elif found and found[0] == stop == verb - 1 and tokens[stop] in SEGMENT_END:
            last = Subject(found[1], " ".join(tokens[i:stop]), stop)  # «... علی آذرپی، افزود»
    return last


def _has_name(tokens: list[str], begin: int, stop: int) -> bool:
    """Whether a name starts in the first three words of ``tokens[begin:stop]``."""
    return any(read_name(tokens, i) for i in range(begin, min(stop, begin + 3)))


def _name_before_role(tokens: list[str], begin: int, stop: int, following: list[str]) -> Subject | None:
    """A name that ends a segment before «، role»: «... ماه گذشته علیرضا کوهسار، مدیر ...»."""
    if not role_follows(following):
        return None
    for i in range(begin + 1, stop):
        found = read_name(tokens, i)
        if found and found[0] == stop:
            return Subject(found[1], " ".join(tokens[i:stop]), stop, role_key(following, 0))
    return None


# The keys of a segment's first words are all an opener needs to see.
_OPENER_SPAN = max(map(len, ADVERBIAL_OPENERS)) + 1
_OPENER_FIRSTS = frozenset(opener[0] for opener in ADVERBIAL_OPENERS)


# Marks that open a list item or a paragraph, before its subject.
_BULLETS = frozenset({"*", "-", "•", "–", "—", "#"})


def strip_openers(tokens: list[str], begin: int, stop: int) -> int:
    """Where the segment ``tokens[begin:stop]`` starts once quote marks, adverbs and
    openers («همچنین»، «در ادامه این نشست») are skipped."""
    changed = True
    while changed:
        changed = False
        if begin < stop and tokens[begin] in QUOTE_MARKS and not _quoted_name(tokens, begin, stop):
            begin += 1  # «»همچنین بهرام رادمنش ...»: the quote mark closes the previous quote
            changed = True
            continue
        if begin < stop and tokens[begin] in _BULLETS:  # «* جلیل نوآورنژاد ... گفت»: a list mark
            begin += 1
            changed = True
            continue
        if begin < stop and is_clause_word(tokens[begin]):  # «اگرچه»، «قطعا»: hazm's adverbs and conjunctions
            begin += 1
            changed = True
        head = [key(t) for t in tokens[begin : min(stop, begin + _OPENER_SPAN)]]
        if not head or head[0] not in _OPENER_FIRSTS:
            continue  # no opener can match (``changed`` says whether to look again)
        for opener in ADVERBIAL_OPENERS:
            if len(head) <= len(opener) or head[len(opener)] in ("الله", "اله"):
                continue  # nothing left, or «ولی الله ...» (a name, not «but»)
            if all(o in ("*", h) for o, h in zip(opener, head, strict=False)):
                begin += len(opener)
                head = [key(t) for t in tokens[begin : min(stop, begin + _OPENER_SPAN)]]
                changed = True
    return begin


def _quoted_name(tokens: list[str], begin: int, stop: int) -> bool:
    """«تروی بلکمور» مشاور ...: a quote mark that opens a name of one to four words."""
    close = next((n for n in range(begin + 1, min(stop, begin + 6)) if tokens[n] in QUOTE_MARKS), None)
    return close is not None and close > begin + 1 and all(is_name_word(t) for t in tokens[begin + 1 : close])



def in_segment(tokens: list[str], begin: int, stop: int, following: list[str], state: State) -> Subject | None:
    """The subject name at the start of the comma segment ``tokens[begin:stop]``.

    Returns a subject without words for a pronoun («وی»), ``None`` for no subject.
    """
    # Leading quotes only: a closing «» ends the name («رابرت هالوی» پزشکی ...).
    at = begin
    while at < stop and tokens[at] in QUOTE_MARKS:
        at += 1
    if at >= stop:
        return None
    back = _refers_back(tokens, at, stop)
    if back:
        # «وی»، «این مقام» is the person already quoted; before anyone is, or when the
        # previous sentence quoted no one and introduced one person with a role, the
        # one person the previous sentence named.
        surface = " ".join(tokens[at : at + back])
        people = {facet_key(" ".join(p)): p for p in state.previous}
        if len(people) == 1 and (not state.found or state.introduced):
            return Subject(next(iter(people.values())), surface, at + back)
        return Subject([], surface, at + back)
    # The name may follow a role chain: «رئیس سازمان آب استان یزد محمدباقر تیزپاک».
    role = is_role(tokens[at])
    limit = stop if (role or key(tokens[at]) in ARTICLES) else at + 1
    bare = tokens[:stop]
    for i in range(at, limit):
        before = key(bare[i - 1]) if i > at else ""
        after_stop = before in STOP and before not in ARTICLES and before not in ROLE_NOUNS  # «رئیس شورای شهر X»
        if i > at and (after_stop or bare[i - 1] in QUOTE_MARKS or is_verb_form(before)):
            break  # a preposition or verb: what follows is no longer the subject
        if i > at and before in RELATIONS:
            return None  # «وکیل کیوان رهنما گفت»: Rahnama's lawyer speaks
        found = read_name(bare, i)
        if found:
            end, words = found
            if i == at:
                end, words = _name_to_mark(tokens, i, end, stop, following, words)
            return Subject(words, " ".join(bare[i:end]), end, role_key(tokens, at) if role and i > at else "")
    return unlisted_name(tokens, begin, stop, following, state)


#: A name in quote marks is at most this many words; a name run on to «، role» at most this many more.
_QUOTED_NAME = 5
_RUN_ON = 2


def _name_to_mark(
    tokens: list[str], at: int, end: int, stop: int, following: list[str], words: list[str]
) -> tuple[int, list[str]]:
    """The name read at ``at`` (to ``end``) taken on to a mark that closes it, when the rules
    stopped short: the closing quote mark of a name in quote marks («"آنا فن در برگ" رئیس ...»),
    or the comma before a role, over one or two more name words («کامیار تیزگام ورزی، نایب‌رئیس»).

    >>> toks = "کامیار تیزگام ورزی ، نایب‌رئیس شورا".split()
    >>> _name_to_mark(toks, 0, 2, 3, toks[4:], toks[:2])
    (3, ['کامیار', 'تیزگام', 'ورزی'])
    """
    opening = tokens[at - 1] if at else ""
    if opening in CLOSING:
        close = next((n for n in range(end, min(stop, at + _QUOTED_NAME + 1)) if tokens[n] == CLOSING[opening]), None)
        if close is None:
            return end, words
        inside = tokens[end:close]
        if all(LETTERS_ONLY.fullmatch(t) and not is_verb_form(t) and not is_role(t) for t in inside):
            return close, [*words, *inside]
        return end, words
    extra = tokens[end:stop]
    if (
        0 < len(extra) <= _RUN_ON
        and role_follows(following)
        and all(is_name_word(t) and not is_clause_word(t) for t in extra)  # «ورزی» reads as a verb too
    ):
        return stop, [*words, *extra]
    return end, words


# «این مقام»، «این نماینده مجلس»: a role after a demonstrative names the person the text is about.
_DEMONSTRATIVES = frozenset({"این", "همین"})
_REFERRING_NOUNS = frozenset({"مقام", "چهره", "فرد"})


def _refers_back(tokens: list[str], at: int, stop: int) -> int:
    """How many words at ``at`` refer back to a person already named: «وی»، «او»، «ایشان» (1),
    or a demonstrative and a role («این مقام»، «این نماینده»: 2); 0 otherwise."""
    k = key(tokens[at])
    if k in PRONOUNS:
        return 1
    if k in _DEMONSTRATIVES and at + 1 < stop and (is_role(tokens[at + 1]) or key(tokens[at + 1]) in _REFERRING_NOUNS):
        return 2
    return 0


def is_back_reference(surface: str) -> bool:
    """Whether a subject's words are «وی» or «این مقام» (see ``_refers_back``).

    >>> is_back_reference("وی"), is_back_reference("این مقام"), is_back_reference("تیزپاک")
    (True, True, False)
    """
    words = surface.split()
    return bool(words) and _refers_back(words, 0, len(words)) == len(words)
