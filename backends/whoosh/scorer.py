"""Score the queries ``search.query`` builds with numpy, over whole posting lists.

Why not Whoosh's own matchers: they score one posting at a time in Python, and a
ranked query here is wide (each word exact and stemmed in title and text, its
other spellings, then ten feedback stems), so over 12k articles a search took
100-600 ms, almost all of it in matchers, and ten times that at 100k. Here Whoosh
still reads and decodes every posting list (a block at a time), and holds the
statistics, lengths and columns; the arithmetic is done on arrays:

- a term scores BM25 exactly as Whoosh's ``BM25F`` scores one field (the same
  average length and one-byte document lengths; the idf is the searcher's, Lucene's
  with ``lower.weighting``), times its boost;
- ``Or`` adds the scores of the documents any part matches, ``And`` of those all
  parts match, ``AndMaybe`` adds the optional part where the required one
  matches, ``AndNot`` removes; as Whoosh's matchers do;
- ``Phrase`` decodes the positions of its words in the documents that hold them all and
  keeps those where the words stand one after the other (as Whoosh's phrase matcher does);
  it scores them as the sum of its words;
- ``DateRange`` compares the ``published`` column.

Facet counts, date order and the body groups are array operations on columns
read once per index generation (``Columns``). Posting lists are kept in a
bounded cache shared by all searches: segments never change once written.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
from whoosh import query as q
from whoosh.util.times import datetime_to_long

from backends.whoosh.blocks import BoundedCache, block_codec, block_ids, block_weights, segment_key, unfiltered
from backends.whoosh.positions import read_positions

Floats = npt.NDArray[np.float64]
Mask = npt.NDArray[np.bool_]
Ints = npt.NDArray[np.int32]
Longs = npt.NDArray[np.int64]
_log = logging.getLogger(__name__)

#: Posting lists kept in memory, in postings (8 bytes each): 64 MB.
CACHE_POSTINGS = 8_000_000
#: Document frequencies remembered per index generation.
CACHE_FREQUENCIES = 200_000


@dataclass(frozen=True)
class Scored:
    """Scores of every document (0 where it does not match) and which ones match."""

    scores: Floats
    mask: Mask


Postings = tuple[Ints, npt.NDArray[np.float32]]


class PostingsCache(BoundedCache[Postings]):
    """Decoded posting lists, keyed by segment, field and term, bounded by their postings."""

    def __init__(self, capacity: int = CACHE_POSTINGS) -> None:
        super().__init__(capacity, lambda found: len(found[0]))

    def postings(self, reader: Any, field: str, term: str) -> Postings:
        """(document numbers within the segment, term frequencies) of ``term``; empty when absent."""
        return self.get((*segment_key(reader), field, term), lambda: _read_postings(reader, field, term))


POSTINGS = PostingsCache()
_EMPTY = (np.zeros(0, np.int32), np.zeros(0, np.float32))


def _read_postings(reader: Any, field: str, term: str) -> tuple[Ints, npt.NDArray[np.float32]]:
    """A term's postings in one segment, deleted documents among them (``Columns.live`` drops them):
    all but those of the blocks wholly before the first live one's (see ``blocks.unfiltered``)."""
    if (field, term) not in reader:
        return _EMPTY
    matcher = unfiltered(reader.postings(field, term))  # deleted documents: see ``unfiltered``
    ids: list[Any] = []
    weights: list[Any] = []
    if block_codec(matcher):
        # Whoosh 3 codec: take each decoded block whole instead of a posting at a time
        while matcher.is_active():
            ids.append(block_ids(matcher).astype(np.int32))
            weights.append(block_weights(matcher))
            matcher._next_block()
    else:  # any other codec: the public, slower way
        while matcher.is_active():
            ids.append(np.asarray([matcher.id()], dtype=np.int32))
            weights.append(np.asarray([matcher.weight()], dtype=np.float32))
            matcher.next()
    if not ids:
        return _EMPTY
    return np.concatenate(ids), np.concatenate(weights)


_MISSING = 2**63


def leaves(searcher: Any) -> list[tuple[Any, int]]:
    """The searcher's segment readers and the document number each one starts at."""
    return list(searcher.reader().leaf_readers())


