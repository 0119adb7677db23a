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
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field

from indexer.article import Article
from indexer.metadata import facet_key
from indexer.normalize import ZWNJ
from indexer.speakers.lexicon import (
    ACCORDING_TO,
    ADVERBIAL_OPENERS,
    DESCRIPTORS,
    PRONOUNS,
    RELATIONS,
    STATEMENTS,
    STOP,
    SURNAME_PARTS,
    VERB_STARTS,
)
from indexer.speakers.names import (
    COMMON,
    _ends_name,
    counted,
    frequency,
    honorifics_at,
    in_dictionary,
    is_clause_word,
    is_corpus_surname,
    is_given_name,
    is_name_word,
    is_outlet,
    is_role,
    is_verb_form,
    key,
    may_start_name,
    read_name,
    token_keys,
    tokenize_spans,
)


@dataclass(frozen=True)
class Speaker:
    """A person quoted in an article, with the sentence that shows it and what they said."""

    name: str  # canonical: the fullest form the article gives, no honorifics
    sentence: str  # the evidence
    surface: str  # the words that named them in that sentence («وی»، «قالیباف»)
    quotes: tuple[str, ...] = ()  # each clause the article attributes to them, in order


@dataclass(frozen=True)
class _Quote:
    """One attribution in a sentence: who (words, or a pronoun or role to resolve) said what."""

    words: list[str]  # the name; empty for «وی» or a role
    surface: str
    text: str = ""  # the quoted clause; empty when it is in the next sentence
    role: str = ""  # the role that stands for the speaker («سخنگوی وزارت»), to resolve
    announces: bool = False  # «X گفت:» ends the sentence: the quote is the next one


# Quote verbs: a light verb phrase (noun + کرد/داشت/...) or a simple verb.
# Plural verbs are left out on purpose: their subjects are groups.
_LIGHT = r"(?:کرد|کرده|داشت|داشته|ساخت|داد|داده|دارد|میکند|می کند|میکرد|می کرد|نمود|نموده)"
_NOUNS = (
    r"اظهار|تصریح|خاطرنشان|خاطر نشان|عنوان|بیان|تاکید|یادآوری|ادامه|اعلام|توضیح|"
    r"هشدار|خبر|اذعان|تشریح|ابراز|اضافه|ادعا|پاسخ|انتقاد|اعتراف|توییت|توئیت|اشاره|"
    r"تهدید|قول|وعده|توصیه|استدلال|اعلام آمادگی|تکذیب|تایید|متهم|مطرح|صحبت|سخنرانی|اظهارنظر|اظهار نظر"
)
_VERB = re.compile(
    rf"(?:^| )(?:(?:{_NOUNS})(?: (?!خواهد |خواهند |شده |نشده )\S+)?? {_LIGHT}|"
    r"(?:یادآور|مدعی|متذکر|خاطرنشان) (?:شد|شده)|"
    r"معتقد (?:است|بود|شد)|گفت|گفته|افزود|افزوده|نوشت|نوشته|میگوید|می گوید|مینویسد|می نویسد|اعتقاد دارد|"
    r"میافزاید|می افزاید|خواستار|میگویند|اظهارداشت|اظهارکرد)(?= |$)"
)
# Plural quote verbs say one person's words in the plural of respect, which news keeps for the
# Leader, senior clerics and «ایشان» («حضرت آیت‌الله خامنه‌ای ... افزودند»، «امام فرمودند»):
# a plural verb counts only after such a subject (``_RESPECTFUL``); others are groups.
_PLURAL_VERB = re.compile(
    rf"(?:^| )(?:(?:{_NOUNS})(?: (?!خواهد |خواهند )\S+)?? (?:کردند|داشتند|نمودند|دادند|ساختند)|"
    r"(?:یادآور|متذکر|خاطرنشان) شدند|معتقدند|گفتند|افزودند|نوشتند|فرمودند|فرمود|میفرمایند|می فرمایند|"
    r"میافزایند|می افزایند|خواستار شدند)(?= |$)"
)
_RESPECTFUL = frozenset({"حضرت", "آیتالله", "آیت", "امام", "رهبر", "ایشان"})
# «گفته شد»، «گفته می‌شود», «گفت و گو»: not a quote verb with a subject.
_NOT_QUOTE = re.compile(r"^(?:گفته|گفت) (?:شد|شده|میشود|می شود|میشد|شود|و گو|وگو|ها|های|هایی)\b")
# «گفت‌وگو با X»، «مصاحبه با X»: X is interviewed (when no one else is quoted in the sentence).
_INTERVIEW = re.compile(r"(?:^| )(?:گفتوگو|گفتگو|گفت و گو|مصاحبه|گفتوگوی|گفتگوی|مصاحبه ی)(?: \S+){0,3}? با ")
_SENTENCE_END = re.compile(r"(?<=[.!?؟])\s+|\n+")
# «اما»، «ولی»، «بلکه» start a new clause with its own subject.
_CLAUSE_END = {":", "؛", ";", "!", "?", "؟", ".", "اما", "ولی", "بلکه"}
_SEGMENT_END = {"،", ","}
_QUOTES = {"«", "»", '"', "'", "“", "”"}
# Marks that open a quoted name, and the mark that closes each (Fars News writes "امیل لحود").
_CLOSING = {"«": "»", '"': '"', "“": "”"}
_OPENING = frozenset(_CLOSING)
# A segment that opens a sentence with these is a report or time frame
# («به گزارش ایسنا،»، «۲۵ بهمن ۱۳۹۷،»): the subject is in a later segment.
_FRAME_WORDS = {
    "به", "بنا", "بنابر", "طبق", "براساس", "بر", "در", "از", "پس", "پیش", "پیرو", "با", "طی", "ضمن",
    "بعد", "قبل", "درپی", "گفتنی", "همچنین", "همزمان",
}  # fmt: skip
_ARTICLES = {"یک", "یکی", "این", "آن"}
# «در پاسخ به گفته X»، «در واکنش به ادعای X»: the speaker answers X.
_RESPONSE = {"پاسخ", "واکنش"}


