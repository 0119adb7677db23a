"""``--part K/N``: which files one of N feeding machines reads (issue 15 §4).

The split itself is pure (``indexer.parts``); feeding one OpenSearch index from N parts is
tested against the cluster in tests/test_opensearch_reindex.py.
"""

from __future__ import annotations

import json
import random
import re
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result
from hypothesis import given
from hypothesis import strategies as st

from indexer.parts import WHOLE, Part, owner, parse_part, part_of
from indexer.readers import find_corpus_files

Kavosh = Callable[..., Result]
CORPUS = Path(__file__).resolve().parents[1] / "corpus"


@pytest.mark.parametrize(("text", "part"), [("1/1", WHOLE), ("2/3", Part(2, 3)), (" 3 / 3 ", Part(3, 3))])
def test_a_part_is_k_of_n(text: str, part: Part) -> None:
    assert parse_part(text) == part


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("3", "expected K/N"),
        ("a/b", "expected K/N"),
        ("-1/3", "expected K/N"),
        ("0/3", "K must be from 1 to N (3)"),
        ("4/3", "K must be from 1 to N (3)"),
        ("1/0", "N must be at least 1"),
    ],
)
def test_a_bad_part_says_what_is_wrong(text: str, says: str) -> None:
    with pytest.raises(ValueError, match=re.escape(f"--part {text}: {says}")):
        parse_part(text)


@given(st.text(min_size=1), st.integers(min_value=1, max_value=64))
def test_every_file_belongs_to_exactly_one_part(path: str, total: int) -> None:
    owners = [k for k in range(1, total + 1) if Part(k, total).holds(path)]
    assert owners == [part_of(path, total)]


def test_the_split_ignores_the_order_files_are_found_in_and_is_even() -> None:
    paths = [f"/archive/hamshahri/{year}/{n:05d}.json" for year in range(1996, 2008) for n in range(500)]
    shuffled = random.Random(7).sample(paths, len(paths))
    assert {p: part_of(p, 4) for p in paths} == {p: part_of(p, 4) for p in shuffled}
    sizes = Counter(part_of(p, 4) for p in paths)
    assert sorted(sizes) == [1, 2, 3, 4] and max(sizes.values()) < 1.1 * len(paths) / 4


def test_a_corpus_splits_alike_wherever_it_is_mounted(tmp_path: Path) -> None:
    # machines that mount one storage at different places must give every file the same part
    mounts = [tmp_path / "mnt" / "news", tmp_path / "data" / "archive" / "corpus"]
    for mount in mounts:
        for name in ("1402/a.jsonl", "1402/b.jsonl", "1403/c.json", "d.txt"):
            (mount / name).parent.mkdir(parents=True, exist_ok=True)
            (mount / name).write_text("x", encoding="utf-8")
    found = [list(find_corpus_files([mount])) for mount in mounts]
    assert [relative for _, relative in found[0]] == ["1402/a.jsonl", "1402/b.jsonl", "1403/c.json", "d.txt"]
    assert [r for _, r in found[0]] == [r for _, r in found[1]] and found[0][0][0] != found[1][0][0]
    assert list(find_corpus_files([mounts[1] / "1403" / "c.json"])) == [(mounts[1] / "1403" / "c.json", "c.json")]
    # a file another machine recorded under its own mount has the part its recorded path gives
    recorded = {str(path.resolve()): relative for path, relative in found[0]}
    assert all(owner(str(p.resolve()), {}, r) == owner(str(q.resolve()), recorded, "")
               for (p, r), (q, _) in zip(found[1], found[0], strict=True))  # fmt: skip
    assert owner("/old/manifest/x.json", {}, "") == "/old/manifest/x.json"  # recorded before relative paths


def test_a_file_whose_name_is_not_utf8_has_a_part() -> None:
    assert part_of("/news/\udcff.json", 3) in (1, 2, 3)


@pytest.mark.parametrize(
    ("part", "says"), [("4/3", "--part 4/3: K must be from 1 to N (3)"), ("x", "--part x: expected K/N")]
)
def test_the_cli_refuses_a_bad_part_in_one_line(kavosh: Kavosh, tmp_path: Path, part: str, says: str) -> None:
    result = kavosh("reindex", str(CORPUS), "--index", str(tmp_path / "index"), "--part", part)
    assert result.exit_code == 2
    assert result.stderr.strip().splitlines() == [f"kavosh: {says}, e.g. 2/3 for the second of three feeding machines"
                                                  if says.endswith("K/N") else f"kavosh: {says}"]  # fmt: skip
    assert not (tmp_path / "index").exists()


