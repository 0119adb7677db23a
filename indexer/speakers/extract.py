"""Who is quoted in an article: the subjects of quote verbs that are names.

Persian news reports speech with a quote verb after its subject
(«قالیباف گفت:»، «وی تصریح کرد»، «X در توییتی نوشت») or with «به گفته X».
For each quote verb the clause before it is cut into comma segments; the
subject is the first name that starts a segment, possibly after a role
(«رئیس مجلس محمدباقر قالیباف گفت»), marked by a role after it
(«قالیباف، رئیس مجلس، گفت»), or a surname of a person the article names
elsewhere. A name after a preposition or a noun («در دیدار با X گفت»،
«وعده‌های X») is an object, not the speaker. Roles alone
(«سخنگوی وزارت بهداشت گفت») and organizations give nothing.

>>> extract_text("رئیس مجلس شورای اسلامی محمدباقر قالیباف در دیدار با علی احمدی گفت: سلام.")
['محمدباقر قالیباف']
>>> extract_text("سخنگوی وزارت بهداشت گفت: ماسک بزنید.")
[]
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from indexer.article import Article
from indexer.metadata import facet_key
from indexer.speakers.lexicon import ADVERBIAL_OPENERS, DESCRIPTORS, PRONOUNS, STATEMENTS, STOP
from indexer.speakers.names import (
    COMMON,
    frequency,
    honorifics_at,
    in_dictionary,
    is_clause_word,
    is_given_name,
    is_name_word,
    is_role,
    is_verb_form,
    key,
    may_start_name,
    read_name,
    token_keys,
    tokenize,
)


@dataclass(frozen=True)
class Speaker:
    """A person quoted in an article, with the sentence that shows it."""

    name: str  # canonical: the fullest form the article gives, no honorifics
    sentence: str  # the evidence
    surface: str  # the words that named them in that sentence («وی»، «قالیباف»)


# Quote verbs: a light verb phrase (noun + کرد/داشت/...) or a simple verb.
# Plural verbs are left out on purpose: their subjects are groups.
_LIGHT = r"(?:کرد|کرده|داشت|داشته|ساخت|داد|داده|دارد)"
_NOUNS = (
    r"اظهار|تصریح|خاطرنشان|خاطر نشان|عنوان|بیان|تاکید|یادآوری|ادامه|اعلام|توضیح|"
    r"هشدار|خبر|اذعان|تشریح|ابراز|اضافه|ادعا|پاسخ|انتقاد|اعتراف|توییت|توئیت|اشاره"
)
_VERB = re.compile(
    rf"(?:^| )(?:(?:{_NOUNS})(?: \S+)?? {_LIGHT}|(?:یادآور|مدعی|متذکر|خاطرنشان) (?:شد|شده)|"
    r"معتقد (?:است|بود)|گفت|گفته|افزود|افزوده|نوشت|نوشته|میگوید|می گوید|مینویسد|می نویسد|اعتقاد دارد)(?= |$)"
)
# «گفته شد»، «گفته می‌شود», «گفت و گو»: not a quote verb with a subject.
_NOT_QUOTE = re.compile(r"^(?:گفته|گفت) (?:شد|شده|میشود|می شود|میشد|شود|و گو|وگو)\b")
_ACCORDING_TO = re.compile(r"(?:^| )(?:به|طبق|بنا به) (?:گفته|اعتقاد|ادعای) ")
_SENTENCE_END = re.compile(r"(?<=[.!?؟])\s+|\n+")
# «اما»، «ولی»، «بلکه» start a new clause with its own subject.
_CLAUSE_END = {":", "؛", ";", "!", "?", "؟", ".", "اما", "ولی", "بلکه"}
_SEGMENT_END = {"،", ","}
_QUOTES = {"«", "»", '"', "'", "“", "”"}
# A segment that opens a sentence with these is a report or time frame
# («به گزارش ایسنا،»، «۲۵ بهمن ۱۳۹۷،»): the subject is in a later segment.
_FRAME_WORDS = {
    "به", "بنا", "بنابر", "طبق", "براساس", "بر", "در", "از", "پس", "پیش", "پیرو", "با", "طی", "ضمن",
    "بعد", "قبل", "درپی", "گفتنی", "همچنین", "همزمان",
}  # fmt: skip
_ARTICLES = {"یک", "یکی", "این", "آن"}
# «در پاسخ به گفته X»، «در واکنش به ادعای X»: the speaker answers X.
_RESPONSE = {"پاسخ", "واکنش"}


def extract_text(text: str) -> list[str]:
    """The speakers of a bare text (for tests and doctests)."""
    return [s.name for s in _speakers([text])]


def find_speakers(article: Article) -> list[Speaker]:
    """The people quoted in an article, one per person, in order of first quote."""
    return _speakers([article.title, article.lead, article.body])


def extract_speakers(article: Article) -> list[str]:
    """Canonical names of the people quoted in an article (for the facet)."""
    return [s.name for s in find_speakers(article)]


def sentences(texts: list[str]) -> Iterator[str]:
    """The sentences of some texts: split at lines and at . ! ? ؟ before a space."""
    for text in texts:
        for sentence in _SENTENCE_END.split(text or ""):
            if sentence.strip():
                yield sentence.strip()


@dataclass
class _State:
    """What the article has said so far: named people, and who is speaking."""

    known: list[list[str]]  # full names mentioned anywhere in the article
    found: dict[str, Speaker]  # facet key -> speaker, in order of first quote
    previous: list[list[str]]  # people named in the previous sentence


def _speakers(texts: list[str]) -> list[Speaker]:
    all_sentences = [(s, tokenize(s)) for s in sentences(texts)]
    mentions = [_mentions(tokens) for _, tokens in all_sentences]
    state = _State(known=[m for ms in mentions for m in ms if len(m) > 1], found={}, previous=[])
    # Surnames of the people the article names: fixed for the article, so built once
    # (those of the speakers found so far are added sentence by sentence below).
    known_surnames = {key(w) for p in state.known for w in p[-2:]}
    for (sentence, tokens), named in zip(all_sentences, mentions, strict=True):
        keys = token_keys(tokens)  # once a sentence: the rules below compare keys
        quoted = list(_quoted(tokens, keys, state)) + list(_authors(tokens, keys))
        for words, surface in quoted:
            _add(state, words, sentence, surface)
        # «وی گفت» in the next sentence is the person this one quoted, or
        # else the one person it names.
        if quoted:
            state.previous = [words for words, _ in quoted if words]
        elif tokens and key(tokens[0]) in PRONOUNS:
            pass  # «وی ضمن ... تکرار کرد»: still the same person
        else:
            surnames = known_surnames.union(key(w) for s in state.found.values() for w in s.name.split()[-2:])
            state.previous = named + [
                p for t, k in zip(tokens, keys, strict=True) if k in surnames and (p := _known([t], state))
            ]
    return _merge(list(state.found.values()), state.known)


def _authors(tokens: list[str], keys: list[str]) -> Iterator[tuple[list[str], str]]:
    """Authors of a quoted letter or message: «متن نامه جعفر محمدی»."""
    if STATEMENTS.isdisjoint(keys):
        return  # most sentences: no «نامه»، «پیام» ...
    for n, k in enumerate(keys):
        if k in STATEMENTS:
            # «نامه X», «پیام تسلیت X», «اظهارات اخیر X»: the author right after, or after one word
            one_word = n + 1 < len(tokens) and (is_name_word(tokens[n + 1]) or key(tokens[n + 1]) in DESCRIPTORS)
            starts = [n + 1, n + 2] if one_word else [n + 1]
            for start in starts:
                at = start + (1 if start < len(tokens) and tokens[start] in _QUOTES else 0)
                found = read_name(tokens, at)
                if found:
                    yield found[1], " ".join(tokens[n : found[0]])
                    break


def _mentions(tokens: list[str]) -> list[list[str]]:
    """Every name the given-name and honorific rules find in a sentence."""
    names = []
    end = 0  # a name read goes on to here: the next starts after it
    for i, token in enumerate(tokens):
        # ``read_name`` tests ``may_start_name`` first too; asking here saves a call a token.
        if i >= end and may_start_name(token) and (found := read_name(tokens, i)):
            names.append(found[1])
            end = found[0]
    return names


def _quoted(tokens: list[str], keys: list[str], state: _State) -> Iterator[tuple[list[str], str]]:
    """(name words, surface) for each quote verb or «به گفته» in a sentence (``keys``: its tokens' keys)."""
    text = " ".join(keys)
    verbs = list(_VERB.finditer(text))
    according = list(_ACCORDING_TO.finditer(text))
    if not verbs and not according:
        return  # most sentences quote no one
    # Token index of each character offset in ``text``.
    starts = [0]
    for k in keys:
        starts.append(starts[-1] + len(k) + 1)
    index = {offset: n for n, offset in enumerate(starts)}
    for match in verbs:
        at = match.start() + (1 if match.group().startswith(" ") else 0)
        if _NOT_QUOTE.match(text[at:]):
            continue
        verb = index.get(at)
        if verb is None:
            continue
        # The clause starts after the last clause end before the verb.
        start = next((n + 1 for n in range(verb - 1, -1, -1) if _ends_clause(tokens, n)), 0)
        subject = _subject(tokens[start:verb], state)
        if subject:
            yield subject
    for match in according:
        after = index.get(match.end())
        if after is None or (after >= 3 and key(tokens[after - 3]) in _RESPONSE):
            continue  # «در پاسخ به ادعای X»: X's claim is answered, not reported
        at = after
        end = next(
            (n for n in range(at, len(tokens)) if tokens[n] in _SEGMENT_END or _ends_clause(tokens, n)), len(tokens)
        )
        rest = tokens[end + 1 : end + 3] if end < len(tokens) and tokens[end] in _SEGMENT_END else []
        found = _in_segment(tokens[at:end], rest, state)
        if found and found[0]:
            yield found


def _ends_clause(tokens: list[str], n: int) -> bool:
    """Punctuation or «اما/ولی/بلکه» at ``n`` ends a clause («ولی الله» is a name)."""
    return tokens[n] in _CLAUSE_END and not (n + 1 < len(tokens) and key(tokens[n + 1]) in ("الله", "اله"))


def _segments(clause: list[str]) -> list[list[str]]:
    segments: list[list[str]] = [[]]
    for token in clause:
        if token in _SEGMENT_END:
            segments.append([])
        else:
            segments[-1].append(token)
    return segments


def _subject(clause: list[str], state: _State) -> tuple[list[str], str] | None:
    """The named subject of a clause that ends before a quote verb."""
    segments = _segments(clause)
    for n, segment in enumerate(segments):
        segment = _strip_openers(segment)
        if not segment:
            continue
        following = segments[n + 1] if n + 1 < len(segments) else []
        found = _in_segment(segment, following, state)
        if found:
            return found
        tail = _name_before_role(segment, following)
        if tail:
            return tail
        first = key(segment[0])
        if not (first in _FRAME_WORDS or first.isdigit() or is_role(segment[0]) or first in _ARTICLES):
            return None
    return None


def _name_before_role(segment: list[str], following: list[str]) -> tuple[list[str], str] | None:
    """A name that ends a segment before «، role»: «... سال جاری علیرضا خامسیان، مدیر ...»."""
    if not _role_follows(following):
        return None
    for i in range(1, len(segment)):
        found = read_name(segment, i)
        if found and found[0] == len(segment):
            return found[1], " ".join(segment[i:])
    return None


# The keys of a segment's first words are all an opener needs to see.
_OPENER_SPAN = max(map(len, ADVERBIAL_OPENERS)) + 1
_OPENER_FIRSTS = frozenset(opener[0] for opener in ADVERBIAL_OPENERS)


def _strip_openers(segment: list[str]) -> list[str]:
    changed = True
    while changed:
        changed = False
        if segment and is_clause_word(segment[0]):  # «اگرچه»، «قطعا»: hazm's adverbs and conjunctions
            segment = segment[1:]
            changed = True
        head = [key(t) for t in segment[:_OPENER_SPAN]]
        if not head or head[0] not in _OPENER_FIRSTS:
            continue  # no opener can match (``changed`` says whether to look again)
        for opener in ADVERBIAL_OPENERS:
            if len(head) <= len(opener) or head[len(opener)] in ("الله", "اله"):
                continue  # nothing left, or «ولی الله ...» (a name, not «but»)
            if all(o in ("*", h) for o, h in zip(opener, head, strict=False)):
                segment = segment[len(opener) :]
                head = [key(t) for t in segment[:_OPENER_SPAN]]
                changed = True
    return segment


def _role_follows(tokens: list[str]) -> bool:
    """A role starts here, possibly after «یک»/«این»/«از» («، یک تحلیلگر»)."""
    words = [t for t in tokens[:3] if t not in _QUOTES]
    while words and key(words[0]) in _ARTICLES | {"از"}:
        words = words[1:]
    return bool(words) and is_role(words[0])


def _in_segment(segment: list[str], following: list[str], state: _State) -> tuple[list[str], str] | None:
    """The subject name at the start of a comma segment.

    Returns ``([], surface)`` for a pronoun subject that cannot be resolved
    (the clause has a subject, but no new name), ``None`` for no subject.
    """
    # Leading quotes only: a closing «» ends the name («رابرت هیلز» پزشکی ...).
    bare = list(segment)
    while bare and bare[0] in _QUOTES:
        bare = bare[1:]
    if not bare:
        return None
    if key(bare[0]) in PRONOUNS:
        # «وی» is the person already quoted; before anyone is, the one
        # person the previous sentence named.
        people = {facet_key(" ".join(p)): p for p in state.previous}
        if len(people) == 1 and not state.found:
            return next(iter(people.values())), bare[0]
        return [], bare[0]
    # The name may follow a role chain: «رئیس مجلس شورای اسلامی محمدباقر قالیباف».
    limit = len(bare) if (is_role(bare[0]) or key(bare[0]) in _ARTICLES) else 1
    for i in range(limit):
        before = key(bare[i - 1]) if i else ""
        if i and ((before in STOP and before not in _ARTICLES) or bare[i - 1] in _QUOTES or is_verb_form(before)):
            break  # a preposition or verb: what follows is no longer the subject
        found = read_name(bare, i)
        if found:
            end, words = found
            return words, " ".join(bare[i:end])
    return _unlisted_name(segment, following, state)


def _unlisted_name(segment: list[str], following: list[str], state: _State) -> tuple[list[str], str] | None:
    """A name without a listed given name, marked by its position: quoted in
    «» before a role, before «، role», rare words before a role, or a
    surname of someone the article names."""
    start = honorifics_at(segment, 0)
    quoted = segment[start] == "«" if start < len(segment) else False
    if quoted:
        close = next((n for n in range(start + 1, len(segment)) if segment[n] == "»"), None)
        if close is None or not 1 <= close - start - 1 <= 4:
            return None
        words = segment[start + 1 : close]
        after = segment[close + 1 :]
    else:
        words = []
        n = start
        while n < len(segment) and len(words) < 3 and is_name_word(segment[n]):
            words.append(segment[n])
            n += 1
        after = segment[n:]
    if not words or not all(is_name_word(w) for w in words):
        return None
    # A listed name inside the run is the name: «اخیر دونالد ترامپ ...».
    inner = next(((n, f) for n in range(start + 1, start + len(words)) if (f := read_name(segment, n))), None)
    if not quoted and inner:
        n, (end, name) = inner
        return name, " ".join(segment[n:end])
    surface = " ".join(segment[: start + len(words) + (2 if quoted else 0)])
    backref = None if quoted else _known(words, state)
    if backref:
        return backref, surface
    role_after = _role_follows(after or following)
    rare = all(frequency(w) < COMMON for w in words)
    if role_after and (quoted or not after or rare or start):
        return words, surface
    if start and not after and len(words) <= 2:  # «سردار هادیانفر گفت»
        return words, surface
    rare_name = not any(frequency(w) for w in words) and not in_dictionary(words[-1])
    if len(words) >= 2 and after and key(after[0]) == "که" and rare_name:
        return words, surface  # «ریشی سوناک که ... گفت»: a surname no dictionary knows
    return None


def _known(words: list[str], state: _State) -> list[str] | None:
    """The person a surname («قالیباف») or full name stands for in this article:
    the longest name that ends with those words, or whose two-word surname
    starts with it («فلاح» → «حسین فلاح جوشقانی»)."""
    people = [*state.known, *(s.name.split() for s in state.found.values())]
    for n in (2, 1):
        if len(words) < n:
            continue
        tail = [key(w) for w in words[:n]]
        matches = [
            person
            for person in people
            if [key(w) for w in person[-n:]] == tail
            or (n == 1 and len(person) >= 3 and key(person[-2]) == tail[0] and not is_given_name(person[-2]))
        ]
        if matches:
            return max(matches, key=len)
    return None


def _add(state: _State, words: list[str], sentence: str, surface: str) -> None:
    if not words:
        return
    name = " ".join(words)
    k = facet_key(name)
    if not k:
        return
    # Keep the first quote, but prefer one that names the person over «وی».
    if k not in state.found or (key(state.found[k].surface) in PRONOUNS and key(surface) not in PRONOUNS):
        state.found[k] = Speaker(name=name, sentence=sentence, surface=surface)


def _merge(found: list[Speaker], known: list[list[str]]) -> list[Speaker]:
    """One entry per person: a surname-only speaker becomes the full name the
    article gives («قالیباف» → «محمدباقر قالیباف»)."""
    speakers = [s.name.split() for s in found if " " in s.name]
    merged: dict[str, Speaker] = {}
    for speaker in found:
        name = speaker.name
        parts = name.split()
        keys = [key(w) for w in parts]
        for person in sorted([*speakers, *known], key=len, reverse=True):
            if len(person) <= len(parts):
                break
            person_keys = [key(w) for w in person]
            # «قالیباف» → «محمدباقر قالیباف»; between speakers also «حسین فلاح» →
            # «حسین فلاح جوشقانی» (a mention may have read a word too many).
            ends_with = len(parts) <= 2 and person_keys[-len(parts) :] == keys
            starts_with = len(parts) >= 2 and person_keys[: len(parts)] == keys and person in speakers
            if ends_with or starts_with:
                name = " ".join(person)
                break
        k = facet_key(name)
        if k not in merged:
            merged[k] = Speaker(name=name, sentence=speaker.sentence, surface=speaker.surface)
    return list(merged.values())
