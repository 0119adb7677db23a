"""Each article's stems as its neighbours are found from (``indexer.neighbours``), gathered as a
reindex reads its files, and kept with the index for the next reindex.

An article's vector is made of the stems of its first ``READ_TERMS`` words of title, lead and body
(as the index stems them), counted: stem -> tf, in the order first met, so that ``nearest`` gets the
same input whichever run stemmed the article. A reindex keeps these counts beside the index it
publishes (``Generation.keep``, under ``KEPT``; written and published with the index, discarded
with it), and the next incremental reindex takes the kept articles' counts from there instead of
reading their files and stemming them again: only added and changed articles are read. Counts are
used only for an article of a file with the same content hash, and only when they were made by the
same analysis (``fingerprint``: this format, the stemmer, ``READ_TERMS``, the analysis code, hazm's
version); anything else is read again from its file.
"""

from __future__ import annotations

import hashlib
from array import array
from collections import Counter
from collections.abc import Collection, Iterable, Iterator, Mapping
from functools import cache
from itertools import chain
from pathlib import Path
from typing import Any

from backends.base import KeptUnreadable
from indexer.article import Article
from indexer.stem import DEFAULT_STEMMER, get_stemmer
from indexer.tokenize import term_columns

#: The words of an article (title, lead, body) its vector is made of: the first 500. A news article
#: says what it is about first; the tail of a long one (the median Hamshahri article has 330 words,
#: one in ten over 1,160) is a roundup's other items, an interview's detours, and made its vector
#: like unrelated articles. Hamshahri dev MAP with regularization 0.9070 reading everything, 0.9085 /
#: 0.9091 / 0.9101 / 0.9089 / 0.9063 reading 1,000 / 700 / 500 / 400 / 300; 5-fold CV over those
#: cuts 0.9088 (ten seeds 0.9096) against 0.9065 (docs/evaluation.md). None: every word.
READ_TERMS: int | None = 500

#: The name the counts are kept under beside the index (``Generation.keep``).
KEPT = "stems"
#: 4: numpy's arrays in a gzip stream (``indexer.kept_format``); 3 was the same arrays with headers
#: of our own in a zlib stream, 2 and 1 ``marshal``'s value: read as nothing kept.
KEPT_FORMAT = 4
#: Articles written or read at once: numpy calls per batch, their copies (a few MB) bounded by it. The
#: kept counts hold an array of pairs per batch, read so: changing it changes the format.
BATCH = 1024
#: What the stems depend on besides the stemmer's name: a change to any of these files makes the
#: kept counts another analysis's (they are then read again, once).
ANALYSIS_MODULES = ("normalize.py", "tokenize.py", "stem.py", "derived.py")

Counts = dict[str, int]