def test_parts_need_a_backend_many_machines_can_feed(kavosh: Kavosh, tmp_path: Path) -> None:
    result = kavosh("reindex", str(CORPUS), "--index", str(tmp_path / "index"), "--part", "1/2")
    assert result.exit_code == 2
    assert "--part 1/2:" in result.stderr and "use --backend opensearch" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and not (tmp_path / "index").exists()


def _recorded(index: Path) -> dict[str, str]:
    """Each file of the current generation's manifest (absolute path) -> the relative path it records."""
    from indexer.manifest import Manifest

    generation = index / (index / "CURRENT").read_text(encoding="utf-8").strip()
    return {path: entry.relative for path, entry in Manifest.load(generation).files.items()}


def _news(path: Path, ident: str, title: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    record = {"id": ident, "title": title, "body": f"{title}: گزارش کوتاه خبرنگار ما از شهر نمونه."}
    path.write_text(json.dumps(record, ensure_ascii=False) + "\n", encoding="utf-8")


def test_the_manifest_records_each_files_path_in_the_corpus_through_incremental_runs_and_a_move(
    tmp_path: Path,
) -> None:
    """Each entry records its file's path in the corpus folder when it is made (``indexer.build._index_file``):
    an incremental run keeps it for the files it leaves and records it for those it reads, and a run after
    the folder moved records the same paths under the new place. (A ``--part`` run: on the cluster, in
    tests/test_opensearch_reindex.py.)"""
    from indexer.build import reindex

    corpus, index = tmp_path / "corpus", tmp_path / "index"
    _news(corpus / "1402" / "a.jsonl", "a", "باران بهاری")
    _news(corpus / "1402" / "b.jsonl", "b", "نمایشگاه کتاب")
    _news(corpus / "c.jsonl", "c", "قطار شبانه")
    reindex([corpus], index)
    where = {str((corpus / r).resolve()): r for r in ("1402/a.jsonl", "1402/b.jsonl", "c.jsonl")}
    assert _recorded(index) == where
    _news(corpus / "1402" / "b.jsonl", "b", "نمایشگاه کتاب کودک")  # changed
    _news(corpus / "1403" / "d.jsonl", "d", "باغ انار")  # new
    summary = reindex([corpus], index)
    assert (summary.mode, summary.files_read, summary.files_unchanged) == ("incremental", 2, 2)
    where[str((corpus / "1403" / "d.jsonl").resolve())] = "1403/d.jsonl"
    assert _recorded(index) == where
    moved = tmp_path / "archive" / "news"
    moved.parent.mkdir()
    corpus.rename(moved)
    summary = reindex([moved], index)
    assert (summary.mode, summary.files_read, summary.files_removed) == ("incremental", 4, 4)
    assert _recorded(index) == {str((moved / r).resolve()): r for r in where.values()}
    # one file given alone: its path in the corpus is its name (``find_corpus_files``)
    reindex([moved / "1403" / "d.jsonl"], tmp_path / "alone")
    assert _recorded(tmp_path / "alone") == {str((moved / "1403" / "d.jsonl").resolve()): "d.jsonl"}


def test_a_reindex_records_the_path_in_the_corpus_an_older_manifest_left_out_without_reading_the_file(
    tmp_path: Path,
) -> None:
    # a manifest written before the relative path was recorded: unchanged files kept none, and their
    # part fell back to the absolute path (``parts.owner``)
    from indexer.build import reindex
    from indexer.manifest import Manifest

    corpus, index = tmp_path / "corpus", tmp_path / "index"
    _news(corpus / "1402" / "a.jsonl", "a", "باران بهاری")
    _news(corpus / "c.jsonl", "c", "قطار شبانه")
    reindex([corpus], index)
    generation = index / (index / "CURRENT").read_text(encoding="utf-8").strip()
    older = Manifest.load(generation)
    for entry in older.files.values():
        entry.relative = ""
    older.save(generation)
    assert '"relative"' not in (generation / Manifest.FILE).read_text(encoding="utf-8")  # as it was written then
    assert set(_recorded(index).values()) == {""}
    _news(corpus / "c.jsonl", "c", "قطار شبانه تهران")  # changed: read again, its path recorded as it is read
    summary = reindex([corpus], index)
    assert (summary.mode, summary.files_read, summary.files_unchanged, summary.added) == ("incremental", 1, 1, 1)
    assert _recorded(index) == {str((corpus / r).resolve()): r for r in ("1402/a.jsonl", "c.jsonl")}
