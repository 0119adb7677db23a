"""The anchor: OpenSearch's own ``persian`` analyzer next to Kavosh's analysis, on one cluster.

``python -m bench.anchor --opensearch URL`` indexes the Hamshahri documents (read by Kavosh's own
readers, so both sides see the same text) into an index whose text fields use the engine's
built-in ``persian`` analyzer (analysis-common: Lucene's Persian normalization and stop words,
no stemming), runs the Hamshahri queries as one ``multi_match`` over title, lead and body (BM25,
the fields' scores summed, no boosts: the engine as it comes), and computes MAP, P@10 and nDCG@10
with the same qrels and ir-measures as ``kavosh evaluate``. Then it indexes one made-up article
per spelling of the product's spelling list (``tests/spellings.py``: ZWNJ, space, joined, Arabic
letters, NO-BREAK SPACE) and counts, for every spelling used as a query, how many of the word's
articles it finds: the variant-spelling hits.

The results go to ``var/bench/anchor.json``; ``docs/scaling.md`` shows them beside Kavosh's.
Only the standard library and ir-measures: it talks to the cluster's REST API directly.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterable, Sequence
from pathlib import Path
from types import ModuleType
from typing import Any

import ir_measures

from bench.corpus import ROOT, SHARED, load_articles
from search.evaluate import MEASURES, NAMES, read_queries

HAMSHAHRI = SHARED / "eval" / "hamshahri"
PERSIAN_INDEX = "anchor-persian"
SPELLING_INDEX = "anchor-persian-spellings"
FIELDS = ("title", "lead", "body")
#: The built-in analyzer on every text field: the engine's own Persian, nothing of Kavosh's.
MAPPING = {
    "settings": {"number_of_shards": 3, "number_of_replicas": 1},
    "mappings": {
        "properties": {"id": {"type": "keyword"}, **{f: {"type": "text", "analyzer": "persian"} for f in FIELDS}}
    },
}


def call(url: str, path: str, body: Any = None, method: str = "GET", ndjson: bool = False) -> Any:
    """One REST call; an HTTP error raises with the cluster's own message."""
    if body is None:
        data = None
    elif ndjson:
        data = "".join(json.dumps(line, ensure_ascii=False) + "\n" for line in body).encode("utf-8")
    else:
        data = json.dumps(body, ensure_ascii=False).encode("utf-8")
    req = urllib.request.Request(url + path, data=data, method=method)
    req.add_header("Content-Type", "application/x-ndjson" if ndjson else "application/json")
    try:
        with urllib.request.urlopen(req, timeout=120) as response:
            return json.loads(response.read().decode("utf-8"))
    except urllib.error.HTTPError as err:
        raise RuntimeError(f"{method} {path}: HTTP {err.code}: {err.read().decode('utf-8', 'replace')[:500]}") from err


def build(url: str, index: str, docs: Iterable[dict[str, str]], batch: int = 500) -> int:
    """A fresh ``index`` with ``MAPPING`` holding ``docs``; returns how many were indexed."""
    try:
        call(url, f"/{index}", method="DELETE")
    except RuntimeError as err:
        if "HTTP 404" not in str(err):
            raise
    call(url, f"/{index}", MAPPING, method="PUT")
    count, lines = 0, []
    for doc in docs:
        lines += [{"index": {"_index": index, "_id": doc["id"]}}, doc]
        count += 1
        if len(lines) >= 2 * batch:
            _bulk(url, lines)
            lines = []
    if lines:
        _bulk(url, lines)
    call(url, f"/{index}/_refresh", method="POST")
    return count


def _bulk(url: str, lines: list[dict[str, Any]]) -> None:
    answer = call(url, "/_bulk", lines, method="POST", ndjson=True)
    if answer.get("errors"):
        first = next(item for item in answer["items"] if "error" in next(iter(item.values())))
        raise RuntimeError(f"bulk indexing failed: {first}")


def search(url: str, index: str, text: str, size: int, operator: str = "or") -> list[tuple[str, float]]:
    """(id, score) of the best ``size`` documents for ``text`` over the three text fields."""
    query = {"multi_match": {"query": text, "fields": list(FIELDS), "type": "most_fields", "operator": operator}}
    answer = call(url, f"/{index}/_search", {"query": query, "size": size, "_source": False})
    return [(hit["_id"], float(hit["_score"])) for hit in answer["hits"]["hits"]]