class Columns:
    """Per-document arrays of one index generation: live documents, lengths, dates, groups, facets.

    Read from the generation's ``COLUMNS`` file (``save_columns``, written by the reindex) where it
    has the array, else built on first use; kept until the engine opens another generation. Built,
    the facet pairs alone read every posting list of every facet value (seconds at 12k articles,
    every time a ``kavosh search`` process starts); read, a search loads only the arrays it uses.
    """

    def __init__(self, searcher: Any, saved: Path | None = None) -> None:
        # Arrays are read one by one as a search needs them, each with the file opened and closed:
        # an NpzFile kept open holds a file that only the cycle collector closes (ResourceWarning).
        self._saved = saved if saved is not None and saved.exists() else None
        self.size = int(searcher.doc_count_all())
        self.live: Mask = np.ones(self.size, dtype=np.bool_)
        for leaf, base in leaves(searcher):
            deleted = leaf.deleted_docs_set if hasattr(leaf, "deleted_docs_set") else leaf.deleted_docs()
            if deleted:
                self.live[base + np.fromiter(deleted, dtype=np.int64)] = False
        self._lock = threading.Lock()
        self._lengths: dict[str, Floats] = {}
        self._numbers: dict[str, npt.NDArray[np.int64]] = {}
        self._keys: dict[str, tuple[Ints, list[str]]] = {}
        self._pairs: dict[str, tuple[Ints, Ints, list[str]]] = {}
        self._frequencies: dict[tuple[str, str], int] = {}
        self._ids: list[str] | None = None

    def _stored(self, name: str) -> Any:
        """The array ``name`` of the generation's ``COLUMNS`` file, or None."""
        if self._saved is None:
            return None
        with np.load(self._saved) as saved:
            return saved[name] if name in saved.files else None

    def lengths(self, searcher: Any, field: str) -> Floats:
        """Each document's length of ``field`` as Whoosh scores it (0 when empty)."""
        with self._lock:
            found = self._lengths.get(field)
            if found is None:
                found = self._stored(f"lengths:{field}")
            if found is None:
                found = np.zeros(self.size, dtype=np.float64)
                for leaf, base in leaves(searcher):
                    count = leaf.doc_count_all()
                    found[base : base + count] = [leaf.doc_field_length(d, field, 0) or 0 for d in range(count)]
            self._lengths[field] = found
            return found

    def numbers(self, searcher: Any, field: str) -> npt.NDArray[np.int64]:
        """A numeric or date column as integers (Whoosh's own encoding; 0 when missing).

        Whoosh writes a missing date as the largest unsigned 64-bit number.
        """
        with self._lock:
            found = self._numbers.get(field)
            if found is None:
                found = self._stored(f"numbers:{field}")
            if found is None:
                found = np.zeros(self.size, dtype=np.int64)
                # segment by segment: a segment where no document has a value has no column, and
                # Whoosh's column over several segments leaves it out (the rest would shift)
                for leaf, base in leaves(searcher):
                    if leaf.has_column(field):
                        column = leaf.column_reader(field, translate=False)
                        found[base : base + len(column)] = [v if v and v < _MISSING else 0 for v in column]
            self._numbers[field] = found
            return found

    def keys(self, searcher: Any, field: str) -> tuple[Ints, list[str]]:
        """A one-value column as codes into the sorted list of its values ("" when missing)."""
        with self._lock:
            found = self._keys.get(field)
            # the file is read only for a column not yet held (reading it is a zip and an array)
            stored = self._stored(f"keys:{field}:codes") if found is None else None
            if found is None and stored is not None:
                found = (stored, self._stored(f"keys:{field}:names").tolist())
            if found is None:
                values = list(searcher.reader().column_reader(field))
                names = sorted(set(values))
                code = {name: i for i, name in enumerate(names)}
                found = (np.fromiter((code[v] for v in values), dtype=np.int32, count=self.size), names)
            self._keys[field] = found
            return found

    def pairs(self, searcher: Any, field: str) -> tuple[Ints, Ints, list[str]]:
        """(document, value code, values) of every indexed value of a facet field, values sorted."""
        with self._lock:
            found = self._pairs.get(field)
            stored = self._stored(f"pairs:{field}:docs") if found is None else None
            if found is None and stored is not None:
                names = self._stored(f"pairs:{field}:names").tolist()
                found = self._pairs[field] = (stored, self._stored(f"pairs:{field}:codes"), names)
            if found is None:
                names = sorted({str(t) for t in searcher.reader().field_terms(field)})
                docs: list[Ints] = []
                codes: list[Ints] = []
                for code, name in enumerate(names):
                    for leaf, base in leaves(searcher):
                        ids, _ = _read_postings(leaf, field, name)  # kept here, not in the shared cache
                        docs.append(ids + base)
                        codes.append(np.full(len(ids), code, dtype=np.int32))
                empty = np.zeros(0, np.int32)
                found = (
                    np.concatenate(docs).astype(np.int32) if docs else empty,
                    np.concatenate(codes) if codes else empty,
                    names,
                )
                self._pairs[field] = found
            return found

    def ids(self, searcher: Any) -> list[str]:
        """Each document's id by document number ("" for none): a re-ranking names the best
        ``Rerank.depth`` documents without decompressing their stored fields. Built from the ``id`` postings (a
        generation from before ``save_columns`` kept it), once per generation."""
        with self._lock:
            if self._ids is None:
                stored = self._stored("ids")
                if stored is not None:
                    self._ids = [str(i) for i in stored.tolist()]
                else:
                    found = [""] * self.size
                    for leaf, base in leaves(searcher):
                        for term in leaf.field_terms("id"):
                            for docnum in _read_postings(leaf, "id", term)[0].tolist():
                                found[base + docnum] = str(term)
                    self._ids = found
            return self._ids

    def doc_frequency(self, searcher: Any, field: str, term: str) -> int:
        """Whoosh's document frequency of a term, remembered: feedback asks for a thousand at a time."""
        key = (field, term)
        found = self._frequencies.get(key)
        if found is None:
            found = int(searcher.doc_frequency(field, term))
            if len(self._frequencies) >= CACHE_FREQUENCIES:
                self._frequencies.clear()
            self._frequencies[key] = found
        return found

    def count(self, searcher: Any, field: str, mask: Mask, limit: int | None = None) -> dict[str, int]:
        """How many matching documents hold each value of ``field`` (values held by none left out);
        with ``limit``, only the ``limit`` most frequent (ties by value; an empty value besides)."""
        docs, codes, names = self.pairs(searcher, field)
        counts = np.bincount(codes[mask[docs]], minlength=len(names))
        held = np.flatnonzero(counts)
        if limit is not None and len(held) > limit:
            # a tag facet holds thousands of values and a page shows 30: the rest are not made
            # into Python objects. Names are sorted, so code order is value order.
            ranked = held[np.lexsort((held, -counts[held]))]
            if names[0] == "" and held[0] == 0:  # no value (sorted first): never shown, it takes no place
                held = np.concatenate((held[:1], ranked[ranked != 0][:limit]))
            else:
                held = ranked[:limit]
        return dict(zip(map(names.__getitem__, held.tolist()), counts[held].tolist(), strict=True))


