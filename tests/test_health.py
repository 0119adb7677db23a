"""``/healthz``: what a load balancer or monitor asks. The cluster's yellow and down are in test_faults.py."""

from __future__ import annotations

from pathlib import Path

from app import create_app
from search.engine import Engine


def test_healthz_is_green_on_a_whoosh_index(sample_index: Path) -> None:
    client = create_app({"TESTING": True, "INDEX": str(sample_index)}).test_client()
    answer = client.get("/healthz")
    assert answer.status_code == 200
    documents = Engine(sample_index).document_count()
    assert documents > 0
    assert answer.get_json() == {"status": "green", "backend": "whoosh", "documents": documents}


def test_healthz_without_an_index_is_503_with_the_reason(tmp_path: Path) -> None:
    client = create_app({"TESTING": True, "INDEX": str(tmp_path / "none")}).test_client()
    answer = client.get("/healthz")
    assert answer.status_code == 503
    body = answer.get_json()
    assert body["status"] == "no index"
    assert str(tmp_path / "none") in body["error"]