class Vectors:
    """The stem counts of the articles an index holds, by id: stemmed as a reindex reads them, or
    taken from what the previous reindex kept (``take_kept``).

    Held compactly, for a 100k-article reindex holds some 25 million (article, stem) counts: each
    stem once (``words``), and every article's stems as numbers and their counts in two flat
    arrays, article after article (a dict per article took about 50 bytes a count, these 6-8).
    ``docs`` reads them as plain ``stem -> count`` dicts.
    """

    def __init__(self, stemmer: str = DEFAULT_STEMMER, read: int | None = READ_TERMS) -> None:
        self._stemmer = stemmer
        self._stems = get_stemmer(stemmer)
        self._read = read
        self._numbers: dict[str, int] = {}  # stem -> its number
        self.words: list[str] = []  # number -> stem
        self.terms = array("i")  # each article's stems' numbers, in the order first met, article after article
        # their counts: within READ_TERMS words, two bytes do
        self.counts = array("H" if read is not None and read <= 0xFFFF else "I")
        self.starts = array("q", [0])  # where each article's stems begin in ``terms``; one more at the end
        self.rows: dict[str, int] = {}  # article id -> its place (0, 1, ...)
        self.docs: Mapping[str, Counts] = _Docs(self)

    @property
    def key(self) -> str:
        """What the counts depend on; kept counts with another key are ignored."""
        return f"{KEPT_FORMAT}:{self._stemmer}:{self._read}:{fingerprint()}"

    def add(self, article: Article) -> None:
        """Count the stems of ``article``'s first ``read`` words of title, lead and body (the first
        article of an id)."""
        if article.id not in self.rows:
            text = "\n\n".join(x for x in (article.title, article.lead, article.body) if x)
            self.count(article.id, self._stems.many(term_columns(text, offsets=False).texts[: self._read]))

    def count(self, ident: str, stems: list[str]) -> None:
        """Add the article ``ident`` whose first words stem to ``stems`` (``add``, once analysed; the first
        article of an id)."""
        if ident not in self.rows:
            counted = Counter(stems)
            self._append(ident, counted, counted.values())

    def _append(self, ident: str, stems: Collection[str], counts: Iterable[int]) -> None:
        """Add an article's stems (each once) and their counts."""
        numbers, words = self._numbers, self.words
        try:  # ``map`` over a dict's method: a loop in C
            numbered = list(map(numbers.__getitem__, stems))
        except KeyError:  # a stem not met before
            for stem in stems:
                if stem not in numbers:
                    numbers[stem] = len(words)
                    words.append(stem)
            numbered = list(map(numbers.__getitem__, stems))
        self.terms.fromlist(numbered)
        self.counts.extend(counts)
        self.rows[ident] = len(self.starts) - 1
        self.starts.append(len(self.terms))

    def read(self, path: Path, ids: set[str], fmt: str | None = None) -> str | None:
        """Add the articles of ``ids`` in corpus file ``path`` (one the index kept from an earlier run).

        A file that cannot be read any more adds none, and what went wrong is returned, so the
        reindex can say that those articles rank without their neighbours (they stay indexed)."""
        from indexer.readers import ReadError, read_file  # here: a search reads the table, never a file

        try:
            for item in read_file(path, fmt):
                if not isinstance(item, ReadError) and item.id in ids:
                    self.add(item)
        except ReadError as error:
            return error.message
        except OSError as error:
            return error.strerror or type(error).__name__
        return None

    def kept(self, files: Iterable[tuple[str, list[str]]]) -> bytes:
        """The counts of the articles of ``files`` ((content hash, ids) of each file), to keep with
        the index (``KEPT_FORMAT``, ``indexer.kept_format``): the same articles' counts give the
        same bytes, whatever order they were counted in and whatever else this holds.

        >>> vectors = Vectors(read=3)
        >>> vectors.count("a", ["سد", "کرج", "سد"])
        >>> vectors.count("b", ["کرج"])
        >>> again = Vectors(read=3)
        >>> again.take_kept(vectors.kept([("h1", ["a", "b"])]), {"a": "h1", "b": "h2"})
        1
        >>> dict(again.docs)
        {'a': {'سد': 2, 'کرج': 1}}
        """
        import numpy as np

        from indexer import kept_format

        ids: list[str] = []
        hashes: list[str] = []
        file_of: list[int] = []
        for digest, file_ids in files:
            held = [ident for ident in file_ids if ident in self.rows]  # not: a file that could not be read again
            if held:
                ids += held
                file_of += [len(hashes)] * len(held)
                hashes.append(digest)
        rows = np.fromiter(map(self.rows.__getitem__, ids), dtype=np.int64, count=len(ids))
        terms, counts, starts = self._arrays()
        lengths = starts[rows + 1] - starts[rows]
        # the stems renumbered in the order the kept articles first meet them, so that the bytes
        # depend on the articles alone, not on the order this met them in
        number = np.full(len(self.words), -1, dtype=np.int64)
        met: list[int] = []  # our numbers of the kept stems, in their new order
        for batch in _batches(len(rows)):
            stems = terms[_elements(starts, rows[batch])]
            fresh = stems[number[stems] < 0]
            unique, first = np.unique(fresh, return_index=True)
            unique = unique[np.argsort(first)]
            number[unique] = np.arange(len(met), len(met) + len(unique))
            met += unique.tolist()
        words = [self.words[i] for i in met]
        header = {"format": KEPT_FORMAT, "key": self.key, "ids": ids, "files": hashes, "words": words}
        pair = _pair(counts.dtype)

        def pairs() -> Iterator[Any]:  # a batch's, made as it is written
            for batch in _batches(len(rows)):
                at = _elements(starts, rows[batch])
                made = np.empty(len(at), dtype=pair)
                made["term"], made["count"] = number[terms[at]], counts[at]
                yield made

        places = np.concatenate([[0], np.cumsum(lengths)]).astype("<i8")
        return kept_format.write(header, chain([np.array(file_of, dtype="<i4"), places], pairs()))

    def _arrays(self) -> tuple[Any, Any, Any]:
        """(stem numbers, counts, starts): numpy views of the flat arrays."""
        import numpy as np

        return (
            np.frombuffer(self.terms, dtype=np.int32),
            np.frombuffer(self.counts, dtype=self.counts.typecode),
            np.frombuffer(self.starts, dtype=np.int64),
        )

    def gathered(self, ids: list[str]) -> tuple[Any, Any, Any]:
        """(stem numbers, counts, starts) of the articles ``ids`` in that order, as numpy arrays: views
        of the flat arrays when they are held in that order (a full reindex), else a copy."""
        import numpy as np

        terms, counts, starts = self._arrays()
        rows = np.fromiter((self.rows[ident] for ident in ids), dtype=np.int64, count=len(ids))
        if len(rows) == len(starts) - 1 and bool((rows == np.arange(len(rows))).all()):
            return terms, counts, starts
        lengths = starts[rows + 1] - starts[rows]
        into = np.zeros(len(rows) + 1, dtype=np.int64)
        np.cumsum(lengths, out=into[1:])
        out_terms = np.empty(int(into[-1]), dtype=np.int32)
        out_counts = np.empty(int(into[-1]), dtype=counts.dtype)
        for i, row in enumerate(rows.tolist()):
            out_terms[into[i] : into[i + 1]] = terms[starts[row] : starts[row + 1]]
            out_counts[into[i] : into[i + 1]] = counts[starts[row] : starts[row + 1]]
        return out_terms, out_counts, into

    def take_kept(self, data: bytes, wanted: dict[str, str]) -> int:
        """Add the kept counts (``kept``) of the articles ``wanted`` (id -> its file's content hash
        now) whose file had that hash and that this does not hold yet; how many. Counts of another
        format or key add none (those articles are read again), those an earlier version kept
        (``kept_format.earlier``) too; counts that cannot be read add none and raise
        ``KeptUnreadable``, saying why (the reindex reads those articles again and tells the operator).

        Read as they are decompressed, ``BATCH`` articles at a time: never the whole file's
        counts at once, nor a Python object per count."""
        import numpy as np

        from indexer import kept_format

        if kept_format.earlier(data):
            return 0
        held = (len(self.words), len(self.terms), len(self.starts))
        chosen: list[str] = []
        try:
            counts = kept_format.Reader(data)
            header = counts.header()
            if header["format"] != KEPT_FORMAT or header["key"] != self.key:
                return 0
            ids, files, words = header["ids"], header["files"], header["words"]
            file_of = counts.array(np.dtype("<i4"), len(ids))
            starts = counts.array(np.dtype("<i8"), len(ids) + 1)
            lengths = np.diff(starts)
            if starts[0] != 0 or (lengths < 0).any() or ((file_of < 0) | (file_of >= len(files))).any():
                raise ValueError("the articles' places are out of order or out of range")
            take = np.zeros(len(ids), dtype=bool)
            for row, (ident, file) in enumerate(zip(ids, file_of.tolist(), strict=True)):
                if wanted.get(ident) == files[file] and ident not in self.rows:
                    self.rows[ident] = -1  # held from here: an id twice in the kept counts is taken once
                    chosen.append(ident)
                    take[row] = True
            mine = np.fromiter(map(self._number, words), dtype=np.int32, count=len(words))
            pair = _pair(np.dtype(self.counts.typecode))
            for batch in _batches(len(ids)):
                pairs = counts.array(pair, int(lengths[batch].sum()))
                pairs = pairs[np.repeat(take[batch], lengths[batch])]
                if ((pairs["term"] < 0) | (pairs["term"] >= len(words))).any():
                    raise ValueError("a stem number out of range")
                self.terms.frombytes(mine[pairs["term"]].tobytes())
                self.counts.frombytes(pairs["count"].astype(self.counts.typecode).tobytes())
                self.starts.frombytes((len(self.terms) - len(pairs) + np.cumsum(lengths[batch][take[batch]])).tobytes())
            counts.end()
        except kept_format.DAMAGED as error:
            self._forget(held, chosen)
            raise KeptUnreadable(f"not kept stem counts ({type(error).__name__}: {error})") from None
        for row, ident in enumerate(chosen, start=held[2] - 1):
            self.rows[ident] = row
        return len(chosen)

    def _number(self, stem: str) -> int:
        """The number of ``stem``, numbered now if it is new."""
        number = self._numbers.get(stem)
        if number is None:
            number = self._numbers[stem] = len(self.words)
            self.words.append(stem)
        return number

    def _forget(self, held: tuple[int, int, int], ids: list[str]) -> None:
        """Back to when ``held`` (words, stems, articles) were held, without ``ids`` (being taken)."""
        words, terms, articles = held
        for stem in self.words[words:]:
            self._numbers.pop(stem, None)
        del self.words[words:], self.terms[terms:], self.counts[terms:], self.starts[articles:]
        for ident in ids:
            del self.rows[ident]