def hamshahri_scores(url: str, index: str, queries: Sequence[tuple[str, str]], qrels_path: Path) -> dict[str, float]:
    """MAP, P@10, nDCG@10 of the persian-analyzer index, judged as ``kavosh evaluate`` judges."""
    run = [
        ir_measures.ScoredDoc(qid, docid, score)
        for qid, text in queries
        for docid, score in search(url, index, text, 1000)
    ]
    qrels = list(ir_measures.read_trec_qrels(str(qrels_path)))  # type: ignore[no-untyped-call]
    judged = {q.query_id for q in qrels}
    scores = ir_measures.calc_aggregate(MEASURES, qrels, [r for r in run if r.query_id in judged])
    return {NAMES[m]: round(float(scores[m]), 4) for m in MEASURES}


def spellings_module() -> ModuleType:
    """The product's spelling list (tests/spellings.py), the one the tests check Kavosh against."""
    spec = importlib.util.spec_from_file_location("spellings", ROOT / "tests" / "spellings.py")
    if spec is None or spec.loader is None:
        raise RuntimeError("tests/spellings.py not found")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def spelling_docs(spellings: dict[str, dict[str, str]], article_id: Any) -> list[dict[str, str]]:
    """One made-up article per spelling, the spelled word inside an unrelated sentence."""
    return [
        {
            "id": article_id(word, label),
            "title": f"گزارش {n}",
            "lead": "",
            "body": f"باران پاییزی بارید. {text} قطار رسید.",
        }
        for n, (word, label, text) in enumerate(
            ((w, lbl, t) for w, group in spellings.items() for lbl, t in group.items()), start=1
        )
    ]


def variant_hits(find: Any, spellings: dict[str, dict[str, str]], article_id: Any) -> dict[str, Any]:
    """For every spelling as a query, which of the word's articles in *other* spellings ``find`` returns.

    >>> groups = {"w": {"a": "x y", "b": "xy"}}
    >>> variant_hits(lambda text: ["w-a"] if text == "x y" else ["w-a", "w-b"], groups, lambda w, l: f"{w}-{l}")
    {'found': 1, 'possible': 2, 'own_spelling_found': 2, 'missed': ['w:a->b']}
    """
    found = possible = own = 0
    missed: list[str] = []
    for word, group in spellings.items():
        for label, text in group.items():
            got = set(find(text))
            own += article_id(word, label) in got
            for other in group:
                if other != label:
                    possible += 1
                    if article_id(word, other) in got:
                        found += 1
                    else:
                        missed.append(f"{word}:{label}->{other}")
    return {"found": found, "possible": possible, "own_spelling_found": own, "missed": missed}


def persian_anchor(url: str, hamshahri: Path = HAMSHAHRI) -> dict[str, Any]:
    """The engine's own analysis: Hamshahri scores and variant-spelling hits."""
    out: dict[str, Any] = {"analyzer": "persian (analysis-common)", "query": "multi_match most_fields title,lead,body"}
    loaded = load_articles([hamshahri / "docs"])
    started = time.monotonic()
    out["docs"] = build(url, PERSIAN_INDEX, ({"id": a.id, "title": a.title, "lead": a.lead, "body": a.body}
                                             for a in loaded.articles))  # fmt: skip
    out["index_seconds"] = round(time.monotonic() - started, 1)
    out.update(hamshahri_scores(url, PERSIAN_INDEX, read_queries(hamshahri / "queries.tsv"), hamshahri / "qrels.txt"))
    module = spellings_module()
    build(url, SPELLING_INDEX, spelling_docs(module.SPELLINGS, module.article_id))
    # every word of the spelling must match ("and"): a stop word alone is no hit
    out["variant_hits"] = variant_hits(
        lambda text: [d for d, _ in search(url, SPELLING_INDEX, text, 100, "and")], module.SPELLINGS, module.article_id
    )
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.anchor", description=__doc__.splitlines()[0])
    parser.add_argument("--opensearch", default="http://127.0.0.1:9200", help="A node's URL (default: make cluster's).")
    parser.add_argument("--hamshahri", type=Path, default=HAMSHAHRI, help="docs/, queries.tsv and qrels.txt.")
    parser.add_argument("--out", type=Path, default=ROOT / "var" / "bench" / "anchor.json")
    args = parser.parse_args(argv)
    if not (args.hamshahri / "qrels.txt").is_file():
        print(f"bench.anchor: no Hamshahri collection at {args.hamshahri}", file=sys.stderr)
        return 2
    url = args.opensearch.rstrip("/")
    results = {"persian": persian_anchor(url, args.hamshahri)}
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, ensure_ascii=False, indent=1), encoding="utf-8")
    print(json.dumps(results, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
