"""All the shared corpora in one index: the counts the issue names, clean facets.

Needs ``../shared`` (the real corpora may not be copied into the project);
skipped with the reason when it is absent. The index is built once, by the
command an operator would run, on a copy of the Hamshahri index the run builds anyway.
"""

from __future__ import annotations

import ast
import json
import shutil
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result
from corpora import unread_steps_skipped

from indexer.metadata import facet_key
from search.engine import Engine, SearchRequest
from search.query import Filters

SHARED = Path(__file__).resolve().parents[2] / "shared"
IR_NEWS = SHARED / "corpus" / "ir-news" / "Dataset"
HAMSHAHRI_DOCS = SHARED / "eval" / "hamshahri" / "docs"
pytestmark = pytest.mark.skipif(not SHARED.is_dir(), reason=f"the shared corpora are not at {SHARED}")


@pytest.fixture(scope="module")
def full_index(
    tmp_path_factory: pytest.TempPathFactory, kavosh: Any, hamshahri_index: tuple[Path, str]
) -> Iterator[tuple[Path, Result]]:
    """Every shared corpus indexed by one ``kavosh reindex``, run on a copy of the Hamshahri index.

    The Hamshahri index is built once per run anyway (``hamshahri_index``): the reindex finds its
    5,375 files unchanged and reads only the other corpora, as an operator's does who adds corpora
    to an index (a third of the suite's indexing, not done twice).
    The reindexes of this file skip the speaker pass and the neighbours step (``unread_steps_skipped``):
    no test here reads speakers or neighbours, and that step would stem the new articles' first words
    again and compare every article with every other (the Hamshahri articles' stem counts it would take
    from the copy's kept file, ``indexer.vectors``, without reading their files).
    """
    with unread_steps_skipped(neighbours=True):
        index = tmp_path_factory.mktemp("shared") / "index"
        shutil.copytree(hamshahri_index[0], index)
        result = kavosh("reindex", str(SHARED / "corpus"), str(HAMSHAHRI_DOCS), "--index", str(index), "--quiet")
        assert result.exit_code == 0, result.output
        yield index, result


def summary(index: Path) -> dict[str, Any]:
    return dict(Engine(index).meta["summary"])


def test_per_format_counts(full_index: tuple[Path, Result]) -> None:
    index, result = full_index
    formats = summary(index)["formats"]
    assert formats["irnews"] == 4840
    assert formats["hamshahri"] == 5375
    assert 1400 <= formats["farsnews"] < 1500  # Fars News repeats some links
    assert set(formats) == {"irnews", "farsnews", "hamshahri"}
    assert Engine(index).document_count() == sum(formats.values())
    assert result.stdout.startswith(f"indexed {sum(formats.values()):,} articles from ")
    # the Hamshahri files were found unchanged, the rest read and added
    second = result.stdout.splitlines()[1]
    assert second.startswith("incremental: ") and ", 5,375 unchanged, 0 gone; " in second
    assert second.endswith(f"{formats['irnews'] + formats['farsnews']:,} added, 0 changed, 0 removed, 5,375 unchanged")


def test_duplicates_are_counted(full_index: tuple[Path, Result]) -> None:
    duplicates = summary(full_index[0])["duplicates"]
    assert duplicates["url"] >= 125  # the ir-news copies, and Fars News repeats
    assert summary(full_index[0])["grouped"] >= 1  # same body under another URL
    assert "duplicates not indexed again: " in full_index[1].stdout


def test_nothing_was_skipped(full_index: tuple[Path, Result]) -> None:
    assert summary(full_index[0])["skipped"] == []


def test_stats_json(full_index: tuple[Path, Result], kavosh: Any) -> None:
    stats = json.loads(kavosh("stats", "--json", "--index", str(full_index[0])).stdout)
    assert stats["documents"] == sum(summary(full_index[0])["formats"].values())
    assert stats["sources"] >= 6  # five ir-news outlets, Fars News, Hamshahri
    assert stats["date_range"][0] < "2004" and stats["date_range"][1] > "2020"


def _tag_spellings() -> dict[str, set[str]]:
    """The raw tag spellings of the ir-news files, grouped by facet key."""
    groups: dict[str, set[str]] = defaultdict(set)
    for path in sorted(IR_NEWS.glob("*.txt")):
        header = path.read_text(encoding="utf-8").split("\n", 1)[0]
        for tag in ast.literal_eval(header.split("###")[-1].strip()):
            groups[facet_key(tag)].add(tag)
    return groups


def test_tag_variants_are_one_facet_value(full_index: tuple[Path, Result]) -> None:
    engine = Engine(full_index[0])
    variants = {key: spellings for key, spellings in _tag_spellings().items() if len(spellings) > 1}
    assert len(variants) >= 40
    checked = 0
    for spellings in list(variants.values())[:25]:
        found = set()
        for spelling in spellings:
            result = engine.search(SearchRequest(filters=Filters(tags=(spelling,)), limit=100, facets=False))
            found.add(frozenset(hit["id"] for hit in result["hits"]))
        assert len(found) == 1 and next(iter(found)), spellings  # every spelling finds the same articles
        checked += 1
    assert checked == 25


def test_the_tag_facet_shows_one_clean_label_per_tag(full_index: tuple[Path, Result]) -> None:
    labels = Engine(full_index[0]).meta["labels"]["tag"]
    assert len({facet_key(label) for label in labels.values()}) == len(labels)
    for label in labels.values():
        assert label == label.strip() and "\u0640" not in label and "ي" not in label and "ك" not in label


def test_a_second_reindex_reads_nothing(full_index: tuple[Path, Result], kavosh: Any) -> None:
    index = full_index[0]
    result = kavosh("reindex", str(SHARED / "corpus"), str(HAMSHAHRI_DOCS), "--index", str(index), "--quiet")
    assert result.exit_code == 0, result.output
    assert summary(index)["mode"] == "incremental"
    assert summary(index)["files_read"] == 0
    assert summary(index)["added"] == 0
