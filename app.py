"""The Kavosh web site: a right-to-left search page and a JSON API.

A thin shell over ``search``: parameters go through ``search.request``, results
come back as plain data, and every link a template shows (facet toggles, filter
chips, sort, pages) is built here, so templates only loop and print.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any
from urllib.parse import urlencode, urlsplit

from flask import Blueprint, Flask, current_app, render_template, request, url_for
from werkzeug.exceptions import HTTPException

from indexer.dates import format_jalali, parse_date, persian_digits
from indexer.metadata import facet_key
from indexer.normalize import fold_digits
from indexer.store import IndexMissing
from kavosh import index_location
from search.engine import FACET_SIZE, MAX_PAGE, Engine, month_display, public_result
from search.request import BadRequest, from_params

State = dict[str, list[str]]

#: The parameters a search URL keeps, in the order they are written.
PARAMS = ("q", "tag", "speaker", "source", "month", "since", "until", "sort", "limit", "page")
FACETS = {"tag": "برچسب", "speaker": "گوینده", "source": "منبع", "month": "ماه"}
FILTERS = {**FACETS, "since": "از", "until": "تا"}
FORM_KEEPS = ("tag", "speaker", "source", "month", "sort", "limit")  # hidden fields of the search form
SORTS = {"relevance": "مرتبط‌ترین", "newest": "جدیدترین", "oldest": "قدیمی‌ترین"}
_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")

bp = Blueprint("kavosh", __name__)


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """Defaults, then ``$KAVOSH_INDEX``, then ``config`` (tests pass their own index)."""
    app = Flask(__name__)
    app.config.from_mapping(INDEX=str(index_location()))
    if config:
        app.config.from_mapping(config)
    app.json.ensure_ascii = False  # type: ignore[attr-defined]  # Persian stays readable
    app.json.sort_keys = False  # type: ignore[attr-defined]  # keep the documented key order
    app.extensions["kavosh"] = Engine(app.config["INDEX"])
    app.add_template_filter(fa)
    app.add_template_filter(jalali)
    app.register_blueprint(bp)
    app.register_error_handler(IndexMissing, _index_missing)
    app.register_error_handler(HTTPException, _http_error)
    return app


def fa(value: object) -> str:
    """Persian digits; whole numbers get the Persian thousands separator (۱٬۲۳۴)."""
    if isinstance(value, int) and not isinstance(value, bool):
        value = f"{value:,}".replace(",", "٬")
    return persian_digits(value)


def jalali(iso: str | None) -> str:
    """«جمعه ۲۹ آذر ۱۳۹۸» for a stored ISO date; empty when there is none."""
    if not iso:
        return ""
    try:
        return format_jalali(parse_date(iso))
    except ValueError:
        return persian_digits(iso)


def _engine() -> Engine:
    engine: Engine = current_app.extensions["kavosh"]
    return engine


def _wants_json() -> bool:
    return request.path.startswith("/api/")


def _error(status: int, title: str, message: str, detail: str = "") -> tuple[Any, int]:
    if _wants_json():
        return {"error": detail or message}, status
    return render_template("error.html", title=title, message=message, detail=detail), status


def _index_missing(err: IndexMissing) -> tuple[Any, int]:
    return _error(503, "نمایه در دسترس نیست",
                  "هنوز نمایه‌ای برای جست‌وجو ساخته نشده است. با فرمان kavosh reindex آن را بسازید.",
                  str(err))


def _http_error(err: HTTPException) -> tuple[Any, int]:
    status = err.code or 500
    if status == 404:
        return _error(404, "پیدا نشد", "صفحه‌ای با این نشانی وجود ندارد.", "not found")
    return _error(status, "خطا", "درخواست انجام نشد.", err.description or err.name)


# --- URLs: all state lives in the query string -------------------------------------------


def _state(args: Mapping[str, Sequence[str]]) -> State:
    """The known parameters of a request, blanks dropped."""
    return {name: [v.strip() for v in args.get(name, []) if v.strip()] for name in PARAMS}


def _url(state: State, **changes: list[str]) -> str:
    """The search URL of ``state`` with ``changes``; any change but paging goes back to page 1."""
    new = {**state, "page": [], **changes}
    pairs = [(name, value) for name in PARAMS for value in new.get(name, [])]
    return url_for("kavosh.search_page") + ("?" + urlencode(pairs) if pairs else "")


def _same(facet: str, a: str, b: str) -> bool:
    """Whether two spellings name one facet value (as the engine matches them)."""
    if facet == "month":
        return fold_digits(a) == fold_digits(b)
    return facet_key(a) == facet_key(b)


def _toggle(state: State, facet: str, value: str) -> tuple[bool, str]:
    """Whether ``value`` is selected, and the URL that flips it."""
    current = state[facet]
    kept = [v for v in current if not _same(facet, v, value)]
    selected = len(kept) < len(current)
    return selected, _url(state, **{facet: kept if selected else [*current, value]})


def _chips(state: State) -> list[dict[str, str]]:
    """Each active filter, with the URL that removes it."""
    chips = []
    for name, title in FILTERS.items():
        for value in state[name]:
            label = value
            if name == "month" and re.fullmatch(r"\d{4}-\d{2}|undated", fold_digits(value)):
                label = month_display(fold_digits(value))
            chips.append({"name": title, "label": persian_digits(label),
                          "url": _url(state, **{name: [v for v in state[name] if v != value]})})
    return chips


def _search_link(facet: str, value: str) -> dict[str, str]:
    return {"label": value, "url": _url(_state({}), **{facet: [value]})}


def _safe_url(url: str) -> str:
    """Only web links leave the site (a corpus may hold ``javascript:`` URLs)."""
    return url if urlsplit(url).scheme.lower() in ("http", "https") else ""


# --- Pages ---------------------------------------------------------------------------------


def _hit(hit: Mapping[str, Any]) -> dict[str, Any]:
    return {
        **hit,
        "url": _safe_url(hit["url"]),
        "article_url": url_for("kavosh.article_page", ident=hit["id"]),
        "source": _search_link("source", hit["source"]) if hit["source"] else None,
        "tags": [_search_link("tag", t) for t in hit["tags"]],
        "speakers": [_search_link("speaker", s) for s in hit["speakers"]],
    }


def _facets(result: Mapping[str, Any], state: State) -> list[dict[str, Any]]:
    facets = []
    for name, title in FACETS.items():
        values = []
        for value in result["facets"].get(name, [])[:FACET_SIZE if name != "month" else None]:
            selected, toggle_url = _toggle(state, name, value["value"])
            values.append({**value, "selected": selected, "toggle_url": toggle_url})
        if values:
            facets.append({"name": name, "title": title, "results": values,
                           "truncated": len(result["facets"][name]) > len(values)})
    return facets


def _pages(result: Mapping[str, Any], state: State) -> dict[str, Any]:
    page, last = result["page"], min(result["pages"], MAX_PAGE)
    shown = sorted({1, last, *range(max(1, page - 2), min(last, page + 2) + 1)})
    numbers: list[dict[str, Any] | None] = []
    for n in shown:
        if numbers and numbers[-1] is not None and n - numbers[-1]["number"] > 1:
            numbers.append(None)  # a gap, shown as «…»
        numbers.append({"number": n, "url": _url(state, page=[str(n)]), "current": n == page})
    return {
        "numbers": numbers if last > 1 else [],
        "previous": _url(state, page=[str(min(page - 1, last))]) if page > 1 else "",
        "next": _url(state, page=[str(page + 1)]) if page < last else "",
    }


@bp.get("/")
def search_page() -> Any:
    state = _state(request.args.to_dict(flat=False))
    context: dict[str, Any] = {
        "q": next(iter(state["q"]), ""),
        "since": next(iter(state["since"]), ""),
        "until": next(iter(state["until"]), ""),
        "hidden": [(name, v) for name in FORM_KEEPS for v in state[name]],
        "chips": _chips(state),
        "clear_url": _url(state, **{name: [] for name in FILTERS}),
    }
    try:
        result = _engine().search(from_params(state))
    except BadRequest as err:
        return render_template("search.html", error=str(err), result=None, **context), 400
    sorts = [{"label": label, "url": _url(state, sort=[] if key == "relevance" else [key]),
              "selected": key == result["sort"]}
             for key, label in SORTS.items() if key != "relevance" or context["q"]]
    return render_template(
        "search.html", error="", result=result, sorts=sorts, facets=_facets(result, state),
        hits=[_hit(h) for h in result["hits"]], paging=_pages(result, state),
        milliseconds=max(1, round(result["seconds"] * 1000)), **context,
    )


@bp.get("/article/<path:ident>")
def article_page(ident: str) -> Any:
    article = _engine().article(ident)
    if article is None:
        return _error(404, "خبر پیدا نشد", "خبری با این شناسه در نمایه نیست.", f"no article {ident!r}")
    paragraphs = [p.strip() for p in _PARAGRAPH_BREAK.split(article["body"]) if p.strip()]
    return render_template(
        "article.html", article=article, paragraphs=paragraphs, url=_safe_url(article["url"]),
        source=_search_link("source", article["source"]) if article["source"] else None,
        tags=[_search_link("tag", t) for t in article["tags"]],
        speakers=[_search_link("speaker", s) for s in article["speakers"]],
    )


@bp.get("/api/search")
def api_search() -> Any:
    try:
        search_request = from_params(request.args.to_dict(flat=False))
    except BadRequest as err:
        return {"error": str(err)}, 400
    return public_result(_engine().search(search_request))


@bp.get("/api/article/<path:ident>")
def api_article(ident: str) -> Any:
    article = _engine().article(ident)
    if article is None:
        return {"error": f"no article with id {ident!r}"}, 404
    return article
