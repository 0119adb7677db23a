"""The attributions of one sentence: each quote verb's subject, «به گفته X», and two subjects
joined by «و» before a plural verb. Authors of letters, claims cited with «مبنی بر» and the person
of an interview: ``statements``."""

from __future__ import annotations

from collections.abc import Iterator

from indexer.speakers.cues import (
    FRAME_WORDS,
    NOT_QUOTE,
    PLURAL_VERB,
    QUOTE_MARKS,
    RESPECTFUL,
    RESPONSE,
    SEGMENT_END,
    VERB,
    after_modal,
    ends_clause,
    introduces_quote,
    role_follows,
)
from indexer.speakers.lexicon import ACCORDING_TO, PRONOUNS, STOP
from indexer.speakers.names import (
    honorifics_at,
    is_corpus_surname,
    is_given_name,
    is_name_word,
    is_outlet,
    is_role,
    read_name,
    reports_outlet,
)
from indexer.speakers.quotes import embedded_quote, quote_after
from indexer.speakers.state import Quote, State, Subject, known_person
from indexer.speakers.subject import clause_subject, in_segment, is_back_reference, strip_openers
from indexer.speakers.words import COMMON, frequency, is_verb_form, key

#: «به گفته X، ...»: a name this many words long at most before the comma; longer, the comma is far.
_ACCORDING_SPAN = 5