# Words between a quote verb and what was said: «که», and the auxiliary of «نوشته است».
_AFTER_VERB = frozenset({"که", "است", "بود", "اند", "بودند", "شد"})
#: A quote is kept to this many characters (cut at a space, «…» added).
MAX_QUOTE = 300
#: A quote that opens «» and does not close it goes on in at most this many more sentences.
_QUOTE_SENTENCES = 3
#: A role-only quote («سخنگوی وزارت گفت: ...») waits this many sentences for the name that says who.
_ROLE_WAIT = 3
#: Fewer occurrences than this in hazm's corpus make a word rare (a name's first word: «جروم»).
_RARE = 1000
#: ... and fewer than this make it a possible first word of a name the corpus model finds
#: («نیکنام»، «مزدک»، «کیاست» are words too, seldom ones).
_FIRST_WORD = 100_000
#: «به گفته X، ...»: a name this many words long at most before the comma; longer, the comma is far.
_ACCORDING_SPAN = 5
#: A comma segment this short without a name is an adverbial («چندی پیش»، «اما بالاخره شب گذشته»).
_ADVERBIAL = 3
# Participles that are adjectives of time in such a segment («شب گذشته»), not its verb.
_PARTICIPLES = frozenset({"گذشته", "آینده"})


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
    found: dict[str, Speaker] = field(default_factory=dict)  # facet key -> speaker, in order of first quote
    previous: list[list[str]] = field(default_factory=list)  # people named in the previous sentence
    quotes: dict[str, list[str]] = field(default_factory=dict)  # facet key -> what they said
    current: str = ""  # facet key of the person quoted last: «وی افزود» goes on their quotes
    roles: dict[str, str] = field(default_factory=dict)  # role key -> facet key («سخنگوی وزارت» -> X)
    pending: list[tuple[str, int]] = field(default_factory=list)  # role quotes waiting for a name
    open_quote: str = ""  # facet key whose «» quote goes on into the next sentences
    open_left: int = 0
    awaiting: str = ""  # facet key whose «X گفت:» has its quote in the next sentence
    outlets: set[str] = field(default_factory=set)  # words the article gives as an outlet's name
    # Role key -> the people the article names with that role anywhere («کوروش روستایی سرپرست هیات»).
    named_roles: dict[str, list[list[str]]] = field(default_factory=dict)


def _speakers(texts: list[str]) -> list[Speaker]:
    all_sentences = [(s, *tokenize_spans(s)) for s in sentences(texts)]
    mentions = [_mentions(tokens) for _, _, tokens, _ in all_sentences]
    state = _State(known=_trimmed([m for ms in mentions for m in ms if len(m) > 1]))
    state.outlets = {k for _, _, tokens, _ in all_sentences for k in _outlet_words(tokens)}
    for _, _, tokens, _ in all_sentences:
        for role, words in _named_roles(tokens):
            people = state.named_roles.setdefault(role, [])
            if facet_key(" ".join(words)) not in {facet_key(" ".join(p)) for p in people}:
                people.append(words)
    # Surnames of the people the article names: fixed for the article, so built once
    # (those of the speakers found so far are added sentence by sentence below).
    known_surnames = {key(w) for p in state.known for w in p[-2:]}
    for (sentence, norm, tokens, spans), named in zip(all_sentences, mentions, strict=True):
        keys = token_keys(tokens)  # once a sentence: the rules below compare keys
        if _continue_quote(state, norm):
            continue
        quoted = [*_quoted(tokens, spans, norm, keys, state), *_authors(tokens, spans, norm, keys)]
        if not quoted:
            quoted = list(_interviewed(tokens, keys, state))
        for quote in quoted:
            _attribute(state, quote, sentence)
        # «وی گفت» in the next sentence is the person this one quoted, or
        # else the one person it names.
        if quoted:
            state.previous = [q.words for q in quoted if q.words]
        elif tokens and key(tokens[0]) in PRONOUNS:
            pass  # «وی ضمن ... تکرار کرد»: still the same person
        else:
            surnames = known_surnames.union(key(w) for s in state.found.values() for w in s.name.split()[-2:])
            state.previous = named + [
                p for t, k in zip(tokens, keys, strict=True) if k in surnames and (p := _known([t], state))
            ]
        state.pending = [(text, left - 1) for text, left in state.pending if left > 1]
    whole = _two_word_surnames([tokens for _, _, tokens, _ in all_sentences])
    speakers = [
        Speaker(_whole_name(s.name, whole), s.sentence, s.surface, tuple(dict.fromkeys(state.quotes.get(k, []))))
        for k, s in state.found.items()
    ]
    return _merge(speakers, [_whole_name(" ".join(p), whole).split() for p in state.known])


def _trimmed(known: list[list[str]]) -> list[list[str]]:
    """The article's names without a word a mention read too many: a name of three words or
    more that ends in a word hazm's corpus counts and no corpus list holds as a surname, and
    whose first words the article names as often or more on their own, is those words
    («دونالد ترامپ بخشی از طرح ...» once, «دونالد ترامپ» once; «محمد توفیق علاوی» stays:
    hazm never counts «علاوی»). A surname part («نژاد») stays.

    >>> _trimmed([["دونالد", "ترامپ", "بخشی"], ["دونالد", "ترامپ"]])
    [['دونالد', 'ترامپ'], ['دونالد', 'ترامپ']]
    """
    counts = Counter(facet_key(" ".join(person)) for person in known)
    result = []
    for person in known:
        shorter, last = person[:-1], person[-1]
        if (
            len(person) >= 3
            and key(last) not in SURNAME_PARTS
            and frequency(last) > 0
            and not is_corpus_surname(last)
            and counts[facet_key(" ".join(shorter))] >= counts[facet_key(" ".join(person))]
        ):
            person = shorter
        result.append(person)
    return result


