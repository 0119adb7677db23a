"""Snippets that show why an article matched: the best window of its text, matches marked.

The text is analysed as the index analyses it (``indexer.tokenize`` and the
index's stemmer), so a query word marks every form of itself in the text: its
inflections («کتاب» marks «کتاب‌ها»), its other spellings (variants), and the
spelling of the original characters (Arabic «ي ك», a space for a ZWNJ).
Engine-independent: it needs the text, the query's clauses and a stemmer.

- The window shown is the one holding the most distinct query words, and a
  whole phrase for a phrase query; of equal windows, the first.
- Consecutive matched words are one mark («<mark>مرگ و میر</mark>»); a
  function word («به», «از», «در», «که» …) is never marked alone, only inside
  a matched phrase or run. A query of function words alone still marks them.
- «…» stands where the text was cut.

>>> from indexer.stem import get_stemmer
>>> stem = get_stemmer("lexicon")
>>> from search.syntax import parse_query
>>> w = wanted(parse_query("کتاب در تهران").clauses, stem)
>>> snippet("ما <b> كتاب ها را در خانه خواندیم", w, stem)
'ما &lt;b&gt; <mark>کتاب ها</mark> را در خانه خواندیم'
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from html import escape
from itertools import islice

from indexer.stem import Stemmer
from indexer.tokenize import term_columns
from search.display import display_text
from search.syntax import Clause

#: Characters a snippet shows at most (the window), and before its first match at most.
MAX_CHARS = 260
CONTEXT = 60
#: Text analysed for matches: a longer article is rarely about the query only past this.
MAX_ANALYSED = 10_000
ELLIPSIS = "…"

#: Words that carry grammar, not topic: prepositions, conjunctions, the object marker,
#: pronouns, auxiliary and light verbs, determiners. As terms: ZWNJ-joined («میشود»).
FUNCTION_WORDS = frozenset(
    [
        "از", "به", "با", "در", "بر", "برای", "تا", "بی", "بدون", "درباره", "روی", "زیر", "میان", "بین", "نزد",
        "سوی", "جز", "مثل", "مانند", "همچون", "طی", "توسط", "بنابر",
        "و", "یا", "اما", "ولی", "که", "اگر", "نیز", "هم", "چون", "زیرا", "سپس", "بلکه", "چه", "خواه", "لذا",
        "پس", "پیش",
        "را", "ها", "های", "ای", "ی",
        "من", "تو", "او", "ما", "شما", "آنها", "ایشان", "وی", "آن", "این", "آنان", "اینها", "خود", "همین",
        "همان", "اینکه", "آنکه", "چنین", "چنان",
        "است", "هست", "نیست", "بود", "بودند", "شد", "شده", "شدند", "شود", "شوند", "میشود", "میشوند", "کرد",
        "کرده", "کند", "کنند", "میکند", "میکنند", "کردند",
        "باید", "بوده", "اند", "هستند", "خواهد", "باشد", "باشند", "بودن", "داد", "دارد", "دارند", "گفت",
        "هر", "یک", "چند", "همه", "دیگر", "برخی", "هیچ", "نه", "آیا", "یکی",
    ]
)  # fmt: skip


@dataclass(frozen=True)
class Wanted:
    """What a snippet marks: each stem (and exact form) of the query words, and its phrases."""

    words: dict[str, int] = field(default_factory=dict)  # stem or exact form -> which query word
    phrases: tuple[tuple[str, ...], ...] = ()  # the stems of each phrase of two words or more
    function_words: frozenset[int] = frozenset()  # query words that are function words

    def __bool__(self) -> bool:
        return bool(self.words)


def wanted(
    clauses: Sequence[Clause],
    stemmer: Stemmer,
    variants: Callable[[str], Sequence[tuple[str, str]]] | None = None,
) -> Wanted:
    """The words and phrases of a query's positive text clauses (tag:, speaker:, source: are not text)."""
    words: dict[str, int] = {}
    phrases: list[tuple[str, ...]] = []
    function: set[int] = set()
    for clause in clauses:
        if clause.negated or clause.field in ("tag", "speaker", "source"):
            continue
        texts = term_columns(clause.text, offsets=False).texts
        stems = stemmer.many(list(texts))
        for text, stem in zip(texts, stems, strict=True):
            n = words.setdefault(stem, len(words))
            words.setdefault(text, n)
            if text in FUNCTION_WORDS:
                function.add(n)
            for other, other_stem in variants(text) if variants is not None else ():
                words.setdefault(other, n)
                words.setdefault(other_stem, n)
        if clause.kind == "phrase" and len(stems) > 1:
            phrases.append(tuple(stems))
    return Wanted(words, tuple(phrases), frozenset(function))