def attributions(
    tokens: list[str], spans: list[tuple[int, int]], norm: str, keys: list[str], state: State
) -> Iterator[Quote]:
    """Each attribution in a sentence: the subject of a quote verb or the X of «به گفته X»."""
    text = " ".join(keys)
    verbs = list(VERB.finditer(text))
    plural = {m.start() for m in PLURAL_VERB.finditer(text)}
    according = list(ACCORDING_TO.finditer(text))
    if not verbs and not according and not plural:
        return  # most sentences quote no one
    if plural:
        verbs = sorted([*verbs, *(m for m in PLURAL_VERB.finditer(text))], key=lambda m: m.start())
    # Token index of each character offset in ``text``.
    starts = [0]
    for k in keys:
        starts.append(starts[-1] + len(k) + 1)
    index = {offset: n for n, offset in enumerate(starts)}
    last_named: list[str] = []  # the person this sentence last quoted by name
    for number, match in enumerate(verbs):
        at = match.start() + (1 if match.group().startswith(" ") else 0)
        if NOT_QUOTE.match(text[at:]):
            continue
        if number + 1 < len(verbs) and text[match.end() : verbs[number + 1].start()].strip() in ("و", ""):
            continue  # «اشاره کرد و گفت: ...»: the second verb carries the quote
        verb = index.get(at)
        if verb is None or (keys[verb] == "ادامه" and not introduces_quote(tokens, keys, match.end())):
            continue  # «سیستم را ادامه داد»، «به حکومت خود ادامه داد»: continued something, said nothing
        if after_modal(tokens, keys, verb):
            continue  # «می‌توان به کسانی مانند X اشاره کرد»: what one can say, no one said it
        after = index.get(match.end() + 1, len(tokens))
        # The clause starts after the last clause end before the verb.
        start = next((n + 1 for n in range(verb - 1, -1, -1) if ends_clause(tokens, n)), 0)
        if keys[verb] in _CONSIDERED and "را" not in keys[start:verb]:
            continue  # «X ... را ضروری دانست» states a view; «X دانست که ...» only learnt something
        subject = clause_subject(tokens, start, verb, state)
        if subject is None and (restart := _after_verb_and(tokens, keys, start, verb)):
            # «... صادر کردند و ظریف تهدید کرد»
            subject = _named(clause_subject(tokens, restart, verb, state), tokens, state)
        if subject is None and (before := _before_but(tokens, keys, start, verb)) is not None:
            # «X اقتصاددان اما دیروز گفته است»: the subject stands before «اما»
            subject = _named(clause_subject(tokens, before, start - 1, state), tokens, state)
        if subject is None and state.pending:
            # «سخنگوی گمرک گفت: ...» then «به گزارش ایرنا، کاوه رنجبران افزود»: the role's name
            subject = awaited_name(tokens, start, verb)
        if subject is None:
            continue
        if keys[verb] in _CONSIDERED and not _states_view(tokens, keys, start, subject, state):
            continue
        if keys[verb] in _WRITES_DOWN and not (is_back_reference(subject.surface) or _named(subject, tokens, state)):
            continue  # «دادسرای عمومی ... آورده است:»: an office, not a name the lists read
        if last_named and is_back_reference(subject.surface):
            # «X گفت: ... .وی افزود: ...» (a full stop with no space after it): «وی» is X, whom
            # this sentence quoted, not someone the sentence before named.
            subject = Subject(last_named, subject.surface, subject.end, subject.role)
        last_named = subject.words or last_named
        together = _coordinated(tokens, subject, verb, state) if subject.words else None
        is_plural = match.start() in plural or keys[verb] in _PLURAL_SAYS
        if is_plural and together is None and not _respectful(subject):
            continue  # «کارشناسان گفتند»: a group
        embedded = embedded_quote(tokens, spans, norm, keys, subject.end, verb)
        if embedded:
            yield Quote(subject.words, subject.surface, embedded, subject.role)
        said = quote_after(tokens, spans, norm, keys, after)
        # «X، مدیر کتابخانه گفت:» announces the next sentence: the words between are X's role. Without
        # the colon they may hold what was said («X، عضو اتاق، با اشاره به ... هشدار داد»).
        announced_after_role = (
            tokens[-1] == ":" and tokens[subject.end] in {"،", ","} and role_follows(tokens[subject.end + 1 : verb])
        )
        if not said and verb - subject.end >= 3 and not embedded and not announced_after_role:
            # «وی تورم را ... خواند.»
            said = norm[spans[subject.end][0] : spans[verb - 1][1]].strip(" ،,")
        announces = not said and bool(tokens) and tokens[-1] == ":"
        yield Quote(subject.words, subject.surface, said, subject.role, announces)
        if is_plural and together is not None:
            # «X، وزیر بهداشت و Y، معاون وزارت ... می‌گویند»: both said it.
            yield Quote(together.words, together.surface, said, together.role)
    for match in according:
        found_at = index.get(match.end())
        if found_at is None or any(key(t) in RESPONSE for t in tokens[max(0, found_at - 3) : found_at - 1]):
            continue  # «در پاسخ به ادعای X»: X's claim is answered, not reported
        at = found_at
        end = next(
            (n for n in range(at, len(tokens)) if tokens[n] in SEGMENT_END or ends_clause(tokens, n)), len(tokens)
        )
        rest = tokens[end + 1 : end + 3] if end < len(tokens) and tokens[end] in SEGMENT_END else []
        if end - at > _ACCORDING_SPAN:
            # No comma closes the name («به گفته سید مرتضوی شناسایی ...»): only a listed name, or one the article gave.
            named = read_name(tokens, at)
            person = known_person([tokens[at + honorifics_at(tokens, at)]], state) if at < len(tokens) else None
            found = (
                Subject(named[1], " ".join(tokens[at : named[0]]), named[0])
                if named
                else (Subject(person or [], tokens[at], at + 1) if person or key(tokens[at]) in PRONOUNS else None)
            )
            end = found.end if found else end  # what they said starts right after the name
        else:
            found = in_segment(tokens, at, end, rest, state)
        if found and keys[found_at - 1] == "از" and not (role_follows(rest) or _named(found, tokens, state)):
            continue  # «به نقل از X» names outlets as often as people: a person by the lists or a role
        if found and (found.words or is_back_reference(found.surface)):  # «به گفته وی»: the person quoted last
            said = quote_after(tokens, spans, norm, keys, end)
            if not said and found.end + 1 < end:  # «به گفته وی بازار آرام است.»: no comma, the rest
                said = quote_after(tokens, spans, norm, keys, found.end)
            if not said and at >= 2:  # «..., به گفته X.»: what came before
                said = norm[: spans[at - 2][0]].strip(" ،,")
            yield Quote(found.words, found.surface, said)


# «X در کتاب/یادداشت خود آورده است: ...»: what X wrote down. A weak cue (an office or a paper
# «آورده است» as often), so only with «:» after it and for a name the lists read, a person the
# article names, or «وی».
_WRITES_DOWN = frozenset({"آورده"})

# «X ... را ... دانست»: a view stated (considered it so), when the clause has its object.
_CONSIDERED = frozenset({"دانست"})


def _states_view(tokens: list[str], keys: list[str], start: int, subject: Subject, state: State) -> bool:
    """Whether ``subject`` may be who states a view with «دانست», a weak cue: a name the lists
    read, that opens its segment and does not run on into the object («X Y تیزرو را ... دانست»)."""
    if subject.end >= len(keys) or keys[subject.end] == "را":
        return False
    return _named(subject, tokens, state) is not None and _opens_segment(tokens, start, subject)


