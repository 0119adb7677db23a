"""People a sentence names through a statement noun rather than a quote verb: the author of a
letter or message («متن نامه X»، «پیام جدید X»), the X of «اظهارات/ادعای X مبنی بر ...», and
the person of an interview («گفت‌وگو با X»). ``clauses`` reads the quote verbs; ``extract``
asks both.
"""

from __future__ import annotations

from collections.abc import Iterator

from indexer.speakers.cues import INTERVIEW, QUOTE_MARKS, SEGMENT_END, ends_clause
from indexer.speakers.lexicon import DESCRIPTORS, STATEMENTS, STOP
from indexer.speakers.names import honorifics_at, is_corpus_surname, is_name_word, read_name
from indexer.speakers.quotes import quote_after
from indexer.speakers.state import Quote, State, Subject
from indexer.speakers.unlisted import unknown_name, unlisted_name
from indexer.speakers.words import COMMON, frequency, in_dictionary, is_verb_form, key

# «انتقال پیام X»، «ارسال نامه X»: the message is carried, its words are not reported here.
_CARRYING = frozenset({"انتقال", "ارسال", "رساندن", "حامل", "دریافت"})

# Statement nouns whose author is read only with «آمده است:» after: «در مقاله X آمده است: ...».
# A piece is spoken of as often as quoted («مقاله X درباره شهر است»).
_PIECES = frozenset({"مقاله"})


def authors(
    tokens: list[str], spans: list[tuple[int, int]], norm: str, keys: list[str], state: State
) -> Iterator[Quote]:
    """Authors of a quoted letter or message: «متن نامه جعفر نیکدل», or «پیام جدید نیکدل» when the
    article names Nikdel in full."""
    if STATEMENTS.isdisjoint(keys):
        return  # most sentences: no «نامه»، «پیام» ...
    for n, k in enumerate(keys):
        if k in _CLAIMS and _based_on(keys, n) is not None:
            continue  # «اظهارات X مبنی بر Q»: ``claims`` gives X the words Q
        if k in STATEMENTS and not (n and (keys[n - 1] in _CARRYING or _compound(keys[n - 1], k))):
            # «نامه X», «پیام تسلیت X», «اظهارات اخیر X»: the author right after, or after one word
            one_word = n + 1 < len(tokens) and (is_name_word(tokens[n + 1]) or key(tokens[n + 1]) in DESCRIPTORS)
            starts = [n + 1, n + 2] if one_word else [n + 1]
            for start in starts:
                at = start + (1 if start < len(tokens) and tokens[start] in QUOTE_MARKS else 0)
                # «پست» is a post or a position as often («درباره پست نیکدل»): a name the lists read only
                found = read_name(tokens, at) or (_article_person(tokens, at, state) if k != "پست" else None)
                if found:
                    end = found[0] + (1 if found[0] < len(tokens) and tokens[found[0]] in QUOTE_MARKS else 0)
                    says = _says_at(keys, tokens, end)
                    if says is None and k in _PIECES:
                        break  # «مقاله X»: a piece is quoted only with «آمده است:»
                    yield Quote(
                        found[1],
                        " ".join(tokens[n : found[0]]),
                        quote_after(tokens, spans, norm, keys, end if says is None else says),
                    )
                    break


# Nouns of words said whose content «مبنی بر» gives: «اظهارات X مبنی بر اینکه ...».
_CLAIMS = frozenset(
    key(w) for w in ("اظهارات", "سخنان", "ادعای", "ادعاهای", "گفته‌های", "صحبت‌های", "انتقادات", "اظهارنظر")
)
#: «مبنی بر» stands this many words after its noun at most (a name and a long role between).
_CLAIM_SPAN = 20


def claims(
    tokens: list[str], spans: list[tuple[int, int]], norm: str, keys: list[str], state: State
) -> Iterator[Quote]:
    """X of «اظهارات/ادعای X مبنی بر (اینکه) Q»: X's words, Q, cited with what they say, whether the
    sentence reports, answers or denies them (the labels count a statement mentioned with its
    content). X is a name right after the noun (and an adjective: «اخیر»), read as a subject is
    (quote marks, «X، role», a surname no dictionary counts), then nothing or a role up to «مبنی»:
    not a role alone («اظهارات وزیر بهداشت مبنی بر»), not a pronoun («ادعای او»: whose is unsure)."""
    if "مبنی" not in keys:
        return  # most sentences
    for noun, k in enumerate(keys):
        based = _based_on(keys, noun) if k in _CLAIMS else None
        if based is None:
            continue
        at = noun + 1
        while at < based and keys[at] in DESCRIPTORS:
            at += 1
        said = quote_after(tokens, spans, norm, keys, _after_that(keys, based + 2))
        for person in _claimants(tokens, at, based, state):
            yield Quote(person.words, person.surface, said)


