"""Whoosh adapters over the pure analysis functions.

Whoosh pickles the schema, analyzers included, into the index, so these are
module-level classes holding only plain settings (a stemmer *name*, never a
stemmer object). The same analyzers run at index and at query time.

>>> [t.text for t in exact_analyzer()("كتاب ها")]
['کتابها']
>>> [t.text for t in stem_analyzer("lexicon")("كتاب ها")]
['کتاب']
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from whoosh.analysis import Filter, Token, Tokenizer

from indexer.stem import DEFAULT_STEMMER, get_stemmer
from indexer.tokenize import word_tokens


class PersianTokenizer(Tokenizer):  # type: ignore[misc]
    """Yields canonical terms (see ``indexer.tokenize``) as Whoosh tokens."""

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
        terms = word_tokens(value) if tokenize else [(value, 0, len(value))]
        for pos, (text, start, end) in enumerate(terms):
            token.text = text
            token.boost = 1.0
            token.stopped = False
            if keeporiginal:
                token.original = value[start:end]
            if positions:
                token.pos = start_pos + pos
            if chars:
                token.startchar = start_char + start
                token.endchar = start_char + end
            yield token  # one Token object reused: Whoosh's performance contract


class PersianStemFilter(Filter):  # type: ignore[misc]
    """Replaces each term by its stem, using a stemmer chosen by name."""

    def __init__(self, stemmer: str = DEFAULT_STEMMER) -> None:
        self.stemmer = stemmer

    def __eq__(self, other: object) -> bool:
        return isinstance(other, PersianStemFilter) and other.stemmer == self.stemmer

    def __call__(self, tokens: Iterator[Token]) -> Iterator[Token]:
        stem = get_stemmer(self.stemmer)
        for token in tokens:
            token.text = stem(token.text)
            yield token


def exact_analyzer() -> Any:
    """Canonical surface forms: what the user typed, spelling-normalized."""
    return PersianTokenizer()


def stem_analyzer(stemmer: str = DEFAULT_STEMMER) -> Any:
    """Canonical forms reduced to their stem."""
    return PersianTokenizer() | PersianStemFilter(stemmer)
