"""Batch runs and TREC-style evaluation (MAP, P@10, nDCG@10 via ir-measures)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

import ir_measures
from ir_measures import AP, P, nDCG

from search.crossval import FOLDS, SEED, Setting, applied, cross_validate, describe, folds
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
    qrels = read_qrels(qrels_path)
    return scores(qrels, list(run(engine, read_queries(queries_path), qrels)))


def read_qrels(path: Path) -> list[Any]:
    """TREC judgements (``qid 0 docid relevance`` lines)."""
    return list(ir_measures.read_trec_qrels(str(path)))  # type: ignore[no-untyped-call]


def run(engine: Engine, queries: Iterable[tuple[str, str]], qrels: Sequence[Any]) -> Iterator[Any]:
    """The engine's ranked documents for each judged query, as ir-measures reads them."""
    judged = {q.query_id for q in qrels}
    for line in run_lines(engine, ((qid, text) for qid, text in queries if qid in judged)):
        qid, _, docid, _, score, _ = line.split()
        yield ir_measures.ScoredDoc(qid, docid, float(score))


def scores(qrels: Sequence[Any], ranked: Sequence[Any]) -> dict[str, float]:
    """MAP, P@10 and nDCG@10 over the queries of ``qrels`` (a query with nothing found scores 0)."""
    found = ir_measures.calc_aggregate(MEASURES, qrels, ranked)
    return {NAMES[m]: float(found[m]) for m in MEASURES}


def average_precision(qrels: Sequence[Any], ranked: Sequence[Any]) -> dict[str, float]:
    """The AP of each judged query (0 for one with nothing found)."""
    found = {m.query_id: float(m.value) for m in ir_measures.iter_calc([AP], qrels, ranked)}
    return {qid: found.get(qid, 0.0) for qid in sorted({q.query_id for q in qrels})}


def tune(engine: Engine, queries_path: Path, qrels_path: Path, grid: Sequence[Setting]) -> dict[str, Any]:
    """The current settings' figures, each setting's MAP, and the MAP of choosing among ``grid`` by
    5-fold cross-validation (``search.crossval``; fewer folds for fewer queries): "CV MAP" on the
    fixed folds, "CV MAP 10" the mean over ten seeds of folds (how much it owes to one draw)."""
    qrels = read_qrels(qrels_path)
    queries = read_queries(queries_path)
    figures: dict[str, Any] = scores(qrels, list(run(engine, queries, qrels)))
    ap: dict[Setting, dict[str, float]] = {}
    for setting in grid:
        with applied(setting):
            ap[setting] = average_precision(qrels, list(run(engine, queries, qrels)))
    qids = sorted({q for found in ap.values() for q in found})
    k = min(FOLDS, len(qids))
    fixed = cross_validate(ap, folds(qids, k))
    seeds = [cross_validate(ap, folds(qids, k, seed=SEED + i)).map for i in range(10)]
    figures["CV MAP"] = fixed.map
    figures["CV MAP 10"] = sum(seeds) / len(seeds)
    figures["settings"] = [{"setting": describe(s), "MAP": sum(ap[s].values()) / len(ap[s])} for s in grid]
    figures["chosen"] = [describe(s) for s in fixed.chosen]
    return figures
