"""Each article's nearest articles by their words, for score regularization (``search.neighbours``).

Every reindex computes them (``indexer.build``) and publishes them with the index, in its
metadata (``KEY``), so they are always the index's own: each indexed article's stems of the first
words of title, lead and body (``indexer.vectors``: counted as the index stems them), each stem weighed
(1 + log tf) · log(N/df) (stems in one article or in over a tenth of them left out: they link
nothing or everything), and each article's NEIGHBOURS most cosine-similar articles. Comparing
every pair is quadratic; ``nearest`` prunes (each article meets those sharing one of its heaviest
stems where that stem weighs most, and the best of those are scored by their whole vectors), so its
time grows with the number of articles, its memory too (docs/performance.md#memory-of-the-neighbours-step).
"""

from __future__ import annotations

import base64
import marshal
import math
import zlib
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
ROWS = 4096  # documents weighed (``_matrix``) and pruned (``_heaviest_per_row``) at once
PAIRS = 8192  # candidate pairs whose cosines are computed at once
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
    return _packed(ids, near, similar)


def _packed(ids: Sequence[str], near: Any, similar: Any) -> str:
    """``pack`` of the arrays themselves: positions (int32), similarities (float32)."""
    import numpy as np

    near, similar = np.asarray(near, dtype=np.int32), np.asarray(similar, dtype=np.float32)
    data = marshal.dumps((FORMAT, list(ids), near.shape[1], near.tobytes(), similar.tobytes()))
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

    >>> from collections import Counter
    >>> docs = [["سد", "آب", "کرج"], ["سد", "آب", "برق"], ["فوتبال", "تیم"], ["تیم", "فوتبال", "آب"]]
    >>> nearest([Counter(doc) for doc in docs], 1)
    [[(1, 1.0)], [(0, 1.0)], [(3, 1.0)], [(2, 1.0)]]
    """
    near, similar = _nearest(_matrix(*_numbered(docs), max_df), count, terms, postings, candidates)
    return [
        [(other, float(value)) for other, value in zip(row_near, row_similar, strict=True) if other >= 0]
        for row_near, row_similar in zip(near.tolist(), similar.tolist(), strict=True)
    ]


def _nearest(matrix: Any, count: int, terms: int, postings: int, candidates: int) -> tuple[Any, Any]:
    """``nearest`` over the unit vectors ``matrix``: each row's neighbours' positions (-1 where there are
    fewer) and similarities (rounded to 3 places), two arrays of ``count`` columns."""
    import numpy as np
    from scipy import sparse

    n = matrix.shape[0]
    # Pruned all-pairs: a document meets only those that hold one of its ``terms`` heaviest stems
    # among the ``postings`` heaviest holders of that stem, scored by what those pairs share.
    heavy = sparse.vstack(
        [_heaviest_per_row(matrix[start : start + ROWS], terms) for start in range(0, n, ROWS)] or [matrix], "csr"
    )
    holders = _heaviest_per_row(heavy.T.tocsr(), postings)  # stem -> documents
    near = np.full((n, count), -1, dtype=np.int32)
    similar = np.zeros((n, count), dtype=np.float64)
    for start in range(0, n, BLOCK):
        block = matrix[start : start + BLOCK]
        similar_block = (heavy[start : start + BLOCK] @ holders).tocsr()
        rows: list[Any] = []
        picks: list[Any] = []
        for row in range(similar_block.shape[0]):
            lo, hi = similar_block.indptr[row], similar_block.indptr[row + 1]
            cols, values = similar_block.indices[lo:hi], similar_block.data[lo:hi]
            cols = cols[cols != start + row]  # not its own neighbour
            if len(cols) > candidates:
                cols = similar_block.indices[lo:hi][np.argpartition(-values, candidates)[: candidates + 1]]
                cols = cols[cols != start + row][:candidates]
            rows.append(np.full(len(cols), row))
            picks.append(cols)
        pairs_row, pairs_col = np.concatenate(rows), np.concatenate(picks)
        # the candidates scored by their whole vectors' cosine, PAIRS at a time (each pair's sum alone:
        # the same as all at once, without two copies of 50,000 rows)
        cosine = np.concatenate(
            [
                np.asarray(
                    block[pairs_row[at : at + PAIRS]].multiply(matrix[pairs_col[at : at + PAIRS]]).sum(axis=1)
                ).ravel()
                for at in range(0, len(pairs_row), PAIRS)
            ]
            or [np.zeros(0)]
        )
        bounds = np.cumsum([0] + [len(p) for p in picks])
        for row in range(similar_block.shape[0]):
            cols, values = pairs_col[bounds[row] : bounds[row + 1]], cosine[bounds[row] : bounds[row + 1]]
            order = np.lexsort((cols, -values))[:count]
            found = [(int(cols[j]), round(float(values[j]), 3)) for j in order if values[j] > 0]
            if found:
                near[start + row, : len(found)] = [other for other, _ in found]
                similar[start + row, : len(found)] = [value for _, value in found]
    return near, similar


def _numbered(docs: Sequence[Mapping[str, int]]) -> tuple[Any, Any, Any]:
    """Documents as ``Vectors.gathered`` gives them: (stem numbers, counts, where each document's begin)."""
    import numpy as np

    numbers: dict[str, int] = {}
    terms = [numbers.setdefault(term, len(numbers)) for doc in docs for term in doc]
    counts = [tf for doc in docs for tf in doc.values()]
    starts = np.cumsum([0] + [len(doc) for doc in docs])
    return np.array(terms, dtype=np.int32), np.array(counts, dtype=np.int64), starts


def _vectors(docs: Sequence[Mapping[str, int]], max_df: float) -> Any:
    """The documents' tf-idf vectors, (1 + log tf) · log(N/df), of unit length (a scipy CSR matrix)."""
    return _matrix(*_numbered(docs), max_df)


def _matrix(terms: Any, counts: Any, starts: Any, max_df: float) -> Any:
    """``_vectors`` of documents numbered (``_numbered``): a stem is a column in the order stems are first
    met in the documents (those kept), each weighed (1 + log tf) · log(N/df) with Python's ``math.log``,
    each row of unit length.

    Built ROWS documents at a time, by the same scipy operations a whole matrix took (each row's
    values come from that row alone), into arrays of the final size: the whole matrix built at once
    held its values as Python floats, then two more copies of it."""
    import numpy as np
    from scipy import sparse

    n = len(starts) - 1
    df = np.bincount(terms, minlength=int(terms.max()) + 1 if len(terms) else 0)  # a stem once per document
    weighed = (df >= 2) & (df <= max(2, max_df * n))
    # column numbers: the kept stems in the order first met
    column = np.full(len(df), -1, dtype=np.int64)
    columns = 0
    for start in range(0, n, ROWS):
        met = terms[starts[start] : starts[min(start + ROWS, n)]]
        met = met[weighed[met]]
        new = met[column[met] < 0]
        unique, first = np.unique(new, return_index=True)
        column[unique[np.argsort(first)]] = np.arange(columns, columns + len(unique))
        columns += len(unique)
    tf_weight = np.array([0.0] + [1 + math.log(tf) for tf in range(1, int(counts.max()) + 1 if len(counts) else 1)])
    idf_of_df = np.zeros(int(df.max()) + 1 if len(df) else 1)
    for value in np.unique(df[weighed]).tolist():
        idf_of_df[value] = math.log(n / value)
    idf = idf_of_df[df]
    size = int(np.count_nonzero(weighed[terms]))
    index = np.int32 if size < 2**31 and columns < 2**31 else np.int64
    data = np.empty(size, dtype=np.float64)
    indices = np.empty(size, dtype=index)
    indptr = np.zeros(n + 1, dtype=index)
    filled = 0
    for start in range(0, n, ROWS):
        stop = min(start + ROWS, n)
        met, tf = terms[starts[start] : starts[stop]], counts[starts[start] : starts[stop]]
        kept = weighed[met]
        rows = np.repeat(np.arange(stop - start), np.diff(starts[start : stop + 1]))[kept]
        met, tf = met[kept], tf[kept]
        part = sparse.csr_matrix((tf_weight[tf] * idf[met], (rows, column[met])), shape=(stop - start, columns))
        norms = np.sqrt(np.asarray(part.multiply(part).sum(axis=1)).ravel())
        part = (sparse.diags(1 / np.maximum(norms, 1e-12)) @ part).tocsr()
        data[filled : filled + part.nnz] = part.data
        indices[filled : filled + part.nnz] = part.indices
        indptr[start + 1 : stop + 1] = part.indptr[1:] + filled
        filled += part.nnz
    return sparse.csr_matrix((data[:filled], indices[:filled], indptr), shape=(n, columns))


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
    kept = [ident for ident in ids if ident in vectors.rows]
    if len(kept) < 2:
        return None
    matrix = _matrix(*vectors.gathered(kept), MAX_DF)
    return _packed(kept, *_nearest(matrix, NEIGHBOURS, TERMS, POSTINGS, CANDIDATES))