#: The file of a generation that holds its ``Columns`` (``save_columns``).
COLUMNS = "columns.npz"


def save_columns(searcher: Any, path: Path, facets: Sequence[str]) -> None:
    """Build every column a search may read (lengths of the scored fields, the dates, the body groups,
    the ``facets``) and write them to ``path`` (numpy's uncompressed ``.npz``), for ``Columns``."""
    columns = Columns(searcher)
    schema = searcher.schema
    arrays: dict[str, Any] = {}
    for field in schema.scorable_names():
        arrays[f"lengths:{field}"] = columns.lengths(searcher, field)
    if "id" in schema:
        arrays["ids"] = np.array(columns.ids(searcher), dtype=str)
    if "published" in schema:
        arrays["numbers:published"] = columns.numbers(searcher, "published")
    if "group" in schema:
        codes, names = columns.keys(searcher, "group")
        arrays |= {"keys:group:codes": codes, "keys:group:names": np.array(names, dtype=str)}
    for field in facets:
        if field in schema:
            docs, codes, names = columns.pairs(searcher, field)
            arrays |= {f"pairs:{field}:docs": docs, f"pairs:{field}:codes": codes,
                       f"pairs:{field}:names": np.array(names, dtype=str)}  # fmt: skip
    with path.open("wb") as out:
        np.savez(out, **arrays)


