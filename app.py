"""The Kavosh web site: a right-to-left search page, article pages, a JSON API, OpenSearch and Atom.

A thin shell over ``search``: parameters go through ``search.request``, results
come back as plain data, and every link a template shows (facet toggles, filter
chips, sort, pages) is built here, so templates only loop and print.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlencode, urlsplit

from flask import Blueprint, Flask, Response, current_app, g, render_template, request, url_for
from werkzeug.exceptions import HTTPException

from backends import Config
from backends.base import UNDATED, BackendUnavailable, IndexMissing
from indexer.article import drop_control_characters
from indexer.dates import format_jalali, month_label, parse_date, persian_digits, to_jalali
from indexer.metadata import facet_key
from indexer.normalize import fold_digits
from kavosh import DEFAULT_INDEX
from search.engine import FACET_SIZE, MAX_PAGE, Engine, SearchRequest, month_display, public_result
from search.request import BadRequest, from_params

State = dict[str, list[str]]

#: Settings; each can be overridden by a ``KAVOSH_<NAME>`` environment variable, then by ``create_app(config)``.
DEFAULTS: dict[str, Any] = {
    "INDEX": str(DEFAULT_INDEX),
    "FACET_SHOWN": 8,  # facet values shown before «بیشتر»
    "RELATED": 5,  # related articles on an article page
    "FEED_SIZE": 20,  # entries in an Atom feed
    "SUGGESTIONS": 8,  # headlines suggested while typing
    # The site's own absolute URL for feeds and OpenSearch (https://kavosh.example); never the Host
    # header, which any client may set. Unset: the Host header only when it names a LINK_HOSTS
    # host (a local address), else http://localhost.
    "PUBLIC_URL": "",
    "LINK_HOSTS": ["localhost", "127.0.0.1", "::1"],
}
#: On every response. No inline script or style anywhere (they live in static/), so the policy
#: allows scripts and styles from the site alone; no framing by any site (clickjacking).
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
        "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "strict-origin-when-cross-origin",
}
#: The parameters a search URL keeps, in the order they are written.
PARAMS = ("q", "tag", "speaker", "source", "year", "month", "since", "until", "sort", "limit", "page", "literal")
FACETS = {"tag": "برچسب", "speaker": "گوینده", "source": "منبع"}
FILTERS = {**FACETS, "year": "سال", "month": "ماه", "since": "از", "until": "تا"}
FORM_KEEPS = ("tag", "speaker", "source", "year", "month", "sort", "limit")  # hidden fields of the search form
SORTS = {"relevance": "مرتبط‌ترین", "newest": "جدیدترین", "oldest": "قدیمی‌ترین"}
MAX_SUGGEST_CHARS = 200
_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")
_YEAR_MONTH = re.compile(r"\d{4}-\d{2}")

bp = Blueprint("kavosh", __name__)


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """Defaults, then ``KAVOSH_*`` environment variables, then ``config`` (tests pass their own index)."""
    app = Flask(__name__)
    app.config.from_mapping(DEFAULTS)
    app.config.from_prefixed_env("KAVOSH")  # KAVOSH_INDEX=/srv/index, KAVOSH_FEED_SIZE=50
    if config:
        app.config.from_mapping(config)
    app.config["INDEX"] = str(app.config["INDEX"])
    app.json.ensure_ascii = False  # type: ignore[attr-defined]  # Persian stays readable
    app.json.sort_keys = False  # type: ignore[attr-defined]  # keep the documented key order
    get = app.config.get
    backend = Config.from_options(get("BACKEND"), get("INDEX"), get("OPENSEARCH_URL"), get("OPENSEARCH_ALIAS"))
    app.extensions["kavosh"] = Engine(backend)
    app.add_template_filter(fa)
    app.add_template_filter(jalali)
    app.register_blueprint(bp)
    for unavailable in UNAVAILABLE:
        app.register_error_handler(unavailable, _unavailable)
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(BadRequest, _bad_request)
    app.before_request(_validate)
    app.after_request(_security_headers)
    return app


def _validate() -> None:
    """Every parameter of every route is checked here, once, by the rules of ``search.request``:
    a bad one is a 400 with a Persian message (``_bad_request``) on the page, the feed and the API alike."""
    g.search = from_params(request.args.to_dict(flat=False))


def _security_headers(response: Response) -> Response:
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    return response


def _bad_request(err: BadRequest) -> Any:
    if request.path == url_for("kavosh.search_page"):
        state = _state(request.args.to_dict(flat=False))
        return render_template("search.html", error=str(err), error_message=err.persian, result=None,
                               **_form(state)), 400
    if request.path == url_for("kavosh.feed"):
        return Response(f"{err.persian}\n{err}\n", status=400, mimetype="text/plain")
    if _wants_json():
        return {"error": str(err), "message": err.persian}, 400
    return _error(400, "درخواست نامعتبر است", err.persian, str(err))


def _root() -> str:
    """The site's absolute URL, without a trailing slash; never an untrusted Host header."""
    configured: str = current_app.config["PUBLIC_URL"]
    if configured:
        return configured.rstrip("/")
    if urlsplit(f"//{request.host}").hostname in current_app.config["LINK_HOSTS"]:
        return request.host_url.rstrip("/")
    return "http://localhost"


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


