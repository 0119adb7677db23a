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
from collections import Counter
from collections.abc import Iterable
from functools import cache
from pathlib import Path

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
KEPT_FORMAT = 2
#: What the stems depend on besides the stemmer's name: a change to any of these files makes the
#: kept counts another analysis's (they are then read again, once).
ANALYSIS_MODULES = ("normalize.py", "tokenize.py", "stem.py", "derived.py")

Counts = dict[str, int]


class Vectors:
    """The stem counts of the articles an index holds, by id: stemmed as a reindex reads them, or
    taken from what the previous reindex kept (``take_kept``)."""

    def __init__(self, stemmer: str = DEFAULT_STEMMER, read: int | None = READ_TERMS) -> None:
        self._stemmer = stemmer
        self._stems = get_stemmer(stemmer)
        self._read = read
        self.docs: dict[str, Counts] = {}

    @property
    def key(self) -> str:
        """What the counts depend on; kept counts with another key are ignored."""
        return f"{KEPT_FORMAT}:{self._stemmer}:{self._read}:{fingerprint()}"

    def add(self, article: Article) -> None:
        """Count the stems of ``article``'s first ``read`` words of title, lead and body (the first
        article of an id)."""
        if article.id not in self.docs:
            text = "\n\n".join(x for x in (article.title, article.lead, article.body) if x)
            stems = self._stems.many(term_columns(text, offsets=False).texts[: self._read])
            self.docs[article.id] = dict(Counter(stems))

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
        marshalled and compressed (marshal and zlib do it in C: a second at 12k articles).

        >>> vectors = Vectors(read=3)
        >>> vectors.docs = {"a": {"سد": 2, "کرج": 1}, "b": {"کرج": 1}}
        >>> again = Vectors(read=3)
        >>> again.take_kept(vectors.kept([("h1", ["a", "b"])]), {"a": "h1", "b": "h2"})
        1
        >>> again.docs
        {'a': {'سد': 2, 'کرج': 1}}
        """
        ids: list[str] = []
        hashes: list[str] = []
        for digest, file_ids in files:
            for ident in file_ids:
                if ident in self.docs:  # not: a file that could not be read again
                    ids.append(ident)
                    hashes.append(digest)
        stems = [tuple(self.docs[ident]) for ident in ids]
        counts = [tuple(self.docs[ident].values()) for ident in ids]
        return zlib.compress(marshal.dumps((KEPT_FORMAT, self.key, ids, hashes, stems, counts)), 3)

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
                (ident, dict(zip(doc_stems, doc_counts, strict=True)))
                for ident, digest, doc_stems, doc_counts in zip(ids, hashes, stems, counts, strict=True)
                if wanted.get(ident) == digest and ident not in self.docs
            ]
        except (TypeError, ValueError, EOFError) as error:
            raise KeptUnreadable(f"not counts ({type(error).__name__}: {error})") from None
        self.docs.update(found)
        return len(found)


@cache
def fingerprint() -> str:
    """A digest of the analysis the stems come from: its modules' code and hazm's version."""
    from indexer.derived import _hazm_version

    digest = hashlib.sha256(_hazm_version().encode())
    folder = Path(__file__).parent
    for name in ANALYSIS_MODULES:
        digest.update((folder / name).read_bytes())
    return digest.hexdigest()[:16]
