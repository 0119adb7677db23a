"""Batch runs and TREC-style evaluation (MAP, P@10, nDCG@10 via ir-measures)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

import ir_measures
from ir_measures import AP, P, nDCG

from search.engine import Engine, SearchRequest

MEASURES = (AP, P @ 10, nDCG @ 10)
NAMES = {AP: "MAP", P @ 10: "P@10", nDCG @ 10: "nDCG@10"}


def read_queries(path: Path) -> list[tuple[str, str]]:
    """``qid<TAB>query`` lines; blank lines and lines starting with ``#`` skipped."""
    queries = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        qid, sep, text = line.partition("\t")
        if not sep:
            raise ValueError(f"{path}:{number}: expected qid<TAB>query")
        queries.append((qid.strip(), text.strip()))
    return queries


def run_lines(engine: Engine, queries: Iterable[tuple[str, str]], limit: int = 1000) -> Iterator[str]:
    """TREC run lines ``qid Q0 docid rank score kavosh`` for each query."""
    for qid, text in queries:
        result = engine.search(SearchRequest(query=text, limit=limit, facets=False, snippets=False))
        for rank, hit in enumerate(result["hits"], start=1):
            yield f"{qid} Q0 {hit['id']} {rank} {hit['score']} kavosh"


def evaluate(engine: Engine, queries_path: Path, qrels_path: Path) -> dict[str, float]:
    """MAP, P@10 and nDCG@10 of the engine on the given queries and judgements."""
    queries = read_queries(queries_path)
    run = [
        ir_measures.ScoredDoc(qid, docid, float(score))
        for qid, _, docid, _, score, _ in (line.split() for line in run_lines(engine, queries))
    ]
    qrels = list(ir_measures.read_trec_qrels(str(qrels_path)))  # type: ignore[no-untyped-call]
    judged = {q.query_id for q in qrels}
    run = [r for r in run if r.query_id in judged]
    scores = ir_measures.calc_aggregate(MEASURES, qrels, run)
    return {NAMES[m]: float(scores[m]) for m in MEASURES}
