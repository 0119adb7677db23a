"""Who is quoted in an article: the subjects of quote verbs that are names.

Persian news reports speech with a quote verb after its subject
(«تیزپاک گفت:»، «وی تصریح کرد»، «X در توییتی نوشت») or with «به گفته X».
For each quote verb the clause before it is cut into comma segments; the
subject is the first name that starts a segment, possibly after a role
(«رئیس شورا محمدباقر تیزپاک گفت»), marked by a role after it
(«تیزپاک، رئیس شورا، گفت»), or a surname of a person the article names
elsewhere. A name after a preposition or a noun («در دیدار با X گفت»،
«وعده‌های X») is an object, not the speaker. Roles alone
(«سخنگوی وزارت بهداشت گفت») and organizations give nothing.

>>> extract_text("رئیس سازمان آب استان یزد محمدباقر تیزپاک در دیدار با علی آذرپی گفت: سلام.")
['محمدباقر تیزپاک']
>>> extract_text("سخنگوی وزارت بهداشت گفت: ماسک بزنید.")
[]
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from indexer.article import Article
from indexer.metadata import facet_key
from indexer.speakers.clauses import attributions
from indexer.speakers.cues import QUOTE_MARKS, VERB, role_follows
from indexer.speakers.initials import initial_before
from indexer.speakers.lexicon import PRONOUNS
from indexer.speakers.names import is_corpus_surname, is_given_name, is_name_word, is_role
from indexer.speakers.nested import cited_surname, sayings
from indexer.speakers.quotes import continue_quote
from indexer.speakers.resolve import attribute, mentions_in, named_role_pairs, outlet_words
from indexer.speakers.state import Quote, Speaker, State, known_person
from indexer.speakers.statements import authors, claims, interviewed
from indexer.speakers.tokens import initial_then_name, tokenize_spans
from indexer.speakers.whole import merge_speakers, trimmed, two_word_surnames, whole_name
from indexer.speakers.words import is_verb_form, key, token_keys

__all__ = ["Speaker", "extract_speakers", "extract_text", "find_speakers", "sentences"]

_SENTENCE_END = re.compile(r"(?<=[.!?؟])\s+|\n+")
_NEXT_WORD = re.compile(r"[^\W\d_]+")


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
    """The sentences of some texts: split at lines and at . ! ? ؟ before a space,
    but not at the dot of an initial before a name («ام. تیبور هالستد»، «ج. هالستد»), even where
    a line ends there (ir-news gives a sentence a line, and cut these names).

    >>> list(sentences(["به گفته ام. تیبور هالستد بازار آرام است. وی رفت."]))
    ['به گفته ام. تیبور هالستد بازار آرام است.', 'وی رفت.']
    >>> list(sentences(["کار در ماه دی. کیوان رهنما گفت: سلام."]))
    ['کار در ماه دی.', 'کیوان رهنما گفت: سلام.']
    """
    for text in texts:
        start = 0
        for end in _SENTENCE_END.finditer(text or ""):
            if end.start() - start > 1 and text[end.start() - 1] == "." and _initial_then_name(text, start, end):
                continue  # the dot of an initial: the name goes on
            if sentence := text[start : end.start()].strip():
                yield sentence
            start = end.end()
        if sentence := (text or "")[start:].strip():
            yield sentence


def _initial_then_name(text: str, start: int, end: re.Match[str]) -> bool:
    """Whether the dot before ``end`` (a sentence end) is an initial's, and the name goes on after it."""
    following = _NEXT_WORD.match(text, end.end())
    letter = initial_before(text[start : end.start()])
    if following is None or letter is None:
        return False
    dot = "." if text[following.end() : following.end() + 1] == "." else ""
    return initial_then_name(letter, following.group() + dot)