@dataclass
class _Span:
    start: int  # characters of the text
    end: int
    first: int  # tokens
    last: int
    concepts: set[int]  # the query words it matches (function words left out)
    phrase: bool = False


def _spans(text: str, want: Wanted, stemmer: Stemmer) -> list[_Span]:
    """Marked stretches of ``text``: runs of adjacent matched words and whole phrases, in order.

    A page analyses up to ``MAX_ANALYSED`` characters of each of its hits, so the per-word
    work runs in C (``map``, list comprehensions); only the matched words, few, and the
    compounds, one word in ten, are visited in Python. ``tests/test_snippets.py`` holds it to
    the rule written word by word.
    """
    texts, starts, ends, parts = term_columns(text[:MAX_ANALYSED])
    stems = stemmer.many(texts)
    words = want.words
    # a word matches by its stem, else by its form as written (an exact form or a variant)
    match: list[int | None] = [
        by_stem if by_stem is not None else by_form
        for by_stem, by_form in zip(map(words.get, stems), map(words.get, texts), strict=True)
    ]
    _match_compounds(match, parts, words, stemmer)
    function_words = want.function_words
    only_function = function_words >= set(words.values())
    spans: list[_Span] = []
    matched = [i for i, n in enumerate(match) if n is not None]  # few: only they are visited
    k = 0
    while k < len(matched):
        i = j = matched[k]
        while k + 1 < len(matched) and matched[k + 1] == j + 1 and not text[ends[j] : starts[j + 1]].strip(" \u200c"):
            k += 1
            j += 1
        k += 1
        first, last = i, j
        if not only_function:  # a run starts and ends with a word of content: «سفر به شمال» in «سفر به شمال در»
            while first <= last and match[first] in function_words:
                first += 1
            while last >= first and match[last] in function_words:
                last -= 1
        concepts = {n for n in match[first : last + 1] if n is not None and (n not in function_words or only_function)}
        if concepts:
            spans.append(_Span(starts[first], ends[last], first, last, concepts))
    for phrase in want.phrases:
        size = len(phrase)
        for i in _occurrences(stems, phrase[0], len(stems) - size + 1):
            if tuple(stems[i : i + size]) == phrase:
                spans.append(_Span(starts[i], ends[i + size - 1], i, i + size - 1, {words[phrase[0]]}, True))
    return _merged(sorted(spans, key=lambda s: (s.start, -s.end)))


def _match_compounds(
    match: list[int | None], parts: dict[int, tuple[str, ...]], words: dict[str, int], stemmer: Stemmer
) -> None:
    """Mark each unmatched compound holding a query word as that word («همه‌جانبه» for «جانبه»):
    its first part (function words left out) whose stem is wanted. The parts of all the
    unmatched compounds are stemmed in one call."""
    pending = [(i, [p for p in held if p not in FUNCTION_WORDS]) for i, held in parts.items() if match[i] is None]
    part_stems = iter(stemmer.many([p for _, content in pending for p in content]))
    for i, content in pending:
        found = [words.get(stem) for stem in islice(part_stems, len(content))]
        match[i] = next((n for n in found if n is not None), None)


def _occurrences(items: list[str], item: str, stop: int) -> Iterator[int]:
    """The indexes below ``stop`` where ``item`` stands in ``items`` (``list.index`` skips in C)."""
    at = 0
    while True:
        try:
            at = items.index(item, at, stop)
        except ValueError:
            return
        yield at
        at += 1