def _opens_segment(tokens: list[str], start: int, subject: Subject) -> bool:
    """Whether ``subject`` opens its comma segment of the clause from ``start``, past openers
    («همچنین»، «در همین حال»): «X ... را ضروری دانست», not «... دیدار X و Y را ... دانست».

    >>> toks = "همچنین علی آذرپی ، مدیر شهر ، این را ضروری دانست".split()
    >>> _opens_segment(toks, 0, Subject(["علی", "آذرپی"], "علی آذرپی", 3))
    True
    >>> toks = "آن زمان دیدار علی آذرپی را ضروری دانست".split()
    >>> _opens_segment(toks, 0, Subject(["علی", "آذرپی"], "علی آذرپی", 5))
    False
    """
    begin = subject.end - len(subject.surface.split())
    segment = max([start, *(n + 1 for n in range(start, begin) if tokens[n] in SEGMENT_END)])
    return strip_openers(tokens, segment, subject.end) >= begin


#: A report frame («به گزارش خبرنگار اقتصادی خبرگزاری ایرنا از شیراز،») is this many words at most.
_FRAME = 10
#: A name the lead's role waits for is this many words at most («کاوه مهرداد رنجبران»).
_AWAITED = 3
# Times a report gives between the name and the verb («کاوه رنجبران شامگاه دوشنبه در ... گفت»): no name words.
_DAYS = frozenset(
    key(d)
    for d in ("شنبه", "یکشنبه", "دوشنبه", "سه‌شنبه", "چهارشنبه", "پنجشنبه", "پنج‌شنبه", "جمعه",
              "شامگاه", "صبحگاه", "سحرگاه", "عصرگاه", "امشب")
)  # fmt: skip
_TIMES = _DAYS | {key(w) for w in ("امسال", "نیز", "هم")}
_STOPS_NAME = STOP | _TIMES


def awaited_name(tokens: list[str], start: int, verb: int) -> Subject | None:
    """The name right after the report frame of an agency's second sentence («به گزارش ایرنا،
    کاوه رنجبران در جمع خبرنگاران افزود»), called while a role quoted alone in the lead waits for
    its name: two or three name words, one a given name, a corpus surname or a word no
    dictionary counts, ended by the verb, a comma, or a preposition or time word before it (not a run into
    the day: «کاوه رنجبران دوشنبه»).

    >>> toks = "به گزارش ایرنا ، کاوه رنجبران در جمع خبرنگاران افزود".split()
    >>> awaited_name(toks, 0, 8).words
    ['کاوه', 'رنجبران']
    >>> toks = "به گزارش ایرنا ، بازار بزرگ در جمع خبرنگاران افزود".split()
    >>> awaited_name(toks, 0, 8) is None
    True
    """
    if verb - start < 4 or key(tokens[start]) != "به" or key(tokens[start + 1]) != "گزارش":
        return None
    at = next((n + 1 for n in range(start + 2, min(verb, start + _FRAME)) if tokens[n] in SEGMENT_END), None)
    if at is None:  # «به گزارش ایرنا کاوه رنجبران افزود»: one outlet word, no comma
        at = start + 3 if reports_outlet(tokens[start + 2]) else verb
    end, day = at, None
    words: list[str] = []
    while end < verb and len(words) < _AWAITED and is_name_word(tokens[end]) and key(tokens[end]) not in _STOPS_NAME:
        day = _before_day(tokens[end])
        words.append(day or tokens[end])
        end += 1
        if day:
            break  # «کاوه رنجبران‌سه‌شنبه در ... افزود»: the name ends inside the word
    closed = day is not None or end == verb or tokens[end] in SEGMENT_END or key(tokens[end]) in _STOPS_NAME
    # ``is_role``: the word cut before a glued day was tested whole («اقتصاد‌دان‌سه‌شنبه» is no role).
    if len(words) < 2 or not closed or any(is_role(w) or is_verb_form(w) or is_outlet(w) for w in words):
        return None
    if not any(is_given_name(w) or is_corpus_surname(w) or frequency(w) == 0 for w in words):
        return None  # «بازار بزرگ»: everyday words
    return Subject(words, " ".join(words), end)


def _before_day(word: str) -> str | None:
    """The word before a day glued to it by a ZWNJ, where Hamshahri's text has a NO-BREAK SPACE
    («رنجبران‌سه‌شنبه»), or ``None``: the day is no part of a name.

    >>> _before_day("رنجبران‌سه‌شنبه"), _before_day("رنجبران‌شامگاه"), _before_day("رنجبران")
    ('رنجبران', 'رنجبران', None)
    """
    parts = word.split("\u200c")
    return next(("\u200c".join(parts[:n]) for n in range(1, len(parts)) if key("".join(parts[n:])) in _DAYS), None)