#: A surname's second word shows itself when the article writes the pair this many times at least.
_PAIR_REPEATS = 2


def _two_word_surnames(sentences: list[list[str]]) -> dict[str, str]:
    """Words the article always follows with one same name word: the first word of a
    surname in two words (``{"عبده": "تبریزی"}`` for «حسین عبده تبریزی» … «عبده تبریزی گفت»).
    The name rules stop before a common second word («تبریزی»، «ترکمن»، «ساز»); the
    article's own repetition shows that it belongs to the name. A word followed by
    different name words, or by its pair fewer than ``_PAIR_REPEATS`` times, gives nothing."""
    after: dict[str, set[str]] = {}
    pairs: dict[str, int] = {}
    for tokens in sentences:
        names = list(map(is_name_word, tokens))  # once a token, not once per pair it is in
        for n in range(len(tokens) - 1):
            if not (names[n] and names[n + 1]):
                continue
            k = key(tokens[n])
            after.setdefault(k, set()).add(tokens[n + 1])
            pairs[k] = pairs.get(k, 0) + 1
    return {
        k: next(iter(words))
        for k, words in after.items()
        if len(words) == 1 and pairs[k] >= _PAIR_REPEATS and _second_word(next(iter(words)))
    }


def _second_word(token: str) -> bool:
    """A word that may end a surname: not a given name, verb or quote verb's first word."""
    k = key(token)
    return not is_given_name(token) and k not in VERB_STARTS and not is_verb_form(token)


def _whole_name(name: str, whole: dict[str, str]) -> str:
    """``name`` with the second word of its surname when the article shows one.

    >>> _whole_name("حسین عبده", {"عبده": "تبریزی"}), _whole_name("حسن روحانی", {"عبده": "تبریزی"})
    ('حسین عبده تبریزی', 'حسن روحانی')
    """
    words = name.split()
    second = whole.get(key(words[-1])) if words else None
    return f"{name} {second}" if second and len(words) < 4 else name


def _continue_quote(state: _State, norm: str) -> bool:
    """A sentence that goes on with a quote already open («X گفت: «... . ...»»), or
    that is the quote a «X گفت:» at the end of the previous sentence announced."""
    if state.awaiting:
        k, state.awaiting = state.awaiting, ""
        if not _VERB.search(norm.replace(ZWNJ, "")):
            added = _add_quote(state, k, norm)
            state.open_quote, state.open_left = (k, _QUOTE_SENTENCES) if added and _opens_quote(norm) else ("", 0)
            return True
    if state.open_quote and state.open_left > 0:
        k = state.open_quote
        state.open_left -= 1
        close = norm.find("»")
        state.quotes[k][-1] = _clip(state.quotes[k][-1] + " " + (norm[: close + 1] if close >= 0 else norm))
        if close >= 0:
            state.open_quote, state.open_left = "", 0
        return True
    return False


def _opens_quote(text: str) -> bool:
    return text.count("«") > text.count("»")


# Words an outlet's name follows: «روزنامه «ساوت چاینا مورنینگ پست»»، «خبرگزاری رویترز».
_OUTLET_CUES = frozenset({"روزنامه", "خبرگزاری", "نشریه", "هفتهنامه", "مجله", "شبکه", "تلویزیون", "پایگاه"})


def _outlet_words(tokens: list[str]) -> Iterator[str]:
    """The words of an outlet's name after an outlet word, within quote marks or not."""
    keys = token_keys(tokens)
    if _OUTLET_CUES.isdisjoint(keys):
        return  # most sentences
    for n, k in enumerate(keys):
        if k not in _OUTLET_CUES:
            continue
        at = n + 1
        quoted = at < len(tokens) and tokens[at] in _QUOTES
        at += quoted
        while at < len(tokens) and is_name_word(tokens[at]) and at - n <= 5:
            yield key(tokens[at])
            at += 1
            if not quoted:
                break  # without quote marks, only the first word is surely the outlet's


def _attribute(state: _State, quote: _Quote, sentence: str) -> None:
    """Add the speaker of ``quote`` (a name, «وی», or a role) and what they said."""
    if quote.words and any(key(w) in state.outlets for w in quote.words):
        return  # «ساوت چاینا» روز دوشنبه نوشت: the article named it an outlet
    k = ""
    if quote.words:
        k = _add(state, quote.words, sentence, quote.surface)
        if k and state.pending:
            for text, _ in state.pending:  # «سخنگوی وزارت گفت: ...» then «X افزود»: X said it
                _add_quote(state, k, text)
            state.pending = []
        if k and quote.role:
            state.roles.setdefault(quote.role, k)
    elif quote.role:
        k = state.roles.get(quote.role, "")
        people = state.named_roles.get(quote.role) or state.named_roles.get(quote.role.split(" ")[0], [])
        if not k and len(people) == 1:  # the one person the article names with this role («به سرپرستی X»: its head)
            k = _add(state, people[0], sentence, quote.surface)
        if not k and quote.text:
            state.pending.append((quote.text, _ROLE_WAIT))
            return
    elif _is_back_reference(quote.surface):
        k = state.current
    if not k:
        return
    state.current = k
    if quote.text:
        if _add_quote(state, k, quote.text) and _opens_quote(quote.text):
            state.open_quote, state.open_left = k, _QUOTE_SENTENCES
    elif quote.announces:
        state.awaiting = k


def _add_quote(state: _State, k: str, text: str) -> bool:
    """Add what ``k`` said; ``False`` when there is nothing to add (no letters)."""
    text = text.strip()
    if not any(c.isalpha() for c in text):
        return False
    if text.startswith("«") and not _opens_quote(text):
        text = text[: text.index("»") + 1]  # «...» and what follows the quote is not theirs
    state.quotes.setdefault(k, []).append(_clip(text))
    return True