def _semicolon_apposition(tokens: list[str]) -> list[str]:
    """A semicolon between a name and its role is the comma of an apposition, not a clause
    end («کیوان رهنما؛ سخنگوی دولت در روزنامه نوشت»): made a comma, so that the name is the
    subject of the verb after the role, as with «X، role».

    >>> _semicolon_apposition(["کیوان", "رهنما", "؛", "سخنگوی", "دولت", "نوشت"])[2]
    '،'
    >>> _semicolon_apposition(["باران", "آمد", "؛", "سخنگوی", "دولت", "نوشت"])[2]
    '؛'
    """
    marks = [n for n, t in enumerate(tokens) if t in ("؛", ";")]
    if not marks:
        return tokens
    tokens = list(tokens)
    for n in marks:
        if n > 0 and is_name_word(tokens[n - 1]) and not is_verb_form(tokens[n - 1]) and role_follows(tokens[n + 1 :]):
            tokens[n] = "،"
    return tokens


def _repeated_subjects(
    all_sentences: list[tuple[str, str, list[str], list[tuple[int, int]]]], known: list[list[str]]
) -> list[list[str]]:
    """Two name words that open at least two sentences of the article, right before a quote
    verb at least once («بهار کوهستان می‌افزاید: ...»، «بهار کوهستان که ... می‌گوید»): a name the
    lists miss because both words are everyday words."""
    opened: dict[tuple[str, str], list[bool]] = {}
    for _, _, tokens, _ in all_sentences:
        at = 0
        while at < len(tokens) and (tokens[at] in QUOTE_MARKS or tokens[at].isdigit()):
            at += 1
        pair = tokens[at : at + 2]
        if len(pair) < 2 or not all(is_name_word(t) and not is_verb_form(t) and not is_role(t) for t in pair):
            continue
        if not (is_given_name(pair[0]) or is_corpus_surname(pair[1])):
            continue  # «ایالات متحده»: no name word in it
        before_verb = bool(VERB.match(" ".join(token_keys(tokens[at + 2 : at + 6]))))
        opened.setdefault((pair[0], pair[1]), []).append(before_verb)
    longer = [facet_key(" ".join(m)) for m in known]
    return [
        list(pair)
        for pair, verbs in opened.items()
        if len(verbs) >= 2
        and any(verbs)
        # not part of a longer name the article gives («احمد رحمت‌بخش» … «رحمت بخش ادامه داد»)
        and not any(k != (fk := facet_key(" ".join(pair))) and fk in k for k in longer)
    ]


def _after_close(norm: str) -> str:
    """What follows the mark that closes a quote going on into this sentence, when it holds words:
    «... .» کیوان رهنما نیز گفت: ...» is two sentences, the splitter cut none before «»». "" otherwise.

    >>> _after_close("بودجه کم است.» کیوان رهنما نیز گفت: کار تمام است."), _after_close("بودجه کم است.»")
    ('کیوان رهنما نیز گفت: کار تمام است.', '')
    """
    rest = norm[norm.find("»") + 1 :].strip()
    return rest if sum(c.isalpha() for c in rest) > 1 else ""


def _cite(state: State, quotes: Iterator[Quote], sentence: str, read: frozenset[str] | set[str] = frozenset()) -> None:
    """Attribute words this sentence cites (a saying inside another speaker's words, a claim cited
    with «مبنی بر»), leaving who is speaking as it was: «وی افزود» after them is still the person who
    cited them, and a role quoted before and waiting for its name is not the cited person."""
    speaking = (state.current, state.open_quote, state.open_left, state.awaiting, state.pending)
    state.pending = []
    for quote in quotes:
        if facet_key(" ".join(quote.words)) not in read:
            attribute(state, quote, sentence)
    state.current, state.open_quote, state.open_left, state.awaiting, state.pending = speaking


