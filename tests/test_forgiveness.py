"""Forgiving how a query was typed, on the sample corpus (``corpus/``).

Wrong keyboard layout, misspellings, variant spellings and digits, through the
engine, the command line and the JSON API. The same features on the real
Hamshahri collection are tested in ``test_hamshahri_eval.py``.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

from app import create_app
from search.engine import Engine, SearchRequest
from search.keyboard import retype, to_latin, to_persian
from search.suggest import CONFUSIONS, lexicon, suggest, variants

Kavosh = Callable[..., Result]


@pytest.fixture(scope="module")
def engine(sample_index: Path) -> Engine:
    return Engine(sample_index)


def search(engine: Engine, query: str, **options: object) -> dict[str, object]:
    return engine.search(SearchRequest(query=query, limit=50, **options))  # type: ignore[arg-type]


def ids(result: dict[str, object]) -> list[str]:
    return [hit["id"] for hit in result["hits"]]  # type: ignore[attr-defined, index]


# --- the keyboard mapping (ISIRI 9147) ---------------------------------------------------------


def test_the_issues_examples_map_to_persian() -> None:
    assert (to_persian("hdvhk"), to_persian("jivhk")) == ("ایران", "تهران")


def test_every_persian_letter_has_a_key_and_maps_back() -> None:
    letters = "ابپتثجچحخدذرزژسشصضطظعغفقکگلمنوهیآ"
    typed = to_latin(letters)
    assert typed.isascii()
    assert to_persian(typed) == letters


def test_shifted_keys_give_the_hamza_letters() -> None:
    # Shift+S ئ, Shift+A ؤ, Shift+H آ, Shift+M ء, Shift+C ژ (Persian Standard layout)
    assert to_persian("SAHMC") == "ئؤآءژ"


def test_retype_keeps_english_words_and_known_words() -> None:
    found = {"شدی": 5, "ایران": 9}.get
    assert retype("and", lambda t: found(t, 0), lambda w: w == "and") is None
    assert retype("hdvhk", lambda t: found(t, 0) + (t == "hdvhk"), lambda w: False) is None  # indexed as typed


def test_retype_leaves_syntax_and_facet_values_alone() -> None:
    found = {"ایران": 9, "تهران": 4}.get
    retyped = retype('-title:"hdvhk jivhk" tag:hdvhk', lambda t: found(t, 0), lambda w: False)
    assert retyped == '-title:"ایران تهران" tag:hdvhk'


# --- keyboard layout through the engine ---------------------------------------------------------


def test_wrong_layout_query_searches_the_persian_words(engine: Engine) -> None:
    result = search(engine, "aivnhvd")  # شهرداری typed with the keyboard on English
    assert result["searched"] == {"query": "شهرداری", "original": "aivnhvd", "reason": "keyboard"}
    assert result["query"] == "aivnhvd"
    assert ids(result) == ids(search(engine, "شهرداری")) != []


def test_literal_searches_as_typed(engine: Engine) -> None:
    result = search(engine, "aivnhvd", literal=True)
    assert (result["searched"], result["suggestion"], result["total"]) == (None, None, 0)


def test_english_word_is_not_retyped(engine: Engine) -> None:
    assert search(engine, "and")["searched"] is None


def test_persian_query_is_not_retyped(engine: Engine) -> None:
    result = search(engine, "شهرداری")
    assert (result["searched"], result["suggestion"]) == (None, None)


# --- spelling suggestions ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("هواشناصی", "هواشناسی"),  # ص for س (same sound)
        ("کتابخانح", "کتابخانه"),  # ح for ه (same sound)
        ("ایستگا", "ایستگاه"),  # a dropped letter
        ("مریماحمدی", "مریم احمدی"),  # a missing space
        ("دریا کنار", "دریاکنار"),  # an extra space
    ],
)
def test_suggestion_for_a_misspelled_query(engine: Engine, typed: str, meant: str) -> None:
    assert suggest(typed, lexicon(engine._current())) == meant
    result = search(engine, typed)
    # offered, or (when the query as typed finds nothing) searched instead
    offered = result["suggestion"] or result["searched"]["query"]  # type: ignore[index]
    assert offered == meant


def test_query_that_finds_nothing_searches_the_correction(engine: Engine) -> None:
    result = search(engine, "ایستگا")
    assert result["searched"] == {"query": "ایستگاه", "original": "ایستگا", "reason": "spelling"}
    assert result["suggestion"] is None
    assert ids(result) == ids(search(engine, "ایستگاه")) != []


def test_a_correction_the_search_applied_is_said_once_not_offered(engine: Engine) -> None:
    # ح/ه: the index has no «کتابخانح», but the non-standard spelling one
    # confusion away from a standard word is searched as that word too: said, not asked
    result = search(engine, "کتابخانح")
    assert result["searched"] == {"query": "کتابخانه", "original": "کتابخانح", "reason": "spelling"}
    assert result["suggestion"] is None
    assert set(ids(result)) == set(ids(search(engine, "کتابخانه")))


def test_no_suggestion_for_words_of_the_index(engine: Engine) -> None:
    assert search(engine, "هواشناسی ایستگاه")["suggestion"] is None


def test_confusion_groups_are_the_issues() -> None:
    for group in ("ثسص", "ذزضظ", "تط", "هح", "قغ"):
        assert group in CONFUSIONS


# --- variant spellings ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "indexed"),
    [("رییس", "رئیس"), ("مسوولیت", "مسئولیت"), ("ارایه", "ارائه"), ("دایمی", "دائمی")],
)
def test_hamza_seat_spellings_find_each_other(engine: Engine, typed: str, indexed: str) -> None:
    found = ids(search(engine, typed))
    assert found and set(found) == set(ids(search(engine, indexed)))
    assert search(engine, typed)["suggestion"] is None  # another spelling is no misspelling
    assert variants(typed, lexicon(engine._current())) == [indexed]


def test_distinct_words_are_not_variants(engine: Engine) -> None:
    lex = lexicon(engine._current())
    assert "آستان" not in variants("استان", lex)
    assert variants("شهرداری", lex) == []


# --- digits --------------------------------------------------------------------------------------


def test_any_digits_find_the_same_documents(engine: Engine) -> None:
    found = [ids(search(engine, year)) for year in ("1402", "۱۴۰۲", "١٤٠٢")]
    assert found[0] and found[0] == found[1] == found[2]


# --- the command line and the API say what was searched ------------------------------------------


def test_cli_says_what_was_searched(kavosh: Kavosh, sample_index: Path) -> None:
    result = kavosh("search", "aivnhvd", "--index", str(sample_index), "--no-bidi")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("نتایج برای «شهرداری» (نوشته شده: «aivnhvd»")
    data = json.loads(kavosh("search", "aivnhvd", "--index", str(sample_index), "--json").stdout)
    assert data["searched"] == {"query": "شهرداری", "original": "aivnhvd", "reason": "keyboard"}
    assert data["suggestion"] is None
    literal = json.loads(kavosh("search", "aivnhvd", "--literal", "--index", str(sample_index), "--json").stdout)
    assert (literal["searched"], literal["total"]) == (None, 0)


def test_cli_says_the_correction_once(kavosh: Kavosh, sample_index: Path) -> None:
    result = kavosh("search", "کتابخانح", "--index", str(sample_index), "--no-bidi")
    assert "نتایج برای «کتابخانه»" in result.stdout
    assert "آیا منظور شما" not in result.stdout


def test_api_says_what_was_searched(sample_index: Path) -> None:
    client = create_app({"INDEX": str(sample_index), "TESTING": True}).test_client()
    data = client.get("/api/search", query_string={"q": "aivnhvd"}).get_json()
    assert data["searched"] == {"query": "شهرداری", "original": "aivnhvd", "reason": "keyboard"}
    data = client.get("/api/search", query_string={"q": "aivnhvd", "literal": "1"}).get_json()
    assert (data["searched"], data["total"]) == (None, 0)
    data = client.get("/api/search", query_string={"q": "کتابخانح"}).get_json()
    assert (data["searched"]["query"], data["suggestion"]) == ("کتابخانه", None)
    page = client.get("/", query_string={"q": "کتابخانح"}).get_data(as_text=True)
    assert page.count("کتابخانه</bdi>") == 1 and "آیا منظور شما" not in page  # said once, not asked
