"""Whoosh adapters over the pure analysis functions.

Whoosh pickles the schema, analyzers included, into the index, so these are
module-level classes holding only plain settings (a stemmer *name*, never a
stemmer object). The same analyzers run at index and at query time.

>>> [(t.text, t.pos) for t in exact_analyzer()("كتاب ها نو", positions=True)]
[('کتابها', 0), ('کتاب', 0), ('نو', 1)]
>>> [t.text for t in stem_analyzer("lexicon")("كتاب ها")]
['کتاب']
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from whoosh.analysis import Filter, Token, Tokenizer

from indexer.stem import DEFAULT_STEMMER, get_stemmer
from indexer.tokenize import Term, word_tokens

# Each text is indexed by two fields (surface forms and stems) one after the
# other, as the same string object: remember the last tokenization so it is
# done once. A tuple is replaced whole, so threads never see half an entry.
_last: tuple[str, list[Term]] = ("", [])


def _word_tokens(value: str) -> list[Term]:
    global _last
    text, terms = _last
    if value is not text:
        terms = word_tokens(value)
        _last = (value, terms)
    return terms


class PersianTokenizer(Tokenizer):  # type: ignore[misc]
    """Yields canonical terms (see ``indexer.tokenize``) as Whoosh tokens.

    A compound yields its joined form, then its parts (``token.part`` set)
    at the following positions, so both «همه‌جانبه» and «همه جانبه» match
    it, as words and as a phrase.
    """

    def __call__(
        self,
        value: str,
        positions: bool = False,
        chars: bool = False,
        keeporiginal: bool = False,
        removestops: bool = True,
        start_pos: int = 0,
        start_char: int = 0,
        tokenize: bool = True,
        mode: str = "",
        **kwargs: Any,
    ) -> Iterator[Token]:
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        terms = _word_tokens(value) if tokenize else [Term(value, 0, len(value))]
        pos = start_pos
        for text, start, end, parts in terms:
            token.boost = 1.0
            token.stopped = False
            if keeporiginal:
                token.original = value[start:end]
            if chars:
                token.startchar = start_char + start
                token.endchar = start_char + end
            token.text = text
            token.part = False
            if positions:
                token.pos = pos
            yield token  # one Token object reused: Whoosh's performance contract
            if not parts:
                pos += 1
                continue
            for i, word in enumerate(parts):
                token.text = word
                token.part = True
                if positions:
                    token.pos = pos + i
                yield token
            pos += len(parts)


class PersianStemFilter(Filter):  # type: ignore[misc]
    """Replaces each term by its stem, using a stemmer chosen by name."""

    def __init__(self, stemmer: str = DEFAULT_STEMMER) -> None:
        self.stemmer = stemmer

    def __eq__(self, other: object) -> bool:
        return isinstance(other, PersianStemFilter) and other.stemmer == self.stemmer

    def __call__(self, tokens: Iterator[Token]) -> Iterator[Token]:
        stem = get_stemmer(self.stemmer)
        compound = ""
        for token in tokens:
            text = stem(token.text)
            if token.part:
                if text == compound:
                    continue  # «کتاب‌ها»: the part «کتاب» would count the stem twice
            else:
                compound = text
            token.text = text
            yield token


def exact_analyzer() -> Any:
    """Canonical surface forms: what the user typed, spelling-normalized."""
    return PersianTokenizer()


def stem_analyzer(stemmer: str = DEFAULT_STEMMER) -> Any:
    """Canonical forms reduced to their stem."""
    return PersianTokenizer() | PersianStemFilter(stemmer)