#: Why nothing can be searched, as a 503 page: (title, what the reader can do) by the backend's error.
UNAVAILABLE: dict[type[Exception], tuple[str, str]] = {
    IndexMissing: (
        "نمایه در دسترس نیست",
        "هنوز نمایه‌ای برای جست‌وجو ساخته نشده است. با فرمان kavosh reindex آن را بسازید.",
    ),
    BackendUnavailable: (
        "جست‌وجو در دسترس نیست",
        "موتور جست‌وجو اکنون پاسخ نمی‌دهد. چند دقیقهٔ دیگر دوباره امتحان کنید.",
    ),
}


def _unavailable(err: Exception) -> tuple[Any, int]:
    title, message = next(text for kind, text in UNAVAILABLE.items() if isinstance(err, kind))
    return _error(503, title, message, str(err))


def _http_error(err: HTTPException) -> tuple[Any, int, dict[str, str]]:
    status = err.code or 500
    # Werkzeug's own headers stay (405 answers carry ``Allow``); the body is ours.
    headers = {name: value for name, value in err.get_headers() if name.lower() != "content-type"}
    if status == 404:
        return (*_error(404, "پیدا نشد", "صفحه‌ای با این نشانی وجود ندارد.", "not found"), headers)
    if status == 405:
        return (*_error(405, "روش درخواست پذیرفته نیست", "این نشانی فقط خواندنی است.", err.name), headers)
    return (*_error(status, "خطا", "درخواست انجام نشد.", err.description or err.name), headers)


# --- URLs: all state lives in the query string -------------------------------------------


def _state(args: Mapping[str, Sequence[str]]) -> State:
    """The known parameters of a request, blanks and control characters dropped (as ``search.request`` does)."""
    cleaned = {name: [drop_control_characters(v).strip() for v in args.get(name, [])] for name in PARAMS}
    return {name: [v for v in values if v] for name, values in cleaned.items()}


def _url(state: State, **changes: list[str]) -> str:
    """The search URL of ``state`` with ``changes``; any change but paging goes back to page 1."""
    return url_for("kavosh.search_page") + _query_string({**state, "page": [], **changes})


def _query_string(state: State) -> str:
    pairs = [(name, value) for name in PARAMS for value in state.get(name, [])]
    return "?" + urlencode(pairs) if pairs else ""


def _same(facet: str, a: str, b: str) -> bool:
    """Whether two spellings name one facet value (as the engine matches them)."""
    if facet in ("year", "month"):
        return fold_digits(a) == fold_digits(b)
    return facet_key(a) == facet_key(b)