class Scorer:
    """Evaluates Whoosh query trees over one searcher into ``Scored`` arrays."""

    def __init__(self, searcher: Any, columns: Columns, b: float, k1: float) -> None:
        self.searcher = searcher
        self.leaves = leaves(searcher)
        self.columns = columns
        self.b = b
        self.k1 = k1
        self._terms: dict[tuple[str, str, float], tuple[Longs, Floats]] = {}

    def empty(self) -> Scored:
        return Scored(np.zeros(self.columns.size), np.zeros(self.columns.size, dtype=np.bool_))

    def every(self) -> Scored:
        return Scored(self.columns.live.astype(np.float64), self.columns.live.copy())

    def evaluate(self, query: q.Query | None) -> Scored:
        """Scores and matches of ``query`` (``None`` matches nothing); deleted documents never match."""
        if query is None:
            return self.empty()
        scored = self._node(query.normalize())
        mask = scored.mask & self.columns.live
        return Scored(scored.scores * mask, mask)

    def _node(self, node: q.Query) -> Scored:
        if isinstance(node, q.Term):
            return self._term(node.fieldname, node.text, node.boost)
        if isinstance(node, q.Or):
            return self._any(node.subqueries, node.boost)
        if isinstance(node, q.And):
            return self._combine([self._node(s) for s in node.subqueries], all_=True, boost=node.boost)
        if isinstance(node, q.AndMaybe):
            required, optional = self._node(node.a), self._node(node.b)
            return Scored(required.scores + optional.scores * required.mask, required.mask)
        if isinstance(node, q.AndNot):
            positive, negative = self._node(node.a), self._node(node.b)
            mask = positive.mask & ~negative.mask
            return Scored(positive.scores * mask, mask)
        if isinstance(node, q.Every):
            return self.every()
        if isinstance(node, q.DateRange):
            return self._date_range(node)
        if isinstance(node, q.Phrase):
            return self._phrase(node)
        if node is q.NullQuery or isinstance(node, type(q.NullQuery)):
            return self.empty()
        raise TypeError(f"backends.whoosh.scorer cannot score {type(node).__name__} queries")

    def _term(self, field: str, text: str, boost: float) -> Scored:
        docs, term_scores = self._postings_scores(field, text, boost)
        scores = np.zeros(self.columns.size)
        mask = np.zeros(self.columns.size, dtype=np.bool_)
        mask[docs] = True
        scores[docs] = term_scores
        return Scored(scores, mask)

    def _postings_scores(self, field: str, text: str, boost: float) -> tuple[Longs, Floats]:
        """(documents, scores) of one term, remembered for the search: a query names a word again
        in its compound and neighbour expansions («ایران خودرو» -> ایرانخودرو unless both words)."""
        key = (field, text, boost)
        found = self._terms.get(key)
        if found is not None:
            return found
        searcher = self.searcher
        scorable = searcher.schema[field].scorable
        if scorable:
            idf = searcher.idf(field, text)
            average = searcher.avg_field_length(field) or 1
            lengths = self.columns.lengths(searcher, field)
        all_docs: list[Longs] = []
        all_scores: list[Floats] = []
        for leaf, base in self.leaves:
            ids, weights = POSTINGS.postings(leaf, field, text)
            if not len(ids):
                continue
            docs = ids + base
            tf = weights.astype(np.float64)  # float32 arithmetic would drift from Whoosh's scores
            if scorable:
                norm = self.k1 * ((1 - self.b) + self.b * lengths[docs] / average)
                all_scores.append(boost * idf * (tf * (self.k1 + 1)) / (tf + norm))
            else:  # keywords: Whoosh scores the stored weight
                all_scores.append(boost * tf)
            all_docs.append(docs.astype(np.int64))
        found = (
            (np.concatenate(all_docs), np.concatenate(all_scores))
            if all_docs
            else (np.zeros(0, np.int64), np.zeros(0, np.float64))
        )
        self._terms[key] = found
        return found

    def _any(self, parts: Sequence[q.Query], boost: float) -> Scored:
        """``Or``: the sum of the parts' scores where any matches. A ranked query is an ``Or`` of
        dozens of terms, so the terms are not spread over arrays of every document one by one:
        all the parts' (document, score) pairs are summed by one ``bincount``, which adds them in
        the parts' order, the order ``_combine`` adds them in (the same sums, to the last bit)."""
        if not parts:
            return self.empty()
        docs: list[Longs] = []
        scores: list[Floats] = []
        for part in parts:
            if isinstance(part, q.Term):
                part_docs, part_scores = self._postings_scores(part.fieldname, part.text, part.boost)
            else:
                scored = self._node(part)
                part_docs = np.flatnonzero(scored.mask)
                part_scores = scored.scores[part_docs]
            docs.append(part_docs)
            scores.append(part_scores)
        every = np.concatenate(docs)
        mask = np.zeros(self.columns.size, dtype=np.bool_)
        mask[every] = True
        total = np.bincount(every, weights=np.concatenate(scores), minlength=self.columns.size)
        if boost != 1.0:
            total *= boost
        return Scored(total * mask, mask)

    def _combine(self, parts: Sequence[Scored], all_: bool, boost: float) -> Scored:
        if not parts:
            return self.empty()
        scores = np.zeros(self.columns.size)
        mask = parts[0].mask.copy()
        for part in parts:
            scores += part.scores
            if all_:
                mask &= part.mask
            else:
                mask |= part.mask
        if boost != 1.0:
            scores *= boost
        return Scored(scores * mask, mask)

    def _date_range(self, node: q.DateRange) -> Scored:
        values = self.columns.numbers(self.searcher, node.fieldname)
        mask = values != 0
        if node.startdate is not None:
            start = datetime_to_long(node.startdate)
            mask &= values > start if node.startexcl else values >= start
        if node.enddate is not None:
            end = datetime_to_long(node.enddate)
            mask &= values < end if node.endexcl else values <= end
        return Scored(np.zeros(self.columns.size), mask)

    def _phrase(self, node: q.Phrase) -> Scored:
        words = self._combine([self._term(node.fieldname, w, node.boost) for w in node.words], all_=True, boost=1.0)
        mask = np.zeros(self.columns.size, dtype=np.bool_)
        if node.slop != 1:  # words allowed between: Whoosh's span matcher decides
            docs = list(node.docs(self.searcher))
            if docs:
                mask[np.asarray(docs, dtype=np.int64)] = True
        else:
            mask[self._consecutive(node.fieldname, node.words, words.mask & self.columns.live)] = True
        return Scored(words.scores * mask, mask)

    def _consecutive(self, field: str, words: Sequence[str], candidates: Mask) -> Ints:
        """The candidate documents where ``words`` stand at consecutive positions.

        What Whoosh's phrase matcher (``SpanNear2``, slop 1) finds, but only the positions of
        the documents that hold every word are decoded, and they are matched as arrays: an
        occurrence of word k at position p is the key (document, p - k), and the phrase is in
        the documents whose keys all the words share.
        """
        keys: Longs | None = None
        for k, word in enumerate(words):
            found = []
            for leaf, base in self.leaves:
                docs, positions = read_positions(leaf, field, word, candidates[base : base + leaf.doc_count_all()])
                starts = positions >= k  # a phrase cannot start before the text does
                found.append(((docs[starts] + base) << 32) | (positions[starts] - k))
            key = _ascending(np.concatenate(found)) if found else np.zeros(0, np.int64)
            keys = key if keys is None else _common(keys, key)
            if not len(keys):
                break
            if k and k + 1 < len(words):  # the next words are read only where the phrase may still be
                candidates = np.zeros_like(candidates)
                candidates[keys >> 32] = True
        if keys is None:
            return np.zeros(0, np.int32)
        return _ascending(keys >> 32).astype(np.int32)