def _named(subject: Subject | None, tokens: list[str], state: State) -> Subject | None:
    """``subject`` when it is a name the lists read or a person the article names; ``None`` for a
    pronoun, a role or a guess from the words' rarity (a second clause is often no quote:
    «... رفته بود و هر بار کسی می‌گوید»)."""
    if subject is None or not subject.words or is_back_reference(subject.surface):
        return None
    shown = subject.surface.split()
    found = read_name(tokens, subject.end - len(shown))
    whole = found is not None and found[0] == subject.end
    rare = all(frequency(w) < COMMON for w in shown)  # «تیزپاک»; not «می توان کتاب»
    return subject if whole or (rare and known_person(subject.words, state)) else None


_BUT = frozenset({"اما", "ولی"})


def _before_but(tokens: list[str], keys: list[str], start: int, verb: int) -> int | None:
    """Where the clause before «اما»/«ولی» starts, when the clause ``tokens[start:verb]``
    follows that word and holds no verb of its own (adverbs only: «X ... اما اخیرا گفته است»
    has X's verb); ``None`` otherwise.

    >>> toks = "علی آذرپی اقتصاددان اما دیروز گفته است".split()
    >>> _before_but(toks, toks, 4, 5)
    0
    """
    if start < 2 or keys[start - 1] not in _BUT or any(is_verb_form(t) for t in tokens[start:verb]):
        return None
    return next((n + 1 for n in range(start - 2, -1, -1) if ends_clause(tokens, n)), 0)


def _after_verb_and(tokens: list[str], keys: list[str], start: int, verb: int) -> int:
    """Where a second clause starts after «verb و» or «verb که» in ``tokens[start:verb]`` (its
    first word), the last such; 0 when there is none: «A ... منتشر کردند و در پی آن، B تهدید
    کرد», «... پرسیدیم که B ... تاکید کرد» (with no comma before the verb).

    >>> toks = "دولت بیانیه صادر کرد و علی آذرپی تهدید کرد".split()
    >>> _after_verb_and(toks, toks, 0, 7)
    5
    """
    if verb and keys[verb - 1] == "و":
        return 0  # «... از جا برخاست و گفت»: verbs of one subject
    for n in range(verb - 2, start, -1):
        if tokens[n] in _BRACKETS:
            return 0  # «مینا سپیدرود (بازارچه و باغبانان مشغول کارند) اشاره کرد»: a list of works
        if keys[n] == "که" and any(t in SEGMENT_END for t in tokens[n + 1 : verb]):
            continue  # «... بود که X به سفر برود، هر چی گفت»: the verb is not that clause's
        if keys[n] in ("و", "که") and is_verb_form(tokens[n - 1]) and not keys[n - 1].endswith("ه"):
            return n + 1  # a finite verb; not a participle («در سه هفته گذشته و ...»)
    return 0


_BRACKETS = frozenset("()[]")


# Plural quote verbs of the singular list: «می‌گویند» after two named people is theirs.
_PLURAL_SAYS = frozenset({"میگویند"})


def _coordinated(tokens: list[str], subject: Subject, verb: int, state: State) -> Subject | None:
    """The second of two subjects joined by «و»: «بهمن تاجیک، وزیر بهداشت و رستگار، معاون ...»,
    after the first name and its role (no preposition between), a name or a surname the
    article gives in full. Not the last two of a list («همانند کارلتون، مایک دوران و برنی هالستد»)."""
    begin = subject.end - len(subject.surface.split())
    if begin >= 2 and tokens[begin - 1] in SEGMENT_END and is_name_word(tokens[begin - 2]):
        ends = (n + 1 for n in range(begin - 2, -1, -1) if tokens[n] in SEGMENT_END or ends_clause(tokens, n))
        previous = next(ends, 0)
        if key(tokens[previous]) not in FRAME_WORDS:
            return None  # a list, not «به گزارش ایسنا، X و Y گفتند»
    at = subject.end
    while at < verb and key(tokens[at]) != "و":
        if key(tokens[at]) in STOP or tokens[at] in QUOTE_MARKS or is_verb_form(tokens[at]):
            return None  # «X در دیدار با Y و Z»: the others are not subjects
        at += 1
    at += 1
    if at >= verb:
        return None
    found = read_name(tokens, at)
    if found:
        return Subject(found[1], " ".join(tokens[at : found[0]]), found[0])
    person = known_person([tokens[at]], state)
    if person and (at + 1 >= verb or tokens[at + 1] in SEGMENT_END or is_role(tokens[at + 1])):
        return Subject(person, tokens[at], at + 1)
    return None


def _respectful(subject: Subject) -> bool:
    """A subject a plural verb may stand for: «ایشان», or a name or role after a title of respect.

    >>> _respectful(Subject(["نیک‌سیرت"], "حضرت آیت‌الله نیک‌سیرت", 3)), _respectful(Subject([], "مردم", 1))
    (True, False)
    """
    words = subject.surface.split()
    return bool(words) and key(words[0]) in RESPECTFUL
