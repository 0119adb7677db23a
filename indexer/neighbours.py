"""Each article's nearest articles by their words, for score regularization (``search.neighbours``).

Every reindex computes them (``indexer.build``) and publishes them with the index, in its
metadata (``KEY``), so they are always the index's own: each indexed article's stems of the first
words of title, lead and body (``indexer.vectors``: counted as the index stems them), each stem weighed
(1 + log tf) · log(N/df) (stems in one article or in over a tenth of them left out: they link
nothing or everything), and each article's NEIGHBOURS most cosine-similar articles. Comparing
every pair is quadratic; ``nearest`` prunes (each article meets those sharing one of its heaviest
stems where that stem weighs most, and the best of those are scored by their whole vectors), so its
time grows with the number of articles: 13 CPU s at 12k, 134 at 100k (docs/evaluation.md).
"""

from __future__ import annotations

import base64
import marshal
import math
import zlib
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # a search reads the table through this module: it loads no analysis
    from indexer.vectors import Vectors

#: The key of the index metadata that holds the table (``pack``).
KEY = "neighbours"
FORMAT = 1

#: Neighbours kept per article (searches use up to this many).
NEIGHBOURS = 20
#: Stems in more than this share of the articles are left out of the vectors.
MAX_DF = 0.1
BLOCK = 512  # rows of the similarity matrix computed at once
#: Each article meets only the articles holding one of its TERMS heaviest stems, among the
#: POSTINGS articles where that stem weighs most (pruned all-pairs similarity): linear in the
#: number of articles, where comparing every pair is quadratic.
TERMS = 40
POSTINGS = 200
#: The best this many by the pruned score are scored again by their whole vectors.
CANDIDATES = 100


def pack(ids: Sequence[str], table: Sequence[Sequence[tuple[int, float]]], count: int = NEIGHBOURS) -> str:
    """The table (each article's (position, similarity) neighbours) as text for the index's metadata:
    the ids, then two arrays of ``count`` columns (positions, -1 where there are fewer; similarities).

    >>> unpack(pack(["a", "b"], [[(1, 0.5)], []], 2))[0]
    ['a', 'b']
    """
    import numpy as np

    near = np.full((len(ids), count), -1, dtype=np.int32)
    similar = np.zeros((len(ids), count), dtype=np.float32)
    for i, found in enumerate(table):
        for j, (other, similarity) in enumerate(found[:count]):
            near[i, j], similar[i, j] = other, similarity
    data = marshal.dumps((FORMAT, list(ids), count, near.tobytes(), similar.tobytes()))
    return base64.b64encode(zlib.compress(data, 6)).decode("ascii")


def unpack(text: str) -> tuple[list[str], Any, Any]:
    """(ids, positions, similarities) of a ``pack``ed table; ``ValueError`` when it is not one."""
    import numpy as np

    try:
        version, ids, count, near, similar = marshal.loads(zlib.decompress(base64.b64decode(text)))
        if version != FORMAT:
            raise ValueError(f"format {version}, not {FORMAT}")
        shape = (len(ids), count)
        return ids, np.frombuffer(near, np.int32).reshape(shape), np.frombuffer(similar, np.float32).reshape(shape)
    except (TypeError, ValueError, EOFError, zlib.error) as err:
        raise ValueError(f"not a table of neighbours ({err})") from err


