"""Retrieval quality on the Hamshahri test collection in ../shared (5,375 judged articles).

Indexing takes about 90 seconds, once per session. Skipped where ../shared is absent.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result
from whoosh import query as q

from indexer.neighbours import KEY as NEIGHBOURS
from indexer.normalize import normalize
from search.engine import Engine, SearchRequest
from search.evaluate import read_queries
from search.snippets import FUNCTION_WORDS

Kavosh = Callable[..., Result]
HAMSHAHRI = Path(__file__).resolve().parents[1].parent / "shared" / "eval" / "hamshahri"

pytestmark = pytest.mark.skipif(
    not (HAMSHAHRI / "docs").is_dir(),
    reason=f"the Hamshahri collection {HAMSHAHRI} is absent (../shared not checked out)",
)


def test_every_document_indexed(kavosh: Kavosh, hamshahri_index: tuple[Path, str]) -> None:
    index, reindexed = hamshahri_index  # built once per run (tests/conftest.py)
    assert reindexed.startswith("indexed 5,375 articles from 5,375 files (hamshahri 5,375) into ")
    stats = json.loads(kavosh("stats", "--json", "--index", str(index)).stdout)
    assert (stats["documents"], len(stats["last_summary"]["skipped"])) == (5375, 0)


def _evaluate(kavosh: Kavosh, index: Path) -> dict[str, float]:
    result = kavosh("evaluate", "--queries", str(HAMSHAHRI / "queries.tsv"), "--qrels", str(HAMSHAHRI / "qrels.txt"),
                    "--index", str(index), "--json")  # fmt: skip
    assert result.exit_code == 0, result.output
    scores: dict[str, float] = json.loads(result.stdout)
    return scores


def test_map_at_least_0_908(kavosh: Kavosh, hamshahri_index: tuple[Path, str], monkeypatch: pytest.MonkeyPatch) -> None:
    # measured 0.9102, P@10 0.8720, nDCG@10 0.9432 with score regularization over the articles'
    # neighbours the reindex published with the index, 0.8926 without (docs/evaluation.md); word
    # associations are off by default, so the file (conftest switches it off) changes nothing
    assert NEIGHBOURS in Engine(hamshahri_index[0]).meta  # computed by the reindex itself
    monkeypatch.delenv("KAVOSH_NEIGHBOURS")  # conftest ranks other tests without them
    scores = _evaluate(kavosh, hamshahri_index[0])
    assert scores["MAP"] >= 0.908, scores  # builds with --procs differ in tie order by up to ~0.002


# --- forgiving how the query was typed, on real news (see test_forgiveness.py for the sample corpus) ---


@pytest.fixture(scope="module")
def engine(hamshahri_index: tuple[Path, str]) -> Engine:
    return Engine(hamshahri_index[0])


def _search(engine: Engine, query: str, limit: int = 10) -> dict[str, Any]:
    return engine.search(SearchRequest(query=query, limit=limit, facets=False, snippets=False))


def _ids(result: dict[str, Any]) -> list[str]:
    return [hit["id"] for hit in result["hits"]]


@pytest.mark.parametrize(
    ("typed", "meant"),
    [("hdvhk", "ایران"), ("jivhk", "تهران"), ("hdvhk jivhk", "ایران تهران"), ("غشاخخ", "yahoo")],
)
def test_wrong_keyboard_layout_is_read_on_the_other_layout(engine: Engine, typed: str, meant: str) -> None:
    result = _search(engine, typed)
    assert result["searched"] == {"query": meant, "original": typed, "reason": "keyboard"}
    assert _ids(result) == _ids(_search(engine, meant)) != []


def test_english_words_of_the_index_stay_english(engine: Engine) -> None:
    # «and» is «شدی» on the Persian layout, a word of the index too
    assert _search(engine, "and")["searched"] is None


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("زلذله", "زلزله"),
        ("فردوصی", "فردوسی"),
        ("هگمطانه", "هگمتانه"),
        ("قاچاقجی", "قاچاقچی"),
        ("فوتبل", "فوتبال"),
        ("ایرانتهران", "ایران تهران"),
    ],
)
def test_spelling_correction_from_the_index_vocabulary(engine: Engine, typed: str, meant: str) -> None:
    result = _search(engine, typed)
    offered = result["suggestion"] or (result["searched"] or {}).get("query")
    assert offered == meant


def _only(engine: Engine, present: str, absent: str) -> str:
    """An article that holds one spelling and not the other."""
    with engine._current().index.searcher() as searcher:  # the Whoosh backend's index
        query = q.AndNot(q.Term("text", present), q.Term("text", absent))
        hits = searcher.search(query, limit=1)
        assert hits, f"no article spells {present} without {absent}"
        return str(hits[0]["id"])


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("هیئت", "هیات"),
        ("مسئول", "مسوول"),
        ("رئیس", "رییس"),
        ("مسئله", "مساله"),
        ("ارائه", "ارایه"),
        ("آمریکا", "امریکا"),
        ("اتاق", "اطاق"),
    ],
)
def test_variant_spellings_find_each_other(engine: Engine, one: str, other: str) -> None:
    for typed, written, not_written in ((one, other, one), (other, one, other)):
        assert _only(engine, written, not_written) in _ids(_search(engine, typed, limit=1000)), (typed, written)


def test_distinct_words_with_and_without_madda_stay_apart(engine: Engine) -> None:
    # docs/analysis.md «Why آ is kept»: استان (province) and آستان (shrine) are different words
    assert _only(engine, "آستان", "استان") not in _ids(_search(engine, "استان", limit=1000))


def test_any_digits_find_the_same_documents(engine: Engine) -> None:
    found = [_ids(_search(engine, year, limit=100)) for year in ("1382", "۱۳۸۲", "١٣٨٢")]
    assert found[0] and found[0] == found[1] == found[2]


# --- snippets: why an article matched (issue 19 §2) ---------------------------------------------

_MARK = re.compile(r"<mark>(.*?)</mark>")


def test_first_page_snippets_show_marked_query_words(engine: Engine) -> None:
    """≥95% of first-page snippets hold a marked query word; ≤5% of marks are function words alone."""
    snippets = []
    for _, query in read_queries(HAMSHAHRI / "queries.tsv"):
        result = engine.search(SearchRequest(query=query, limit=10, facets=False))
        snippets += [(query, hit["snippet"]) for hit in result["hits"]]
    marks = [m for _, s in snippets for m in _MARK.findall(s)]
    function = [m for m in marks if all(w in FUNCTION_WORDS for w in normalize(m).replace("\u200c", "").split())]
    unmarked = [(q, s) for q, s in snippets if "<mark>" not in s]
    assert len(snippets) >= 200 and marks
    assert len(unmarked) <= 0.05 * len(snippets), unmarked[:5]
    assert len(function) <= 0.05 * len(marks), (len(function), len(marks), function[:20])
    # shown with Persian letters, as titles are
    assert not any(ch in s for _, s in snippets for ch in "يك\u00a0")
