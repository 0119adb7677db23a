"""Each article's nearest articles by their words (``make neighbours``), for score regularization.

``python -m indexer.neighbours OUT PATH...`` reads every article under the paths with the project's
readers, stems title, lead and body as the index does, weighs each stem (1 + log tf) · log(N/df)
(stems in one article or in over a tenth of them left out: they link nothing or everything),
and writes each article's NEIGHBOURS most cosine-similar articles to OUT as a ``marshal`` dict
{id: [(id, similarity), ...]} (read by ``search.neighbours``). Seconds for the 5,375 Hamshahri
articles; the similarity is computed a block of rows at a time, so memory stays at a block times
the number of articles. Needs scipy (``pip install -e '.[neighbours]'``).
"""

from __future__ import annotations

import argparse
import marshal
import math
import sys
import time
from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from indexer.readers import ReadError, find_files, read_file
from indexer.stem import DEFAULT_STEMMER, get_stemmer
from indexer.tokenize import term_columns

#: Neighbours kept per article (searches use up to this many).
NEIGHBOURS = 20
#: Stems in more than this share of the articles are left out of the vectors.
MAX_DF = 0.1
BLOCK = 512  # rows of the similarity matrix computed at once


def articles(paths: Iterable[str | Path], stemmer: str = DEFAULT_STEMMER) -> list[tuple[str, list[str]]]:
    """(id, stems of title, lead and body) of every readable article with a body, first copy of an id."""
    stems = get_stemmer(stemmer)
    found: list[tuple[str, list[str]]] = []
    seen: set[str] = set()
    for path in find_files(paths):
        try:
            for item in read_file(path):
                if isinstance(item, ReadError) or not item.body or item.id in seen:
                    continue
                seen.add(item.id)
                text = "\n\n".join(x for x in (item.title, item.lead, item.body) if x)
                found.append((item.id, stems.many(term_columns(text, offsets=False).texts)))
        except ReadError as err:
            if not Path(path).exists():
                raise
            print(f"indexer.neighbours: skipped {err}", file=sys.stderr)
    return found


def nearest(
    docs: Sequence[Sequence[str]], count: int = NEIGHBOURS, max_df: float = MAX_DF
) -> list[list[tuple[int, float]]]:
    """Each document's ``count`` most similar others (cosine of tf-idf vectors), best first; «آب»,
    in three of the four, links nothing here.

    >>> nearest([["سد", "آب", "کرج"], ["سد", "آب", "برق"], ["فوتبال", "تیم"], ["تیم", "فوتبال", "آب"]], 1)
    [[(1, 1.0)], [(0, 1.0)], [(3, 1.0)], [(2, 1.0)]]
    """
    import numpy as np
    from scipy import sparse

    df = Counter(t for doc in docs for t in set(doc))
    n = len(docs)
    vocabulary: dict[str, int] = {}
    rows: list[int] = []
    cols: list[int] = []
    values: list[float] = []
    for i, doc in enumerate(docs):
        for term, tf in Counter(doc).items():
            if 2 <= df[term] <= max(2, max_df * n):
                rows.append(i)
                cols.append(vocabulary.setdefault(term, len(vocabulary)))
                values.append((1 + math.log(tf)) * math.log(n / df[term]))
    matrix = sparse.csr_matrix((values, (rows, cols)), shape=(n, len(vocabulary)))
    norms = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel())
    matrix = sparse.diags(1 / np.maximum(norms, 1e-12)) @ matrix
    transposed = matrix.T.tocsc()
    table: list[list[tuple[int, float]]] = []
    for start in range(0, n, BLOCK):
        similar = (matrix[start : start + BLOCK] @ transposed).toarray()
        for row in range(similar.shape[0]):
            similar[row, start + row] = 0.0  # not its own neighbour
        keep = min(count, n - 1)
        best = np.argpartition(-similar, keep - 1, axis=1)[:, :keep] if keep > 0 else np.zeros((len(similar), 0), int)
        for row, picks in enumerate(best):
            picks = picks[np.argsort(-similar[row, picks], kind="stable")]
            table.append([(int(j), round(float(similar[row, j]), 3)) for j in picks if similar[row, j] > 0])
    return table


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m indexer.neighbours", description=__doc__.split("\n")[0])
    parser.add_argument("out", type=Path, help="the neighbours file to write")
    parser.add_argument("paths", nargs="+", help="corpus folders or files (those the index was built from)")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    try:
        found = articles(args.paths)
    except ReadError as err:  # a path that does not exist
        print(f"indexer.neighbours: {err}", file=sys.stderr)
        return 1
    if len(found) < 2:
        print(f"indexer.neighbours: fewer than two articles under {' '.join(args.paths)}", file=sys.stderr)
        return 1
    ids = [ident for ident, _ in found]
    table: dict[str, Any] = {
        ids[i]: [(ids[j], s) for j, s in near] for i, near in enumerate(nearest([stems for _, stems in found]))
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    temporary = args.out.with_suffix(".tmp")
    temporary.write_bytes(marshal.dumps(table))
    temporary.replace(args.out)
    print(f"{len(table):,} articles' neighbours in {time.perf_counter() - started:.0f} s -> {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