def _clip(text: str) -> str:
    """At most ``MAX_QUOTE`` characters, cut at a space.

    >>> _clip("کلمه " * 100)[-6:]
    'کلمه …'
    """
    if len(text) <= MAX_QUOTE:
        return text
    cut = text.rfind(" ", 0, MAX_QUOTE)
    return text[: cut if cut > 0 else MAX_QUOTE].rstrip() + " …"


# «انتقال پیام X»، «ارسال نامه X»: the message is carried, its words are not reported here.
_CARRYING = frozenset({"انتقال", "ارسال", "رساندن", "حامل", "دریافت"})


def _authors(tokens: list[str], spans: list[tuple[int, int]], norm: str, keys: list[str]) -> Iterator[_Quote]:
    """Authors of a quoted letter or message: «متن نامه جعفر محمدی»."""
    if STATEMENTS.isdisjoint(keys):
        return  # most sentences: no «نامه»، «پیام» ...
    for n, k in enumerate(keys):
        if k in STATEMENTS and not (n and keys[n - 1] in _CARRYING):
            # «نامه X», «پیام تسلیت X», «اظهارات اخیر X»: the author right after, or after one word
            one_word = n + 1 < len(tokens) and (is_name_word(tokens[n + 1]) or key(tokens[n + 1]) in DESCRIPTORS)
            starts = [n + 1, n + 2] if one_word else [n + 1]
            for start in starts:
                at = start + (1 if start < len(tokens) and tokens[start] in _QUOTES else 0)
                found = read_name(tokens, at)
                if found:
                    end = found[0] + (1 if found[0] < len(tokens) and tokens[found[0]] in _QUOTES else 0)
                    yield _Quote(found[1], " ".join(tokens[n : found[0]]), _quote_after(tokens, spans, norm, keys, end))
                    break


def _interviewed(tokens: list[str], keys: list[str], state: _State) -> Iterator[_Quote]:
    """The person an interview is with: «گفت‌وگو با جلال میرزایی، نماینده مجلس»."""
    text = " ".join(keys)
    for match in _INTERVIEW.finditer(text):
        at = text[: match.end()].count(" ")  # the token after «با»
        at += honorifics_at(tokens, at)
        while at < len(tokens) and tokens[at] in _QUOTES:
            at += 1
        found = read_name(tokens, at) or _unknown_name(tokens, at, state)
        if found:
            yield _Quote(found[1], " ".join(tokens[at : found[0]]))


#: A role chain this many words long at most ends at the name it introduces.
_ROLE_CHAIN = 8


def _named_roles(tokens: list[str]) -> Iterator[tuple[str, list[str]]]:
    """(role key, name) for each listed name next to a role in a sentence: «X، role»,
    «X role», or «role ... X» with no punctuation between the role and the name."""
    end = 0
    for i, token in enumerate(tokens):
        if i < end or not may_start_name(token) or not (found := read_name(tokens, i)):
            continue
        end, words = found
        after = end + (1 if end < len(tokens) and tokens[end] in _SEGMENT_END else 0)
        if after < len(tokens) and is_role(tokens[after]):
            yield _role_key(tokens, after), words
        office = key(tokens[i - 1])[:-1] if i >= 2 and key(tokens[i - 2]) == "به" else ""
        if office and key(tokens[i - 1]).endswith("ی") and is_role(office):
            yield office, words  # «به سرپرستی X»: X is the «سرپرست»
            continue
        for r in range(i - 1, max(-1, i - 1 - _ROLE_CHAIN), -1):
            if r == i - 1 and key(tokens[r]) in RELATIONS:
                break  # «وکیل X»: X's lawyer, not X
            if not _LETTERS_ONLY.fullmatch(tokens[r]) or (key(tokens[r]) in STOP and key(tokens[r]) != "و"):
                break  # «وزیر نیرو در دیدار با X»: X is met, not the minister
            if is_role(tokens[r]) and (r == 0 or not is_role(tokens[r - 1])):
                yield _role_key(tokens, r), words
                break


_LETTERS_ONLY = re.compile(r"[^\W\d_]+(?:\u200c[^\W\d_]+)*")


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


def _quote_after(tokens: list[str], spans: list[tuple[int, int]], norm: str, keys: list[str], at: int) -> str:
    """The words from token ``at`` to the end of the sentence, without a leading «:» or «که»."""
    while at < len(tokens) and (tokens[at] in {":", "،", ",", "-", "؛"} or keys[at] in _AFTER_VERB):
        at += 1
    if at >= len(tokens) or (at + 1 >= len(tokens) and tokens[at] in _QUOTES):
        return ""
    said = norm[spans[at][0] :].strip()
    return said if any(c.isalpha() for c in said) else ""  # a lone «.» says nothing


