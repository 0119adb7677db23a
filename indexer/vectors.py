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
import marshal
import zlib
from array import array
from collections import Counter
from collections.abc import Collection, Iterable, Iterator, Mapping
from functools import cache
from pathlib import Path
from typing import Any

from backends.base import KeptUnreadable
from indexer import kept_stream
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
KEPT_FORMAT = 2
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
        the index: (format, key, ids, their files' hashes, each one's stems, their counts),
        marshalled and compressed. Written piece by piece (``kept_stream``): a marshalled whole
        would hold every article's counts as Python objects at once.

        >>> vectors = Vectors(read=3)
        >>> vectors.count("a", ["سد", "کرج", "سد"])
        >>> vectors.count("b", ["کرج"])
        >>> again = Vectors(read=3)
        >>> again.take_kept(vectors.kept([("h1", ["a", "b"])]), {"a": "h1", "b": "h2"})
        1
        >>> dict(again.docs)
        {'a': {'سد': 2, 'کرج': 1}}
        """
        ids: list[str] = []
        hashes: list[str] = []
        for digest, file_ids in files:
            for ident in file_ids:
                if ident in self.rows:  # not: a file that could not be read again
                    ids.append(ident)
                    hashes.append(digest)
        return kept_stream.dumps(KEPT_FORMAT, self.key, ids, hashes, self.words, self._spans(ids))

    def _spans(self, ids: list[str]) -> Iterator[tuple[Any, Any]]:
        """Each article's (stem numbers, counts), as numpy views of the flat arrays."""
        import numpy as np

        terms = np.frombuffer(self.terms, dtype=np.int32) if self.terms else np.zeros(0, np.int32)
        counts = np.frombuffer(self.counts, dtype=self.counts.typecode) if self.counts else np.zeros(0, np.uint16)
        starts, rows = self.starts, self.rows
        for ident in ids:
            row = rows[ident]
            yield terms[starts[row] : starts[row + 1]], counts[starts[row] : starts[row + 1]]

    def gathered(self, ids: list[str]) -> tuple[Any, Any, Any]:
        """(stem numbers, counts, starts) of the articles ``ids`` in that order, as numpy arrays: views
        of the flat arrays when they are held in that order (a full reindex), else a copy."""
        import numpy as np

        terms = np.frombuffer(self.terms, dtype=np.int32) if self.terms else np.zeros(0, np.int32)
        counts = np.frombuffer(self.counts, dtype=self.counts.typecode) if self.counts else np.zeros(0, np.uint16)
        starts = np.frombuffer(self.starts, dtype=np.int64)
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
        key add none (those articles are read again); counts that cannot be read add none and raise
        ``KeptUnreadable``, saying why (the reindex reads those articles again and tells the operator)."""
        try:
            unpacked = zlib.decompress(data)
        except zlib.error as error:
            raise KeptUnreadable(f"not compressed counts ({error})") from None
        try:
            version, key, ids, hashes, stems, counts = marshal.loads(unpacked)
            if version != KEPT_FORMAT or key != self.key:
                return 0
            found = [
                (ident, doc_stems, doc_counts)
                for ident, digest, doc_stems, doc_counts in zip(ids, hashes, stems, counts, strict=True)
                if wanted.get(ident) == digest and ident not in self.rows
            ]
            if any(len(doc_stems) != len(doc_counts) for _, doc_stems, doc_counts in found):
                raise ValueError("stems and counts differ in length")
        except (TypeError, ValueError, EOFError) as error:
            raise KeptUnreadable(f"not counts ({type(error).__name__}: {error})") from None
        del ids, hashes, stems, counts
        held = (len(self.words), len(self.terms), len(self.starts))
        added = 0
        try:
            for ident, doc_stems, doc_counts in found:
                if ident not in self.rows:  # an id twice in the kept counts: the first
                    self._append(ident, doc_stems, doc_counts)
                    added += 1
        except (TypeError, ValueError, OverflowError) as error:  # a stem or a count of another type
            self._forget(held, [ident for ident, _, _ in found])
            raise KeptUnreadable(f"not counts ({type(error).__name__}: {error})") from None
        return added

    def _forget(self, held: tuple[int, int, int], ids: list[str]) -> None:
        """Back to when ``held`` (words, stems, articles) were held, without any of ``ids`` added since."""
        words, terms, articles = held
        for stem in self.words[words:]:
            self._numbers.pop(stem, None)
        del self.words[words:], self.terms[terms:], self.counts[terms:], self.starts[articles:]
        for ident in ids:
            if self.rows.get(ident, -1) >= articles - 1:
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


@cache
def fingerprint() -> str:
    """A digest of the analysis the stems come from: its modules' code and hazm's version."""
    from indexer.derived import _hazm_version

    digest = hashlib.sha256(_hazm_version().encode())
    folder = Path(__file__).parent
    for name in ANALYSIS_MODULES:
        digest.update((folder / name).read_bytes())
    return digest.hexdigest()[:16]