class _Docs(Mapping[str, Counts]):
    """``Vectors.docs``: id -> that article's ``stem -> count``, made when asked for."""

    def __init__(self, vectors: Vectors) -> None:
        self._vectors = vectors

    def __getitem__(self, ident: str) -> Counts:
        vectors = self._vectors
        row = vectors.rows[ident]
        span = slice(vectors.starts[row], vectors.starts[row + 1])
        words = vectors.words
        return {words[number]: count for number, count in zip(vectors.terms[span], vectors.counts[span], strict=True)}

    def __contains__(self, ident: object) -> bool:
        return ident in self._vectors.rows

    def __iter__(self) -> Iterator[str]:
        return iter(self._vectors.rows)

    def __len__(self) -> int:
        return len(self._vectors.rows)


def kept_articles(data: bytes) -> dict[str, str]:
    """The articles of kept counts (``Vectors.kept``): id -> its file's hash (for ``bench``).

    >>> vectors = Vectors()
    >>> vectors.count("a", ["سد"])
    >>> kept_articles(vectors.kept([("h1", ["a", "gone"])]))
    {'a': 'h1'}
    """
    import numpy as np

    from indexer import kept_format

    counts = kept_format.Reader(data)
    header = counts.header()
    file_of = counts.array(np.dtype("<i4"), len(header["ids"]))
    return {ident: header["files"][file] for ident, file in zip(header["ids"], file_of.tolist(), strict=True)}


def _batches(count: int) -> Iterator[slice]:
    return (slice(start, min(start + BATCH, count)) for start in range(0, count, BATCH))


def _elements(starts: Any, rows: Any) -> Any:
    """The places in the flat arrays of the stems of articles ``rows``, article after article."""
    import numpy as np

    lengths = starts[rows + 1] - starts[rows]
    into = np.repeat(starts[rows] - np.cumsum(lengths) + lengths, lengths)
    return into + np.arange(len(into))


def _pair(counts: Any) -> Any:
    """A kept (stem number, count) pair: little-endian, the counts as wide as ``counts``."""
    import numpy as np

    return np.dtype([("term", "<i4"), ("count", f"<u{counts.itemsize}")])


@cache
def fingerprint() -> str:
    """A digest of the analysis the stems come from: its modules' code and hazm's version."""
    from indexer.derived import _hazm_version

    digest = hashlib.sha256(_hazm_version().encode())
    folder = Path(__file__).parent
    for name in ANALYSIS_MODULES:
        digest.update((folder / name).read_bytes())
    return digest.hexdigest()[:16]
