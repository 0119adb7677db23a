"""Learn word associations from the corpora (``make associations``): word2vec over the stems.

``python -m indexer.associations OUT PATH...`` reads every article under the paths with the
project's readers, analyses title, lead and body with the index's stem analyzer (so the
associations are between index terms), trains gensim's word2vec (skip-gram) on the paragraphs,
and writes each stem's nearest neighbours with their cosine similarity to OUT as a ``marshal``
dict (read by ``search.associations``). Minutes on two cores for the 31 M characters of ../shared;
gensim is needed only here (``pip install -e '.[associations]'``).
"""

from __future__ import annotations

import argparse
import marshal
import sys
import time
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from indexer.analysis import stem_analyzer
from indexer.readers import ReadError, find_files, read_file
from indexer.stem import DEFAULT_STEMMER

#: word2vec settings: skip-gram suits rare words, which are the ones that name topics.
DIMENSIONS = 100
WINDOW = 5
MIN_COUNT = 5
EPOCHS = 5
SEED = 20
#: Neighbours kept per stem, and the least similarity worth keeping.
NEIGHBOURS = 10
LEAST_SIMILARITY = 0.4


def paragraphs(paths: Iterable[str | Path], stemmer: str = DEFAULT_STEMMER) -> Iterator[list[str]]:
    """The stems of each paragraph (title, lead, body lines) of every readable article under ``paths``."""
    analyzer = stem_analyzer(stemmer)
    for path in find_files(paths):
        try:
            for item in read_file(path):
                if isinstance(item, ReadError):
                    continue
                for line in "\n".join(x for x in (item.title, item.lead, item.body) if x).split("\n"):
                    stems = [t.text for t in analyzer(line) if not t.part]
                    if len(stems) > 2:
                        yield stems
        except ReadError:
            continue


def train(sentences: list[list[str]], workers: int = 2) -> Any:
    """A word2vec model of the stems (gensim, imported here only)."""
    from gensim.models import Word2Vec

    return Word2Vec(
        sentences, vector_size=DIMENSIONS, window=WINDOW, min_count=MIN_COUNT, sg=1, epochs=EPOCHS,
        workers=workers, seed=SEED,
    )  # fmt: skip


def nearest(words: list[str], vectors: Any, count: int = NEIGHBOURS, least: float = LEAST_SIMILARITY) -> dict[str, Any]:
    """Each word's ``count`` most similar words (cosine of the vectors, at least ``least``)."""
    import numpy as np

    unit = vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-9)
    unit = unit.astype(np.float32)
    table: dict[str, Any] = {}
    for start in range(0, len(words), 2048):
        similar = unit[start : start + 2048] @ unit.T
        for row, i in enumerate(range(start, min(start + 2048, len(words)))):
            similar[row, i] = -1.0  # not its own neighbour
        best = np.argpartition(-similar, count, axis=1)[:, :count]
        for row, picks in enumerate(best):
            picks = picks[np.argsort(-similar[row, picks])]
            kept = [(words[j], round(float(similar[row, j]), 3)) for j in picks if similar[row, j] >= least]
            if kept:
                table[words[start + row]] = kept
    return table


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m indexer.associations", description=__doc__.split("\n")[0])
    parser.add_argument("out", type=Path, help="the associations file to write")
    parser.add_argument("paths", nargs="+", help="corpus folders or files")
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args(argv)
    started = time.perf_counter()
    try:
        sentences = list(paragraphs(args.paths))
    except ReadError as err:  # a path that does not exist
        print(f"indexer.associations: {err}", file=sys.stderr)
        return 1
    if not sentences:
        print(f"indexer.associations: no articles under {' '.join(args.paths)}", file=sys.stderr)
        return 1
    model = train(sentences, args.workers)
    words = list(model.wv.index_to_key)
    table = nearest(words, model.wv.vectors)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    temporary = args.out.with_suffix(".tmp")
    temporary.write_bytes(marshal.dumps(table))
    temporary.replace(args.out)
    tokens = sum(map(len, sentences))
    seconds = time.perf_counter() - started
    print(f"{len(table):,} stems' associations from {tokens:,} stems in {seconds:.0f} s -> {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