def _quoted(
    tokens: list[str], spans: list[tuple[int, int]], norm: str, keys: list[str], state: _State
) -> Iterator[_Quote]:
    """Each attribution in a sentence: the subject of a quote verb or the X of «به گفته X»."""
    text = " ".join(keys)
    verbs = list(_VERB.finditer(text))
    plural = {m.start() for m in _PLURAL_VERB.finditer(text)}
    according = list(ACCORDING_TO.finditer(text))
    if not verbs and not according and not plural:
        return  # most sentences quote no one
    if plural:
        verbs = sorted([*verbs, *(m for m in _PLURAL_VERB.finditer(text))], key=lambda m: m.start())
    # Token index of each character offset in ``text``.
    starts = [0]
    for k in keys:
        starts.append(starts[-1] + len(k) + 1)
    index = {offset: n for n, offset in enumerate(starts)}
    for number, match in enumerate(verbs):
        at = match.start() + (1 if match.group().startswith(" ") else 0)
        if _NOT_QUOTE.match(text[at:]):
            continue
        if number + 1 < len(verbs) and text[match.end() : verbs[number + 1].start()].strip() in ("و", ""):
            continue  # «اشاره کرد و گفت: ...»: the second verb carries the quote
        verb = index.get(at)
        if verb is None or (keys[verb] == "ادامه" and not _introduces_quote(tokens, keys, match.end())):
            continue  # «سیستم را ادامه داد»، «به حکومت خود ادامه داد»: continued something, said nothing
        if _after_modal(tokens, keys, verb):
            continue  # «می‌توان به افرادی چون X اشاره کرد»: what one can say, no one said it
        after = index.get(match.end() + 1, len(tokens))
        # The clause starts after the last clause end before the verb.
        start = next((n + 1 for n in range(verb - 1, -1, -1) if _ends_clause(tokens, n)), 0)
        subject = _subject(tokens, start, verb, state)
        if subject is None and (restart := _after_verb_and(tokens, keys, start, verb)):
            subject = _named(_subject(tokens, restart, verb, state), tokens, state)  # «... صادر کردند و ظریف تهدید کرد»
        if subject is None:
            continue
        together = _coordinated(tokens, subject, verb, state) if subject.words else None
        is_plural = match.start() in plural or keys[verb] in _PLURAL_SAYS
        if is_plural and together is None and not _respectful(subject):
            continue  # «کارشناسان گفتند»: a group
        embedded = _embedded_quote(tokens, spans, norm, keys, subject.end, verb)
        if embedded:
            yield _Quote(subject.words, subject.surface, embedded, subject.role)
        said = _quote_after(tokens, spans, norm, keys, after)
        if not said and verb - subject.end >= 3 and not embedded:
            said = norm[spans[subject.end][0] : spans[verb - 1][1]].strip(" ،,")  # «وی تورم را ... خواند.»
        announces = not said and bool(tokens) and tokens[-1] == ":"
        yield _Quote(subject.words, subject.surface, said, subject.role, announces)
        if is_plural and together is not None:
            # «X، وزیر بهداشت و Y، معاون وزارت ... می‌گویند»: both said it.
            yield _Quote(together.words, together.surface, said, together.role)
    for match in according:
        found_at = index.get(match.end())
        if found_at is None or any(key(t) in _RESPONSE for t in tokens[max(0, found_at - 3) : found_at - 1]):
            continue  # «در پاسخ به ادعای X»: X's claim is answered, not reported
        at = found_at
        end = next(
            (n for n in range(at, len(tokens)) if tokens[n] in _SEGMENT_END or _ends_clause(tokens, n)), len(tokens)
        )
        rest = tokens[end + 1 : end + 3] if end < len(tokens) and tokens[end] in _SEGMENT_END else []
        if end - at > _ACCORDING_SPAN:
            # No comma closes the name («به گفته سید سجادی شناسایی ...»): only a listed name, or one the article gave.
            named = read_name(tokens, at)
            person = _known([tokens[at + honorifics_at(tokens, at)]], state) if at < len(tokens) else None
            found = _Subject(named[1], " ".join(tokens[at : named[0]]), named[0]) if named else (
                _Subject(person or [], tokens[at], at + 1) if person or key(tokens[at]) in PRONOUNS else None
            )
            end = found.end if found else end  # what they said starts right after the name
        else:
            found = _in_segment(tokens, at, end, rest, state)
        if found and (found.words or _is_back_reference(found.surface)):  # «به گفته وی»: the person quoted last
            said = _quote_after(tokens, spans, norm, keys, end)
            if not said and found.end + 1 < end:  # «به گفته وی بازار آرام است.»: no comma, the rest
                said = _quote_after(tokens, spans, norm, keys, found.end)
            if not said and at >= 2:  # «..., به گفته X.»: what came before
                said = norm[: spans[at - 2][0]].strip(" ،,")
            yield _Quote(found.words, found.surface, said)


# Before a short infinitive («می‌توان گفت»، «باید گفت»): no one says it.
_MODALS = frozenset({"میتوان", "بتوان", "نمیتوان", "نتوان", "باید", "نباید", "بایست", "میبایست"})


def _after_modal(tokens: list[str], keys: list[str], verb: int) -> bool:
    """Whether the quote verb at ``verb`` is the short infinitive of a modal before it, with
    no other verb between: «می‌توان به افرادی، چون X، اشاره کرد»، «باید گفت».

    >>> toks = "می‌توان به افرادی ، چون علی احمدی اشاره کرد".split()
    >>> _after_modal(toks, [t.replace("‌", "") for t in toks], 7)
    True
    """
    for n in range(verb - 1, -1, -1):
        if keys[n] in _MODALS or (keys[n] == "توان" and n and keys[n - 1] in ("می", "نمی")):
            return True  # not «توان» alone, a noun («ارتقای توان رزم»)
        if tokens[n] in _CLAUSE_END or is_verb_form(tokens[n]):
            return False
    return False


def _introduces_quote(tokens: list[str], keys: list[str], at: int) -> bool:
    """Whether what follows the verb that ends at character ``at`` of the keys' text is a quote:
    «:»، «که» or a quote mark. «ادامه داد» says something only so («وی ادامه داد: ...»)."""
    after = len(" ".join(keys)[:at].split(" "))  # tokens up to the verb's end
    return after < len(tokens) and (tokens[after] in (":", *_QUOTES) or keys[after] == "که")


def _named(subject: _Subject | None, tokens: list[str], state: _State) -> _Subject | None:
    """``subject`` when it is a name the lists read or a person the article names; ``None`` for a
    pronoun, a role or a guess from the words' rarity (a second clause is often no quote:
    «... گذاشته و هروقت کسی می‌گوید»)."""
    if subject is None or not subject.words or _is_back_reference(subject.surface):
        return None
    shown = subject.surface.split()
    found = read_name(tokens, subject.end - len(shown))
    whole = found is not None and found[0] == subject.end
    rare = all(frequency(w) < COMMON for w in shown)  # «قالیباف»; not «می توان کتاب»
    return subject if whole or (rare and _known(subject.words, state)) else None