def _after_that(keys: list[str], at: int) -> int:
    """Where the words said start after «مبنی بر» (at ``at``): past «اینکه»، «این که»، «آنکه».

    >>> _after_that("بر این که باران".split(), 1), _after_that("بر این موضوع".split(), 1)
    (3, 1)
    """
    if at < len(keys) and keys[at] in ("اینکه", "آنکه"):
        return at + 1
    return at + 2 if keys[at : at + 2] in (["این", "که"], ["آن", "که"]) else at


def _based_on(keys: list[str], noun: int) -> int | None:
    """Where «مبنی بر» stands after the claim noun at ``noun`` (no other claim noun between), or ``None``.

    >>> _based_on("اظهارات علی آذرپی مبنی بر اینکه".split(), 0), _based_on("اظهارات علی آذرپی".split(), 0)
    (3, None)
    """
    for n in range(noun + 1, min(len(keys) - 1, noun + _CLAIM_SPAN)):
        if keys[n] == "مبنی" and keys[n + 1] == "بر":
            return n
        if keys[n] in _CLAIMS:
            return None
    return None


def _claimants(tokens: list[str], at: int, based: int, state: State) -> list[Subject]:
    """The people whose words «مبنی بر» at ``based`` cites, named from ``at``: a name, then «و» and
    another such name («سخنان X و Y مبنی بر»), or words with no verb and no clause end up to
    «مبنی» (a role, «در گردهمایی ...»، «از روسیه»: X's claim still)."""
    found = read_name(tokens, at) or _article_person(tokens, at, state)
    if found and found[0] <= based:
        subject = Subject(found[1], " ".join(tokens[at : found[0]]), found[0])
    else:
        unlisted = unlisted_name(tokens, at, based, tokens[based:], state)
        if unlisted is None:
            return []
        if len(unlisted.words) == 1 and not honorifics_at(tokens, at) and _everyday(unlisted.words[0]):
            return []  # «ادعای واهی مدیر ...»: an adjective, not a surname (but «آقای بردبار»)
        subject = unlisted
    end = subject.end
    if end < based and key(tokens[end]) == "و":
        others = _claimants(tokens, end + 1, based, state)
        return [subject, *others] if others else []
    for n in range(end, based):
        if (is_verb_form(tokens[n]) and not key(tokens[n]).endswith("ه")) or (
            tokens[n] not in SEGMENT_END and ends_clause(tokens, n)
        ):
            return []  # «اظهارات X را رد کرد و ... مبنی بر»: another clause's (not «هفته گذشته»)
    return [subject]


def _everyday(word: str) -> bool:
    """A dictionary word that the corpus does not know as a surname («کذب»; not «البرادعی»)."""
    return in_dictionary(word) and not is_corpus_surname(word)


def _compound(before: str, noun: str) -> bool:
    """«نامه» written apart from the word before it in a compound the dictionary holds: a consent
    form, credentials, a regulation («رضایت نامه X»، «اعتبار نامه X»، «آیین نامه»), no letter of
    X's. Not after a preposition: «یادداشتی بر نامه X» is a note on X's letter, not a «برنامه».

    >>> _compound("رضایت", "نامه"), _compound("متن", "نامه"), _compound("بر", "نامه"), _compound("رضایت", "پیام")
    (True, False, False, False)
    """
    return noun == "نامه" and before not in STOP and in_dictionary(before + noun)


def _article_person(tokens: list[str], at: int, state: State) -> tuple[int, list[str]] | None:
    """The surname alone, one no dictionary counts, of a person the article has already quoted
    («پیام جدید نیکدل» after «جعفر نیکدل گفت»): (the token after it, the full name). Only the
    quoted: the names merely mentioned hold words a statement noun is followed by («پیام» is a
    given name too)."""
    if at >= len(tokens) or not is_name_word(tokens[at]) or frequency(tokens[at]) >= COMMON:
        return None
    people = {s.name for s in state.found.values() if key(s.name.split()[-1]) == key(tokens[at])}
    return (at + 1, people.pop().split()) if len(people) == 1 else None


def _says_at(keys: list[str], tokens: list[str], end: int) -> int | None:
    """Where what a letter or piece says starts: after «آمده است:» when the sentence has it («در
    پیام X که ... بازتاب داشت، آمده است: «...»»); ``None`` when it has not (then all after the
    author's name)."""
    says = next((m for m in range(end, len(tokens) - 1) if keys[m] == "آمده" and tokens[m + 1] in {":", "است"}), None)
    return None if says is None else says + 1


def interviewed(tokens: list[str], keys: list[str]) -> Iterator[Quote]:
    """The person an interview is with: «گفت‌وگو با جلال نیک‌منش، عضو شورای شهر»."""
    text = " ".join(keys)
    for match in INTERVIEW.finditer(text):
        at = text[: match.end()].count(" ")  # the token after «با»
        at += honorifics_at(tokens, at)
        while at < len(tokens) and tokens[at] in QUOTE_MARKS:
            at += 1
        found = read_name(tokens, at) or unknown_name(tokens, at)
        if found:
            yield Quote(found[1], " ".join(tokens[at : found[0]]))