def _merged(spans: list[_Span]) -> list[_Span]:
    out: list[_Span] = []
    for span in spans:
        if out and span.start < out[-1].end:
            last = out[-1]
            last.end, last.last = max(last.end, span.end), max(last.last, span.last)
            last.concepts |= span.concepts
            last.phrase = last.phrase or span.phrase
        else:
            out.append(span)
    return out


def _best(spans: list[_Span]) -> tuple[int, int]:
    """(first, last) indexes of the spans in the best window: most phrases, then query words, then marks."""
    best: tuple[tuple[int, int, int], int, int] | None = None
    for k, first in enumerate(spans):
        limit = first.start + MAX_CHARS - CONTEXT // 2
        last = k
        while last + 1 < len(spans) and spans[last + 1].end <= limit:
            last += 1
        inside = spans[k : last + 1]
        score = (
            sum(s.phrase for s in inside),
            len(set().union(*(s.concepts for s in inside))),
            len(inside),
        )
        if best is None or score > best[0]:
            best = (score, k, last)
    assert best is not None
    return best[1], best[2]


_SENTENCE_BREAK = re.compile(r"[.!?؟؛]\s+|\n")
_SPACES = re.compile(r"\s+")


def _window(text: str, start: int, end: int, length: int) -> tuple[int, int]:
    """Where to cut ``text`` (``length`` characters whole) around the marks from ``start`` to ``end``:
    at a sentence or a space. ``text`` may be the start of the text, up to ``end + MAX_CHARS``."""
    if length <= MAX_CHARS:
        return 0, length
    begin = max(0, start - CONTEXT)
    breaks = list(_SENTENCE_BREAK.finditer(text, begin, start))
    if breaks:
        begin = breaks[-1].end()
    elif begin > 0:
        space = text.find(" ", begin, start)
        begin = space + 1 if space >= 0 else start
    stop = max(end, begin + MAX_CHARS)
    if stop < length:
        space = text.rfind(" ", end, stop + 1)
        stop = space if space >= 0 else stop
    return begin, min(stop, length)


def _plain(text: str) -> str:
    return escape(_SPACES.sub(" ", text), quote=False)


#: What a snippet reads of a text: the analysed part and the longest window past it, and one
#: character more, which ``display_text`` may look at to clean the last one.
READ = MAX_ANALYSED + MAX_CHARS + 2


def snippet(text: str, want: Wanted, stemmer: Stemmer) -> str:
    """The best window of ``text`` for the query, as safe HTML: escaped text, matches in ``<mark>``.

    Only the start of a long text is cleaned for display (``READ``): marks lie in the analysed
    part and the window ends at most ``MAX_CHARS`` past them. ``display_text`` keeps the length,
    and what it changes is never trailing white space, so the text's length and where its
    trailing white space starts are the original's.
    """
    whole = text
    text = display_text(text[:READ])
    spans = _spans(text, want, stemmer) if want else []
    if not spans:
        return _head(display_text(whole))
    first, last = _best(spans)
    shown = spans[first : last + 1]
    begin, stop = _window(text, shown[0].start, shown[-1].end, len(whole))
    pieces = [ELLIPSIS + " "] if begin > 0 else []
    at = begin
    for span in spans:
        if span.start < begin or span.end > stop:
            continue
        pieces += [_plain(text[at : span.start]), f"<mark>{_plain(text[span.start : span.end])}</mark>"]
        at = span.end
    pieces.append(_plain(text[at:stop]))
    if stop < len(whole.rstrip()):
        pieces.append(" " + ELLIPSIS)
    return "".join(pieces).strip()


def _head(text: str) -> str:
    """The start of the text, for an article that does not hold the query's words."""
    head = text.strip()
    if len(head) > MAX_CHARS:
        head = head[:MAX_CHARS].rsplit(" ", 1)[0] + " " + ELLIPSIS
    return _plain(head)
