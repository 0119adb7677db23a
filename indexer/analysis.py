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
from itertools import chain, islice
from typing import Any

from whoosh.analysis import Filter, Token, Tokenizer

from indexer.stem import DEFAULT_STEMMER, Stemmer, get_stemmer
from indexer.tokenize import Columns, term_columns

# Each text is indexed by two fields (surface forms and stems) one after the
# other, as the same string object: remember the last tokenization so it is
# done once. A tuple is replaced whole, so threads never see half an entry.
_last: tuple[str, bool, Columns] = ("", True, Columns([], [], [], {}))


def _term_columns(value: str, offsets: bool) -> Columns:
    """``term_columns`` of ``value``, remembered for the next call; ``offsets`` only when asked."""
    global _last
    text, with_offsets, columns = _last
    if value is not text or (offsets and not with_offsets):
        columns = term_columns(value, offsets)
        _last = (value, offsets, columns)
    return columns


class _Token(Token):  # type: ignore[misc]
    """Whoosh's Token, built without touching ``__dict__``.

    ``Token.__init__`` updates ``self.__dict__``, which makes CPython keep the attributes
    in a real dict: every attribute write in the token loops then costs about three times
    as much. Same attributes, same values.
    """

    def __init__(
        self, positions: bool = False, chars: bool = False, removestops: bool = True, mode: str = "", **kwargs: Any
    ) -> None:
        self.positions = positions
        self.chars = chars
        self.stopped = False
        self.boost = 1.0
        self.removestops = removestops
        self.mode = mode
        for name, value in kwargs.items():
            setattr(self, name, value)


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
    ) -> Tokens:
        token = _Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        if tokenize and not chars and not keeporiginal:  # how a reindex calls: no offsets
            # Whoosh's Positions format (title, text) asks for positions, its Frequency
            # format (the stem fields) for nothing but the terms.
            columns = _term_columns(value, offsets=False)
            if not positions:
                return Tokens(_texts_only(token, columns), (token, columns, None))
            return Tokens(_positions_only(token, columns, start_pos), (token, columns, start_pos))
        columns = _term_columns(value, offsets=True) if tokenize else Columns([value], [0], [len(value)], {})
        return Tokens(_tokens(token, columns, value, positions, chars, keeporiginal, start_pos, start_char))


class Tokens:
    """The Tokens of one text: an iterator, which ``PersianStemFilter`` may replace whole.

    At index time the stem filter does not need to see the tokens one by one: it
    stems the text's terms in one call and yields the stems itself (``stemmed``).
    """

    def __init__(self, tokens: Iterator[Token], fusable: tuple[Token, Columns, int | None] | None = None) -> None:
        self._tokens = tokens
        self._fusable = fusable  # what ``stemmed`` needs, when it may replace the tokens

    def __iter__(self) -> Iterator[Token]:
        return self._tokens

    def __next__(self) -> Token:
        return next(self._tokens)

    def stemmed(self, stemmer: Stemmer) -> Iterator[Token] | None:
        """The stem field's Tokens, straight from the terms; None when this stream is not fusable."""
        if self._fusable is None:
            return None
        token, columns, start_pos = self._fusable
        if start_pos is None:  # no positions asked for
            return _stems_only(token, columns, stemmer)
        return _stems_positions_only(token, columns, stemmer, start_pos)


def _positions_only(token: Token, columns: Columns, pos: int) -> Iterator[Token]:
    """``_tokens`` for a reindex (positions, no offsets), a plain run of terms at a time.

    One Token object reused: Whoosh's performance contract. ``boost`` and ``stopped``
    keep the values ``Token`` starts with: no filter of ours changes them.
    """
    texts, _, _, compounds = columns
    token.part = False
    done = 0
    for i, parts in compounds.items():
        for token.pos, token.text in enumerate(texts[done : i + 1], pos):
            yield token
        pos += i - done  # the compound's position: its parts follow from there
        token.part = True
        for token.pos, token.text in enumerate(parts, pos):
            yield token
        token.part = False
        pos += len(parts)
        done = i + 1
    for token.pos, token.text in enumerate(texts[done:], pos):
        yield token


def _texts_only(token: Token, columns: Columns) -> Iterator[Token]:
    """``_positions_only`` without the positions: what Whoosh's Frequency format asks for."""
    texts, _, _, compounds = columns
    token.part = False
    done = 0
    for i, parts in compounds.items():
        for token.text in texts[done : i + 1]:
            yield token
        token.part = True
        for token.text in parts:
            yield token
        token.part = False
        done = i + 1
    for token.text in texts[done:]:
        yield token


def _stems_positions_only(token: Token, columns: Columns, stemmer: Stemmer, pos: int) -> Iterator[Token]:
    """``PersianStemFilter`` over ``_positions_only``, with every stem looked up at once."""
    texts, _, _, compounds = columns
    stems = stemmer.many([*texts, *chain.from_iterable(compounds.values())])  # the parts' stems after the terms'
    part_stems = islice(stems, len(texts), None)
    token.part = False
    done = 0
    for i, parts in compounds.items():
        for token.pos, token.text in enumerate(stems[done : i + 1], pos):
            yield token
        pos += i - done
        compound = stems[i]
        token.part = True
        for token.pos, token.text in enumerate(islice(part_stems, len(parts)), pos):
            if token.text != compound:  # «کتاب‌ها»: the part «کتاب» would count the stem twice
                yield token
        token.part = False
        pos += len(parts)
        done = i + 1
    for token.pos, token.text in enumerate(stems[done : len(texts)], pos):
        yield token


def _stems_only(token: Token, columns: Columns, stemmer: Stemmer) -> Iterator[Token]:
    """``_stems_positions_only`` without the positions: ``_texts_only`` over the stems."""
    texts, _, _, compounds = columns
    stems = stemmer.many([*texts, *chain.from_iterable(compounds.values())])
    if not compounds:
        return _texts_only(token, Columns(stems, [], [], {}))
    part_stems = iter(stems[len(texts) :])
    parts = {  # as in ``_stems_positions_only``: no part whose stem is its compound's
        i: tuple([stem for stem in islice(part_stems, len(words)) if stem != stems[i]])
        for i, words in compounds.items()
    }
    return _texts_only(token, Columns(stems[: len(texts)], [], [], parts))


def _tokens(
    token: Token,
    columns: Columns,
    value: str,
    positions: bool,
    chars: bool,
    keeporiginal: bool,
    pos: int,
    start_char: int,
) -> Iterator[Token]:
    """The Tokens of a text's terms, with what the caller asked for: the general case."""
    texts, starts, ends, compounds = columns
    for i, (text, start, end) in enumerate(zip(texts, starts, ends, strict=True)):
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
        parts = compounds.get(i)
        if not parts:
            pos += 1
            continue
        for j, word in enumerate(parts):
            token.text = word
            token.part = True
            if positions:
                token.pos = pos + j
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
        if isinstance(tokens, Tokens):
            fused = tokens.stemmed(stem)
            if fused is not None:
                return fused
        return self._filter(tokens, stem)

    @staticmethod
    def _filter(tokens: Iterator[Token], stem: Stemmer) -> Iterator[Token]:
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
