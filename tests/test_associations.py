"""Word associations: the file ``make associations`` writes (``indexer.associations``) and how a
search reads it (``search.associations``). Ranking with them: tests/test_ranking.py."""

from __future__ import annotations

import json
import logging
import marshal
import os
from pathlib import Path

import numpy as np
import pytest

from indexer.associations import main, nearest, paragraphs
from search import associations
from search.associations import associated, neighbours


def test_nearest_are_the_most_similar_other_words_above_the_least_similarity() -> None:
    vectors = np.array([[1.0, 0.0], [0.9, 0.1], [0.0, 1.0], [0.7, 0.7]])
    table = nearest(["نهنگ", "دلفین", "بورس", "دریا"], vectors, count=2, least=0.5)
    assert [w for w, _ in table["نهنگ"]] == ["دلفین", "دریا"]  # not itself, best first
    assert [w for w, _ in table["بورس"]] == ["دریا"]  # «نهنگ» and «دلفین» are below 0.5
    assert table["دلفین"][0][1] == pytest.approx(0.994, abs=1e-3)


def test_paragraphs_are_the_stems_of_each_line_of_three_words_or_more(tmp_path: Path) -> None:
    article = {"id": "a", "title": "نهنگ‌ها در ساحل", "body": "صیادان نهنگ‌ها را نجات دادند.\n\nکوتاه"}
    (tmp_path / "news.jsonl").write_text(json.dumps(article, ensure_ascii=False) + "\n", encoding="utf-8")
    found = list(paragraphs([tmp_path]))
    assert len(found) == 2  # «کوتاه» alone is too short to learn from
    assert "نهنگ" in found[0] and "نهنگ" in found[1]  # stems, as the index holds them


def test_a_missing_corpus_is_named_without_a_traceback(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main([str(tmp_path / "out.marshal"), str(tmp_path / "nowhere")]) == 1
    assert capsys.readouterr().err == f"indexer.associations: {tmp_path / 'nowhere'}: no such file or folder\n"
    assert main([str(tmp_path / "out.marshal"), str(tmp_path)]) == 1  # a folder without articles
    assert "no articles under" in capsys.readouterr().err


def test_a_missing_file_means_no_associations(tmp_path: Path) -> None:
    assert neighbours(tmp_path / "none.marshal") == {}


def test_a_file_that_is_not_associations_is_named_and_searches_go_on(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    bad = tmp_path / "associations.marshal"
    monkeypatch.setattr(associations, "CHECK_SECONDS", 0)  # each rewrite is seen at once
    for content, mtime in ((b"not marshal", 1), (marshal.dumps([1, 2]), 2), (marshal.dumps({"a": [1]}), 3)):
        bad.write_bytes(content)
        os.utime(bad, (mtime, mtime))  # each content is read afresh
        caplog.clear()
        with caplog.at_level(logging.WARNING, logger="search.associations"):
            assert neighbours(bad) == {}
            assert neighbours(bad) == {}  # named once, not at every search
        (message,) = [r.getMessage() for r in caplog.records]
        assert message.startswith(f"{bad}: not a word-associations file (")
        assert message.endswith("): run make associations; searching without word associations")


def test_a_rebuilt_file_is_read_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    file = tmp_path / "associations.marshal"
    file.write_bytes(marshal.dumps({"نهنگ": [("دلفین", 0.8)]}))
    assert neighbours(file) == {"نهنگ": [("دلفین", 0.8)]}
    file.write_bytes(marshal.dumps({"نهنگ": [("صید", 0.7)]}))
    os.utime(file, (1, 1))  # another modification time, as a rebuild gives
    assert neighbours(file) == {"نهنگ": [("دلفین", 0.8)]}  # not looked at again within the window
    monkeypatch.setattr(associations, "CHECK_SECONDS", 0)  # the window is over
    assert associated(["نهنگ"], neighbours(file), 5, 0.5) == [("صید", 0.7)]