def _after_verb_and(tokens: list[str], keys: list[str], start: int, verb: int) -> int:
    """Where a second clause starts after «verb و» in ``tokens[start:verb]`` (its first
    word), the last such; 0 when there is none: «A ... صادر کردند و در ادامه، B تهدید کرد».

    >>> toks = "دولت بیانیه صادر کرد و علی احمدی تهدید کرد".split()
    >>> _after_verb_and(toks, toks, 0, 7)
    5
    """
    if verb and keys[verb - 1] == "و":
        return 0  # «... سجده شکر به جا آورد و گفت»: verbs of one subject
    for n in range(verb - 2, start, -1):
        if tokens[n] in _BRACKETS:
            return 0  # «فاطمه معتمدآریا (تقاطع و کارگران مشغول کارند) اشاره کرد»: a list of works
        if keys[n] == "و" and is_verb_form(tokens[n - 1]) and not keys[n - 1].endswith("ه"):
            return n + 1  # a finite verb; not a participle («ظرف دو روز گذشته و ...»)
    return 0


_BRACKETS = frozenset("()[]")


# Plural quote verbs of the singular list: «می‌گویند» after two named people is theirs.
_PLURAL_SAYS = frozenset({"میگویند"})


def _coordinated(tokens: list[str], subject: _Subject, verb: int, state: _State) -> _Subject | None:
    """The second of two subjects joined by «و»: «سعید نمکی، وزیر بهداشت و حریرچی، معاون ...»,
    after the first name and its role (no preposition between), a name or a surname the
    article gives in full. Not the last two of a list («همانند ترامپ، مایک پنس و برنی سندرز»)."""
    begin = subject.end - len(subject.surface.split())
    if begin >= 2 and tokens[begin - 1] in _SEGMENT_END and is_name_word(tokens[begin - 2]):
        ends = (n + 1 for n in range(begin - 2, -1, -1) if tokens[n] in _SEGMENT_END or _ends_clause(tokens, n))
        previous = next(ends, 0)
        if key(tokens[previous]) not in _FRAME_WORDS:
            return None  # a list, not «به گزارش ایسنا، X و Y گفتند»
    at = subject.end
    while at < verb and key(tokens[at]) != "و":
        if key(tokens[at]) in STOP or tokens[at] in _QUOTES or is_verb_form(tokens[at]):
            return None  # «X در دیدار با Y و Z»: the others are not subjects
        at += 1
    at += 1
    if at >= verb:
        return None
    found = read_name(tokens, at)
    if found:
        return _Subject(found[1], " ".join(tokens[at : found[0]]), found[0])
    person = _known([tokens[at]], state)
    if person and (at + 1 >= verb or tokens[at + 1] in _SEGMENT_END or is_role(tokens[at + 1])):
        return _Subject(person, tokens[at], at + 1)
    return None


def _respectful(subject: _Subject) -> bool:
    """A subject a plural verb may stand for: «ایشان», or a name or role after a title of respect.

    >>> _respectful(_Subject(["خامنه‌ای"], "حضرت آیت‌الله خامنه‌ای", 3)), _respectful(_Subject([], "مردم", 1))
    (True, False)
    """
    words = subject.surface.split()
    return bool(words) and key(words[0]) in _RESPECTFUL


# «X با بیان اینکه Q، افزود»: Q is X's too (the clause up to the last comma before the verb).
_THAT = "اینکه"
_SAYING = frozenset({"بیان", "اشاره", "تاکید", "اعلام", "ابراز", "یادآوری", "تصریح"})


def _embedded_quote(
    tokens: list[str], spans: list[tuple[int, int]], norm: str, keys: list[str], begin: int, verb: int
) -> str:
    """The «با بیان اینکه Q،» clause between the subject (ending at ``begin``) and the verb."""
    for n in range(begin, verb - 1):
        if keys[n] == _THAT and any(k in _SAYING for k in keys[max(begin, n - 3) : n]):
            stop = next((m for m in range(verb - 1, n, -1) if tokens[m] in _SEGMENT_END), None)
            if stop is not None and stop > n + 1:
                return norm[spans[n + 1][0] : spans[stop - 1][1]].strip()
    return ""


def _ends_clause(tokens: list[str], n: int) -> bool:
    """Punctuation or «اما/ولی/بلکه» at ``n`` ends a clause («ولی الله» is a name)."""
    return tokens[n] in _CLAUSE_END and not (n + 1 < len(tokens) and key(tokens[n + 1]) in ("الله", "اله"))


@dataclass(frozen=True)
class _Subject:
    words: list[str]  # the name (empty for a pronoun or a role alone)
    surface: str
    end: int  # the token after the subject
    role: str = ""  # the role that names the speaker here, if any («سخنگوی وزارت»)


def _segments(tokens: list[str], start: int, stop: int) -> list[tuple[int, int]]:
    """The comma segments of ``tokens[start:stop]``, as (start, stop) pairs."""
    segments = []
    begin = start
    for n in range(start, stop):
        if tokens[n] in _SEGMENT_END:
            segments.append((begin, n))
            begin = n + 1
    segments.append((begin, stop))
    return segments


def _role_key(tokens: list[str], at: int) -> str:
    """A role as a lookup key: its first two words («سخنگوی وزارت»)."""
    return " ".join(key(t) for t in tokens[at : at + 2])


def _subject(tokens: list[str], start: int, verb: int, state: _State) -> _Subject | None:
    """The named subject of the clause ``tokens[start:verb]`` that ends before a quote verb."""
    segments = _segments(tokens, start, verb)
    for n, (begin, stop) in enumerate(segments):
        begin = _strip_openers(tokens, begin, stop)
        if begin >= stop:
            continue
        following = tokens[segments[n + 1][0] : segments[n + 1][1]] if n + 1 < len(segments) else []
        found = _in_segment(tokens, begin, stop, following, state)
        if found:
            return found
        tail = _name_before_role(tokens, begin, stop, following)
        if tail:
            return tail
        first = key(tokens[begin])
        if is_role(tokens[begin]):
            # A role alone: who it is, the article says elsewhere (or the next sentences do).
            if n + 1 == len(segments) or not _has_name(tokens, segments[n + 1][0], segments[n + 1][1], state):
                return _Subject([], " ".join(tokens[begin:stop]), stop, _role_key(tokens, begin))
            continue
        if first in _FRAME_WORDS or first.isdigit() or first in _ARTICLES:
            continue
        short = stop - begin <= _ADVERBIAL and n + 1 < len(segments)
        verbs = any(is_verb_form(t) and key(t) not in _PARTICIPLES for t in tokens[begin:stop])
        if short and (first in STOP or not verbs):
            continue  # «چندی پیش،»، «اما بالاخره شب گذشته،»: an adverbial before the subject
        return None
    return None