def _toggle(state: State, facet: str, value: str) -> tuple[bool, str]:
    """Whether ``value`` is selected, and the URL that flips it."""
    current = state[facet]
    kept = [v for v in current if not _same(facet, v, value)]
    selected = len(kept) < len(current)
    changes = {facet: kept if selected else [*current, value]}
    if facet == "year" and selected:  # closing a year drops the months chosen inside it
        changes["month"] = [m for m in state["month"] if not fold_digits(m).startswith(f"{fold_digits(value)}-")]
    return selected, _url(state, **changes)


def _filter_label(name: str, value: str) -> str:
    """How a chip shows a filter value: months and dates in Jalali, digits in Persian."""
    plain = fold_digits(value)
    if plain == UNDATED and name in ("year", "month"):
        return month_display(UNDATED)
    if name == "month" and _YEAR_MONTH.fullmatch(plain) and 1 <= int(plain[5:]) <= 12:  # a 400 shows bad ones
        return month_display(plain)
    if name in ("since", "until"):
        try:
            moment = to_jalali(parse_date(value))
        except ValueError:
            return persian_digits(value)
        return f"{persian_digits(moment.day)} {month_label(f'{moment.year}-{moment.month:02d}')}"
    return persian_digits(value) if name == "year" else value  # tags and names as they are written


def _chips(state: State) -> list[dict[str, str]]:
    """Each active filter, with the URL that removes it."""
    return [
        {
            "name": title,
            "label": _filter_label(name, value),
            "url": _url(state, **{name: [v for v in state[name] if v != value]}),
        }
        for name, title in FILTERS.items()
        for value in state[name]
    ]


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


def _values(name: str, values: Sequence[Mapping[str, Any]], state: State) -> list[dict[str, Any]]:
    rows = []
    for value in values:
        selected, toggle_url = _toggle(state, name, value["value"])
        rows.append({**value, "selected": selected, "toggle_url": toggle_url})
    return rows


def _split(facet: dict[str, Any]) -> dict[str, Any]:
    """The first values, and the rest behind «بیشتر»; chosen values always stay in sight."""
    shown = current_app.config["FACET_SHOWN"]
    rows = facet["results"]
    first = rows[:shown] + [r for r in rows[shown:] if r["selected"]]
    return {**facet, "results": first, "more": [r for r in rows[shown:] if not r["selected"]]}


def _facets(result: Mapping[str, Any], state: State) -> list[dict[str, Any]]:
    facets = []
    for name, title in FACETS.items():
        values = _values(name, result["facets"].get(name, [])[:FACET_SIZE], state)
        if values:
            facets.append(
                {
                    "name": name,
                    "title": title,
                    "results": values,
                    "truncated": len(result["facets"][name]) > len(values),
                }
            )
    return facets