def _ascending(values: Longs) -> Longs:
    """``values`` sorted without repeats (``np.unique``), at no sorting cost when they already are:
    a term's (document, position) keys come out of its postings in order.

    >>> _ascending(np.array([1, 4, 4, 9])).tolist(), _ascending(np.array([5, 2, 5])).tolist()
    ([1, 4, 9], [2, 5])
    """
    if len(values) < 2:
        return values
    steps = values[1:] > values[:-1]
    if steps.all():
        return values
    if (values[1:] >= values[:-1]).all():  # in order, with repeats
        return values[np.concatenate(([True], steps))]
    return np.unique(values)


def _common(first: Longs, second: Longs) -> Longs:
    """The values in both of two sorted arrays without repeats (``np.intersect1d`` of them), by
    binary search of the shorter in the longer instead of sorting both together.

    >>> _common(np.array([1, 3, 5, 7]), np.array([3, 4, 7, 9, 11])).tolist()
    [3, 7]
    >>> _common(np.array([2]), np.array([], dtype=np.int64)).tolist()
    []
    """
    if len(first) > len(second):
        first, second = second, first
    if not len(first):
        return first
    at = np.minimum(np.searchsorted(second, first), len(second) - 1)
    found: Longs = first[second[at] == first]
    return found


def top(scored: Scored, count: int) -> list[int]:
    """The ``count`` best matching documents, best first; ties by document number."""
    docs = np.flatnonzero(scored.mask)
    if len(docs) > count:
        scores = scored.scores[docs]
        # the cut score, then everything at least that good, ordered exactly
        cut = np.partition(scores, len(scores) - count)[len(scores) - count]
        docs = docs[scores >= cut]
    order = np.lexsort((docs, -scored.scores[docs]))
    ranked: list[int] = docs[order][:count].tolist()  # Python ints at once: a re-ranked search takes 310
    return ranked


def by_date(columns: Columns, searcher: Any, mask: Mask, newest: bool, count: int) -> list[int]:
    """Matching documents by publication date (undated last either way); ties by document number."""
    docs = np.flatnonzero(mask)
    published = columns.numbers(searcher, "published")[docs]
    dated = published != 0
    order = np.lexsort((docs, -published if newest else published, ~dated))
    return [int(d) for d in docs[order][:count]]