def nearest(
    docs: Sequence[Mapping[str, int]],
    count: int = NEIGHBOURS,
    max_df: float = MAX_DF,
    terms: int = TERMS,
    postings: int = POSTINGS,
    candidates: int = CANDIDATES,
) -> list[list[tuple[int, float]]]:
    """Each document's ``count`` most similar others (cosine of tf-idf vectors, pruned), best first;
    a document is its stems' counts (stem -> tf, ``indexer.vectors``); «آب», in three of the four,
    links nothing here.

    >>> docs = [["سد", "آب", "کرج"], ["سد", "آب", "برق"], ["فوتبال", "تیم"], ["تیم", "فوتبال", "آب"]]
    >>> nearest([Counter(doc) for doc in docs], 1)
    [[(1, 1.0)], [(0, 1.0)], [(3, 1.0)], [(2, 1.0)]]
    """
    import numpy as np

    matrix = _vectors(docs, max_df)
    n = matrix.shape[0]
    # Pruned all-pairs: a document meets only those that hold one of its ``terms`` heaviest stems
    # among the ``postings`` heaviest holders of that stem, scored by what those pairs share.
    heavy = _heaviest_per_row(matrix, terms)
    holders = _heaviest_per_row(heavy.T.tocsr(), postings)  # stem -> documents
    table: list[list[tuple[int, float]]] = []
    for start in range(0, n, BLOCK):
        block = matrix[start : start + BLOCK]
        similar = (heavy[start : start + BLOCK] @ holders).tocsr()
        rows: list[Any] = []
        picks: list[Any] = []
        for row in range(similar.shape[0]):
            lo, hi = similar.indptr[row], similar.indptr[row + 1]
            cols, values = similar.indices[lo:hi], similar.data[lo:hi]
            cols = cols[cols != start + row]  # not its own neighbour
            if len(cols) > candidates:
                cols = similar.indices[lo:hi][np.argpartition(-values, candidates)[: candidates + 1]]
                cols = cols[cols != start + row][:candidates]
            rows.append(np.full(len(cols), row))
            picks.append(cols)
        pairs_row, pairs_col = np.concatenate(rows), np.concatenate(picks)
        # the candidates scored by their whole vectors' cosine
        cosine = np.asarray(block[pairs_row].multiply(matrix[pairs_col]).sum(axis=1)).ravel()
        bounds = np.cumsum([0] + [len(p) for p in picks])
        for row in range(similar.shape[0]):
            cols, values = pairs_col[bounds[row] : bounds[row + 1]], cosine[bounds[row] : bounds[row + 1]]
            order = np.lexsort((cols, -values))[:count]
            table.append([(int(cols[j]), round(float(values[j]), 3)) for j in order if values[j] > 0])
    return table


def _vectors(docs: Sequence[Mapping[str, int]], max_df: float) -> Any:
    """The documents' tf-idf vectors, (1 + log tf) · log(N/df), of unit length (a scipy CSR matrix)."""
    import numpy as np
    from scipy import sparse

    df = Counter(t for doc in docs for t in set(doc))
    n = len(docs)
    vocabulary: dict[str, int] = {}
    rows: list[int] = []
    cols: list[int] = []
    values: list[float] = []
    for i, doc in enumerate(docs):
        for term, tf in doc.items():
            if 2 <= df[term] <= max(2, max_df * n):
                rows.append(i)
                cols.append(vocabulary.setdefault(term, len(vocabulary)))
                values.append((1 + math.log(tf)) * math.log(n / df[term]))
    matrix = sparse.csr_matrix((values, (rows, cols)), shape=(n, len(vocabulary)))
    norms = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel())
    return (sparse.diags(1 / np.maximum(norms, 1e-12)) @ matrix).tocsr()


def _heaviest_per_row(matrix: Any, keep: int) -> Any:
    """``matrix`` (CSR) with only the ``keep`` largest values of each row."""
    import numpy as np

    matrix = matrix.tocsr(copy=True)
    matrix.sort_indices()
    lengths = np.diff(matrix.indptr)
    for row in np.flatnonzero(lengths > keep):
        lo, hi = matrix.indptr[row], matrix.indptr[row + 1]
        values = matrix.data[lo:hi]
        values[np.argpartition(-values, keep - 1)[keep:]] = 0.0
    matrix.eliminate_zeros()
    return matrix


def packed_table(vectors: Vectors, ids: Iterable[str]) -> str | None:
    """The ``pack``ed neighbours of the articles ``ids`` (their stems gathered in ``vectors``), or
    ``None`` when fewer than two are known."""
    kept = [ident for ident in ids if ident in vectors.docs]
    if len(kept) < 2:
        return None
    return pack(kept, nearest([vectors.docs[ident] for ident in kept]))