def _years(months: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Month facet values summed by Jalali year, newest first, undated last."""
    counts: dict[str, int] = {}
    for month in months:
        year = month["value"].split("-")[0]
        counts[year] = counts.get(year, 0) + month["count"]
    years = sorted(counts, key=lambda y: (y != UNDATED, y), reverse=True)
    return [
        {"value": y, "label": month_display(UNDATED) if y == UNDATED else persian_digits(y), "count": counts[y]}
        for y in years
    ]


def _date_facet(result: Mapping[str, Any], state: State) -> dict[str, Any] | None:
    """Years, each opening to its months when chosen (or when one of its months is)."""
    months = result["facets"].get("month", [])
    years = _values("year", _years(months), state)
    chosen_months = {fold_digits(m) for m in state["month"]}
    for year in years:
        inside = [m for m in months if m["value"].startswith(f"{year['value']}-")]
        opened = year["selected"] or any(m.startswith(f"{year['value']}-") for m in chosen_months)
        year["months"] = _values("month", inside, state) if opened else []
    if not years:
        return None
    return {"name": "date", "title": "تاریخ", "results": years, "truncated": False}


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


#: The time chart's drawing area, in SVG units (it scales to the column's width).
CHART_WIDTH, CHART_HEIGHT, CHART_BARS_HEIGHT = 720, 112, 80


def _chart(result: Mapping[str, Any], state: State) -> dict[str, Any] | None:
    """The matching articles per Jalali month (``result["timeline"]``) as SVG bars, oldest on the right.

    Each bar links to the search narrowed to its month (or year); the geometry is computed here so
    the template only loops, and no inline style is needed (SVG attributes).
    """
    bars = result.get("timeline") or []
    if len(bars) < 2:
        return None
    top = max(b["count"] for b in bars) or 1
    slot = CHART_WIDTH / len(bars)
    drawn = []
    for i, bar in enumerate(bars):
        height = round(CHART_BARS_HEIGHT * bar["count"] / top, 1)
        if bar["count"]:
            height = max(height, 2.0)
        x = CHART_WIDTH - (i + 1) * slot  # right to left, as the page reads
        unit = "month" if bar["unit"] == "month" else "year"
        changes = {unit: [bar["value"]], ("year" if unit == "month" else "month"): []}
        # a year under its first bar (a year's bars, each)
        year_starts = bar["unit"] == "year" or bar["value"].endswith("-01") or i == 0
        drawn.append(
            {
                **bar,
                "x": round(x + slot * 0.1, 1),
                "width": round(max(slot * 0.8, 1.0), 1),
                "y": round(CHART_BARS_HEIGHT - height, 1),
                "height": height,
                "middle": round(x + slot / 2, 1),
                "url": _url(state, **changes),
                "tick": persian_digits(bar["value"][:4]) if year_starts else "",
            }
        )
    return {
        "bars": drawn,
        "top": top,
        "width": CHART_WIDTH,
        "height": CHART_HEIGHT,
        "baseline": CHART_BARS_HEIGHT,
        "unit": "ماه" if bars[0]["unit"] == "month" else "سال",
    }


def _rescue(result: Mapping[str, Any], state: State) -> dict[str, Any]:
    """The engine's «did you mean» and «searched instead» (``search.suggest``), as links."""
    context: dict[str, Any] = {"suggestion": None, "searched": None}
    suggestion = result.get("suggestion")
    if suggestion:
        context["suggestion"] = {"text": suggestion, "url": _url(state, q=[suggestion], literal=[])}
    searched = result.get("searched")
    if searched and searched.get("query") and searched.get("original"):
        context["searched"] = {**searched, "url": _url(state, q=[searched["original"]], literal=["1"])}
    return context


def _form(state: State) -> dict[str, Any]:
    """What the search form and the filter chips show, for results and for a 400 alike."""
    return {
        "q": next(iter(state["q"]), ""),
        "since": next(iter(state["since"]), ""),
        "until": next(iter(state["until"]), ""),
        "hidden": [(name, v) for name in FORM_KEEPS for v in state[name]],
        "chips": _chips(state),
        "clear_url": _url(state, **{name: [] for name in FILTERS}),
        "feed_url": url_for("kavosh.feed") + _query_string({**state, "page": []}),
    }


def _search_request() -> SearchRequest:
    """This request's parameters, as ``_validate`` checked them."""
    checked: SearchRequest = g.search
    return checked


@bp.get("/")
def search_page() -> Any:
    state = _state(request.args.to_dict(flat=False))
    context = _form(state)
    result = _engine().search(_search_request())
    sorts = [
        {
            "label": label,
            "url": _url(state, sort=[] if key == "relevance" else [key]),
            "selected": key == result["sort"],
        }
        for key, label in SORTS.items()
        if key != "relevance" or context["q"]
    ]
    facets = _facets(result, state)
    date = _date_facet(result, state)
    return render_template(
        "search.html",
        error="",
        result=result,
        sorts=sorts,
        facets=[_split(f) for f in facets],
        date_facet=date,
        chart=_chart(result, state),
        hits=[_hit(h) for h in result["hits"]],
        paging=_pages(result, state),
        milliseconds=max(1, round(result["seconds"] * 1000)),
        **_rescue(result, state),
        **context,
    )


@bp.get("/article/<path:ident>")
def article_page(ident: str) -> Any:
    engine = _engine()
    article = engine.article(ident)
    if article is None:
        return _error(404, "خبر پیدا نشد", "خبری با این شناسه در نمایه نیست.", f"no article {ident!r}")
    paragraphs = [p.strip() for p in _PARAGRAPH_BREAK.split(article["body"]) if p.strip()]
    related = [
        {**r, "article_url": url_for("kavosh.article_page", ident=r["id"])}
        for r in engine.related(ident, current_app.config["RELATED"])
    ]
    copies = [  # the same body under other URLs, merged into this one in results
        {**c, "article_url": url_for("kavosh.article_page", ident=c["id"]), "url": _safe_url(c["url"])}
        for c in engine.copies(ident)
    ]
    return render_template(
        "article.html",
        article=article,
        paragraphs=paragraphs,
        url=_safe_url(article["url"]),
        source=_search_link("source", article["source"]) if article["source"] else None,
        tags=[_search_link("tag", t) for t in article["tags"]],
        speakers=[_search_link("speaker", s) for s in article["speakers"]],
        quotes=[{**q, "speaker": _search_link("speaker", q["speaker"])} for q in article.get("quotes", [])],
        related=related,
        copies=copies,
    )


@bp.get("/feed")
def feed() -> Any:
    """An Atom feed of any search: the page's parameters, newest first unless ``sort`` says otherwise."""
    state = _state(request.args.to_dict(flat=False))
    # the page's parameters, checked as on every route; a feed has its own size and one page
    search_request = dataclasses.replace(
        _search_request(),
        sort=_search_request().sort if state["sort"] else "newest",
        limit=current_app.config["FEED_SIZE"],
        page=1,
    )
    result = _engine().search(search_request)
    dates = [h["published"] for h in result["hits"] if h["published"]]
    updated = max(dates, key=lambda d: parse_date(d)) if dates else datetime.now(UTC).isoformat(timespec="seconds")
    query = next(iter(state["q"]), "")
    body = render_template(
        "feed.xml",
        result=result,
        query=query,
        chips=_chips(state),
        updated=updated,
        self_url=_root() + request.full_path.rstrip("?"),
        page_url=_root() + _url({**state, "sort": []}),
        hits=[
            {
                **h,
                "url": _safe_url(h["url"]),
                "article_url": _root() + url_for("kavosh.article_page", ident=h["id"]),
            }
            for h in result["hits"]
        ],
    )
    return Response(body, mimetype="application/atom+xml")


@bp.get("/opensearch.xml")
def opensearch() -> Any:
    """Lets browsers add the site as a search engine."""
    body = render_template("opensearch.xml", root=_root())
    return Response(body, mimetype="application/opensearchdescription+xml")


@bp.get("/healthz")
def healthz() -> tuple[dict[str, Any], int]:
    """For load balancers and monitors: 200 while searches are answered (health green or yellow), else 503.

    ``health`` is the engine's own (an OpenSearch cluster's status; a Whoosh index that opens is green).
    """
    try:
        stats = _engine().stats()
    except BackendUnavailable as err:
        return {"status": "unavailable", "error": str(err)}, 503
    except IndexMissing as err:
        return {"status": "no index", "error": str(err)}, 503
    status = str(stats.get("health") or "green")
    body = {"status": status, "backend": stats["backend"], "documents": stats["documents"]}
    return body, 200 if status in ("green", "yellow") else 503


@bp.get("/api/suggest")
def api_suggest() -> Any:
    """OpenSearch suggestions (``[query, [headline, ...]]``) for the text being typed."""
    typed = _search_request().query[:MAX_SUGGEST_CHARS]
    return [typed, _engine().complete(typed, current_app.config["SUGGESTIONS"])]


@bp.get("/api/search")
def api_search() -> Any:
    result = public_result(_engine().search(_search_request()))
    result["hits"] = [{**hit, "url": _safe_url(hit["url"])} for hit in result["hits"]]
    return result


@bp.get("/api/article/<path:ident>")
def api_article(ident: str) -> Any:
    article = _engine().article(ident)
    if article is None:
        return {"error": f"no article with id {ident!r}"}, 404
    return {**article, "url": _safe_url(article["url"])}