def _speakers(texts: list[str]) -> list[Speaker]:
    all_sentences = [
        (s, norm, _semicolon_apposition(tokens), spans)
        for s in sentences(texts)
        for norm, tokens, spans in [tokenize_spans(s)]
    ]
    mentions = [mentions_in(tokens) for _, _, tokens, _ in all_sentences]
    known = trimmed([m for ms in mentions for m in ms if len(m) > 1])
    state = State(known=known + _repeated_subjects(all_sentences, known))
    state.outlets = {k for _, _, tokens, _ in all_sentences for k in outlet_words(tokens)}
    role_named: list[set[str]] = []  # facet keys of the people each sentence names, then gives a role
    for _, _, tokens, _ in all_sentences:
        role_named.append(set())
        for role, words, after_name, foreign in named_role_pairs(tokens):
            if after_name:  # «X، وزیر خارجه»; not «امام X» (a title as often as a role)
                role_named[-1].add(facet_key(" ".join(words)))
            if foreign:  # «X، وزیر خارجه آمریکا»: never «وزیر خارجه کشورمان» nor «... روسیه»
                state.foreign[facet_key(" ".join(words))] = foreign
            if not role:
                continue
            people = state.named_roles.setdefault(role, [])
            if facet_key(" ".join(words)) not in {facet_key(" ".join(p)) for p in people}:
                people.append(words)
    # Surnames of the people the article names: fixed for the article, so built once
    # (those of the speakers found so far are added sentence by sentence below).
    known_surnames = {key(w) for p in state.known for w in p[-2:]}
    for (sentence, norm, tokens, spans), named, with_role in zip(all_sentences, mentions, role_named, strict=True):
        keys = token_keys(tokens)  # once a sentence: the rules below compare keys
        was_open = bool(state.open_quote)
        if continue_quote(state, norm):
            rest = _after_close(norm) if was_open and not state.open_quote else ""
            if not rest:
                _cite(state, sayings(tokens, spans, norm, keys), sentence)  # a saying inside the quote
                continue
            # «... .» کیوان رهنما نیز گفت: ...»: the quote closed, and a sentence starts after its mark.
            sentence = rest
            norm, tokens, spans = tokenize_spans(rest)
            tokens = _semicolon_apposition(tokens)
            keys = token_keys(tokens)
        quoted = [*attributions(tokens, spans, norm, keys, state), *authors(tokens, spans, norm, keys, state)]
        if not quoted:
            quoted = list(interviewed(tokens, keys))
        for quote in quoted:
            attribute(state, quote, sentence)
        # A claim cited («اظهارات X مبنی بر ...») is X's, but X is not who speaks here.
        _cite(state, claims(tokens, spans, norm, keys, state), sentence)
        if quoted:  # «X گفت: امام Y (ع) فرمودند ...»: Y's saying, inside X's words
            _cite(state, sayings(tokens, spans, norm, keys), sentence, {facet_key(" ".join(q.words)) for q in quoted})
        else:
            quoted = [*sayings(tokens, spans, norm, keys), *cited_surname(tokens, spans, norm, keys)]
            for quote in quoted:
                attribute(state, quote, sentence)
        # «وی گفت» in the next sentence is the person this one quoted, or
        # else the one person it names.
        if quoted:
            state.previous = [q.words for q in quoted if q.words]
            state.introduced = False
        elif tokens and key(tokens[0]) in PRONOUNS:
            pass  # «وی ضمن ... تکرار کرد»: still the same person
        else:
            surnames = known_surnames.union(key(w) for s in state.found.values() for w in s.name.split()[-2:])
            state.previous = named + [
                p for t, k in zip(tokens, keys, strict=True) if k in surnames and (p := known_person([t], state))
            ]
            previous = {facet_key(" ".join(p)) for p in state.previous}
            state.introduced = len(previous) == 1 and previous == with_role
        state.pending = [(text, left - 1) for text, left in state.pending if left > 1]
    whole = two_word_surnames([tokens for _, _, tokens, _ in all_sentences])
    speakers = [
        Speaker(whole_name(s.name, whole), s.sentence, s.surface, tuple(dict.fromkeys(state.quotes.get(k, []))))
        for k, s in state.found.items()
    ]
    return merge_speakers(speakers, [whole_name(" ".join(p), whole).split() for p in state.known])