def _has_name(tokens: list[str], begin: int, stop: int, state: _State) -> bool:
    return any(read_name(tokens, i) for i in range(begin, min(stop, begin + 3)))


def _name_before_role(tokens: list[str], begin: int, stop: int, following: list[str]) -> _Subject | None:
    """A name that ends a segment before «، role»: «... سال جاری علیرضا خامسیان، مدیر ...»."""
    if not _role_follows(following):
        return None
    for i in range(begin + 1, stop):
        found = read_name(tokens, i)
        if found and found[0] == stop:
            return _Subject(found[1], " ".join(tokens[i:stop]), stop, _role_key(following, 0))
    return None


# The keys of a segment's first words are all an opener needs to see.
_OPENER_SPAN = max(map(len, ADVERBIAL_OPENERS)) + 1
_OPENER_FIRSTS = frozenset(opener[0] for opener in ADVERBIAL_OPENERS)


# Marks that open a list item or a paragraph, before its subject.
_BULLETS = frozenset({"*", "-", "•", "–", "—", "#"})


def _strip_openers(tokens: list[str], begin: int, stop: int) -> int:
    """Where the segment ``tokens[begin:stop]`` starts once quote marks, adverbs and
    openers («همچنین»، «در ادامه این نشست») are skipped."""
    changed = True
    while changed:
        changed = False
        if begin < stop and tokens[begin] in _QUOTES and not _quoted_name(tokens, begin, stop):
            begin += 1  # «»همچنین احمد مرادی ...»: the quote mark closes the previous quote
            changed = True
            continue
        if begin < stop and tokens[begin] in _BULLETS:  # «* جلیل سازگارنژاد ... گفت»: a list mark
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
    close = next((n for n in range(begin + 1, min(stop, begin + 6)) if tokens[n] in _QUOTES), None)
    return close is not None and close > begin + 1 and all(is_name_word(t) for t in tokens[begin + 1 : close])


def _role_follows(tokens: list[str]) -> bool:
    """A role starts here, possibly after «یک»/«این»/«از» («، یک تحلیلگر»)."""
    words = [t for t in tokens[:3] if t not in _QUOTES]
    while words and key(words[0]) in _ARTICLES | {"از"}:
        words = words[1:]
    return bool(words) and is_role(words[0])


def _in_segment(tokens: list[str], begin: int, stop: int, following: list[str], state: _State) -> _Subject | None:
    """The subject name at the start of the comma segment ``tokens[begin:stop]``.

    Returns a subject without words for a pronoun («وی»), ``None`` for no subject.
    """
    # Leading quotes only: a closing «» ends the name («رابرت هیلز» پزشکی ...).
    at = begin
    while at < stop and tokens[at] in _QUOTES:
        at += 1
    if at >= stop:
        return None
    back = _refers_back(tokens, at, stop)
    if back:
        # «وی»، «این مقام» is the person already quoted; before anyone is, the one
        # person the previous sentence named.
        surface = " ".join(tokens[at : at + back])
        people = {facet_key(" ".join(p)): p for p in state.previous}
        if len(people) == 1 and not state.found:
            return _Subject(next(iter(people.values())), surface, at + back)
        return _Subject([], surface, at + back)
    # The name may follow a role chain: «رئیس مجلس شورای اسلامی محمدباقر قالیباف».
    role = is_role(tokens[at])
    limit = stop if (role or key(tokens[at]) in _ARTICLES) else at + 1
    bare = tokens[:stop]
    for i in range(at, limit):
        before = key(bare[i - 1]) if i > at else ""
        if i > at and ((before in STOP and before not in _ARTICLES) or bare[i - 1] in _QUOTES or is_verb_form(before)):
            break  # a preposition or verb: what follows is no longer the subject
        if i > at and before in RELATIONS:
            return None  # «وکیل محمدعلی نجفی گفت»: Najafi's lawyer speaks
        found = read_name(bare, i)
        if found:
            end, words = found
            return _Subject(words, " ".join(bare[i:end]), end, _role_key(tokens, at) if role and i > at else "")
    return _unlisted_name(tokens, begin, stop, following, state)


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


def _is_back_reference(surface: str) -> bool:
    """Whether a subject's words are «وی» or «این مقام» (see ``_refers_back``).

    >>> _is_back_reference("وی"), _is_back_reference("این مقام"), _is_back_reference("قالیباف")
    (True, True, False)
    """
    words = surface.split()
    return bool(words) and _refers_back(words, 0, len(words)) == len(words)


def _unlisted_name(tokens: list[str], begin: int, stop: int, following: list[str], state: _State) -> _Subject | None:
    """A name without a listed given name, marked by its position: quoted in
    «» before a role, before «، role», rare words before a role, a surname of
    someone the article names, or words the corpus knows as a name."""
    segment = tokens[begin:stop]
    start = honorifics_at(segment, 0)
    quoted = segment[start] in _OPENING if start < len(segment) else False
    if quoted:
        closing = _CLOSING[segment[start]]
        close = next((n for n in range(start + 1, len(segment)) if segment[n] == closing), None)
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
    if not words or not all(is_name_word(w) for w in words) or any(is_outlet(w) for w in words):
        return None
    end = begin + start + len(words) + (2 if quoted else 0)
    # A listed name inside the run is the name: «اخیر دونالد ترامپ ...».
    inner = next(((n, f) for n in range(start + 1, start + len(words)) if (f := read_name(segment, n))), None)
    if not quoted and inner:
        n, (stop_at, name) = inner
        if key(segment[n - 1]) in RELATIONS:
            return None  # «پدر علی احمدی گفت»: the father speaks, not Ali Ahmadi
        return _Subject(name, " ".join(segment[n:stop_at]), begin + stop_at)
    surface = " ".join(segment[: start + len(words) + (2 if quoted else 0)])
    backref = None if quoted else _known(words, state)
    if backref:
        return _Subject(backref, surface, end)
    role_after = _role_follows(after or following)
    rare = all(counted(w) < COMMON for w in words)  # beside a role or in quote marks: hazm's own counts
    if role_after and (quoted or not after or rare or start):
        return _Subject(words, surface, end, _role_key(following, 0) if not after and following else "")
    if start and not after and len(words) <= 2:  # «سردار هادیانفر گفت»
        return _Subject(words, surface, end)
    rare_name = not any(frequency(w) for w in words) and not in_dictionary(words[-1])
    if len(words) >= 2 and after and key(after[0]) == "که" and rare_name:
        return _Subject(words, surface, end)  # «ریشی سوناک که ... گفت»: a surname no dictionary knows
    if quoted and (len(words) >= 2 or is_corpus_surname(words[0])) and rare:
        return _Subject(words, surface, end)  # «"امیل لحود" ساعاتی پس از ... خواستار شد»: quote marks make a name
    found = _corpus_name(words, after or [], quoted)
    if found:
        shown = " ".join(segment[: start + len(found) + (1 if quoted else 0)])
        return _Subject(found, shown, begin + start + len(found))
    return None


def _corpus_name(words: list[str], after: list[str], quoted: bool) -> list[str] | None:
    """Words in subject place that the corpus model knows as a name, or that no
    dictionary counts (a transliterated name: «جروم گروپمن»، «گانتز»): the run up
    to a word that ends a name."""
    for size in range(len(words), 0, -1):
        run = words[:size]
        rest = [*words[size:], *after]
        if not _ends_name(rest, 0):
            continue
        last = run[-1]
        if not (is_corpus_surname(last) or frequency(last) == 0) or any(frequency(w) >= COMMON for w in run):
            continue
        if size == 1 and not (is_corpus_surname(last) or quoted):
            continue  # one unknown word alone is too weak («کووید گفت»)
        if all(is_corpus_surname(w) or is_given_name(w) or frequency(w) < _FIRST_WORD for w in run[:-1]):
            return run
    return None


def _unknown_name(tokens: list[str], at: int, state: _State) -> tuple[int, list[str]] | None:
    """A name at ``at`` that no list holds, for «گفت‌وگو با X»: words the corpus
    knows as a name, up to a comma, a role or a preposition."""
    words: list[str] = []
    n = at
    while n < len(tokens) and len(words) < 3 and is_name_word(tokens[n]):
        words.append(tokens[n])
        n += 1
    found = _corpus_name(words, tokens[n:], quoted=False) if len(words) >= 2 else None
    return (at + len(found), found) if found and len(found) >= 2 else None


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




def _add(state: _State, words: list[str], sentence: str, surface: str) -> str:
    """Record a speaker; their facet key ("" for a name with no key, or initials only)."""
    if all(_is_initial(w) for w in words):
        return ""  # «آقای «الف» می‌گوید»: a person the article does not name
    name = " ".join(_without_glued_title(words))
    k = facet_key(name)
    if not k:
        return ""
    # Keep the first quote, but prefer one that names the person over «وی».
    if k not in state.found or (key(state.found[k].surface) in PRONOUNS and key(surface) not in PRONOUNS):
        state.found[k] = Speaker(name=name, sentence=sentence, surface=surface)
    return k


# Letters standing for a name: «الف» (spelled), or one letter with or without a dot («م.»).
_INITIAL = re.compile(r"(?:الف|[^\W\d_])\.?")


def _is_initial(word: str) -> bool:
    """«الف»، «ب.»: an initial, not a name.

    >>> _is_initial("الف"), _is_initial("م."), _is_initial("مریم")
    (True, True, False)
    """
    return _INITIAL.fullmatch(word) is not None


def _without_glued_title(words: list[str]) -> list[str]:
    """A name without «سید» written together with its given name («سیدطه هاشمی» is «طه
    هاشمی», as «سید طه هاشمی» is): the rest a given name or a word no dictionary counts.

    >>> _without_glued_title(["سیدطه", "هاشمی"]), _without_glued_title(["سیدان", "هاشمی"])
    (['طه', 'هاشمی'], ['سیدان', 'هاشمی'])
    """
    first = key(words[0]) if len(words) >= 2 else ""
    rest = first[3:]
    glued = first.startswith("سید") and len(rest) >= 2 and rest not in _NOT_A_NAME_AFTER_SAYYID
    shown = words[0][3:].lstrip(ZWNJ) if key(words[0][:3]) == "سید" else rest  # keep the name's own ZWNJs
    return [shown, *words[1:]] if glued and (is_given_name(rest) or frequency(rest) < _RARE) else words


# «سیدان»، «سیدین»، «سیدی»: the word «سید» with an ending, a surname of its own.
_NOT_A_NAME_AFTER_SAYYID = frozenset({"ان", "ین", "ی", "ها", "زاده", "پور", "نژاد", "یان"})


def _merge(found: list[Speaker], known: list[list[str]]) -> list[Speaker]:
    """One entry per person: a surname-only speaker becomes the full name the
    article gives («قالیباف» → «محمدباقر قالیباف»), and their quotes go with it."""
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
            merged[k] = Speaker(name=name, sentence=speaker.sentence, surface=speaker.surface, quotes=speaker.quotes)
        else:
            old = merged[k]
            merged[k] = Speaker(old.name, old.sentence, old.surface, tuple(dict.fromkeys(old.quotes + speaker.quotes)))
    return list(merged.values())
