"""The search site in a real browser: headless Chromium (Debian's) driven by Playwright.

Starts ``kavosh serve`` on a free loopback port against the sample corpus, searches, ticks a
tag facet, opens an article, and saves screenshots (desktop and phone widths) under
``$KAVOSH_ARTIFACTS`` (default ``var/artifacts``) for people to look at.

Skips, saying why, when Chromium or Playwright is missing; ``.ci/run`` installs both and sets
``KAVOSH_REQUIRE_BROWSER=1`` so that CI fails instead of skipping.
"""

from __future__ import annotations

import itertools
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = os.environ.get("KAVOSH_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


def _missing() -> str:
    """Why the browser test cannot run here, or ``""``."""
    if not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
        return f"no Chromium at {CHROMIUM} (apt-get install chromium; .ci/run does)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the playwright Python package is not installed (pip install playwright; .ci/run does)"
    return ""


_REASON = _missing()
if _REASON and os.environ.get("KAVOSH_REQUIRE_BROWSER") == "1":
    pytest.fail(f"KAVOSH_REQUIRE_BROWSER=1 but {_REASON}", pytrace=False)
pytestmark = pytest.mark.skipif(bool(_REASON), reason=_REASON)


@pytest.fixture(scope="module")
def artifacts() -> Path:
    folder = Path(os.environ.get("KAVOSH_ARTIFACTS") or ROOT / "var" / "artifacts")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def server(sample_index: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """``kavosh serve`` (gunicorn) on a free loopback port; its base URL."""
    port = _free_port()
    log = tmp_path_factory.mktemp("serve") / "serve.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "kavosh",
                "serve",
                "--index",
                str(sample_index),
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
                "--threads",
                "4",
            ],
            stdout=out,
            stderr=subprocess.STDOUT,
            cwd=ROOT,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(base + "/api/search?limit=1", timeout=5) as response:
                    if response.status == 200:
                        break
            except OSError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"kavosh serve did not come up: {log.read_text(errors='replace')}")
            time.sleep(0.2)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield chromium
        chromium.close()


def _total(page: Any) -> int:
    """The hit count the page shows, in Persian digits («۱۲ نتیجه در ۹ میلی‌ثانیه»)."""
    shown = page.locator(".summary").inner_text().split()[0]
    assert shown.isdigit() and not shown.isascii(), shown
    return int(shown)  # int() reads Persian digits


def _hit_titles(page: Any) -> list[str]:
    return [t.strip() for t in page.locator("ol.hits h3 a").all_inner_texts()]


def test_search_tick_a_tag_open_an_article(server: str, browser: Any, artifacts: Path) -> None:
    context = browser.new_context(viewport=DESKTOP, locale="fa-IR")
    page = context.new_page()
    page.goto(server + "/")
    assert page.locator("html").get_attribute("dir") == "rtl"

    page.get_by_label("جست‌وجو در خبرها").fill("کتاب")
    page.keyboard.press("Enter")
    page.wait_for_url("**/?q=*")
    before = _hit_titles(page)
    assert before, "no results for «کتاب»"
    total = _total(page)

    # tick a tag that some, not all, of the results carry
    values = page.locator('section[aria-labelledby="facet-tag"] .value').all()
    counts = {v.locator("a").inner_text().strip(): int(v.locator(".count").inner_text()) for v in values}
    target = next((label for label, count in counts.items() if count < total), None)
    assert target, f"no tag narrows the {total} results: {counts}"
    page.locator('section[aria-labelledby="facet-tag"] a', has_text=target).first.click()
    page.wait_for_url("**tag=*")
    after = _hit_titles(page)
    assert after and after != before
    assert _total(page) < total
    for hit in page.locator("li.hit").all():  # every result carries the tag
        assert f"#{target}" in hit.locator(".labels").inner_text()
    chip = page.locator("ul.chips a", has_text=f"برچسب: {target}")
    assert chip.count() == 1
    assert page.locator('section[aria-labelledby="facet-tag"] a.selected', has_text=target).count() == 1
    page.screenshot(path=str(artifacts / "results-desktop.png"), full_page=True)

    # the phone layout: one column, nothing wider than the screen
    phone = browser.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True, locale="fa-IR")
    phone_page = phone.new_page()
    phone_page.goto(page.url)
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    phone_page.screenshot(path=str(artifacts / "results-phone.png"), full_page=True)

    # open the first result: the article page shows that title
    first = after[0]
    page.locator("ol.hits h3 a").first.click()
    page.wait_for_url("**/article/**")
    assert page.locator("h1").inner_text().strip() == first
    assert page.locator("a", has_text=target).count() >= 1  # its tags search by tag
    page.screenshot(path=str(artifacts / "article-desktop.png"), full_page=True)
    phone_page.goto(page.url)
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    phone_page.screenshot(path=str(artifacts / "article-phone.png"), full_page=True)

    # back: the filtered results, chip and all, come back from the URL
    page.go_back()
    assert _hit_titles(page) == after
    assert page.locator("ul.chips a", has_text=f"برچسب: {target}").count() == 1

    # removing the chip restores the unfiltered results
    page.locator("ul.chips a", has_text=f"برچسب: {target}").click()
    page.wait_for_load_state()
    assert _hit_titles(page) == before
    phone.close()
    context.close()


def test_keyboard_and_suggestions(server: str, browser: Any, artifacts: Path) -> None:
    context = browser.new_context(viewport=DESKTOP, locale="fa-IR")
    page = context.new_page()
    page.goto(server + "/")
    assert page.evaluate("document.activeElement.id") == "q"  # the home page starts in the search box
    page.goto(server + "/?q=کتاب")
    # the first Tab reaches the skip link, visibly
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.className")
    assert focused == "skip"
    assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") != "none"
    # «/» jumps to the search box; suggestions while typing are headlines in a datalist
    page.keyboard.press("/")
    assert page.evaluate("document.activeElement.id") == "q"
    page.locator("#q").fill("")
    page.locator("#q").press_sequentially("کتابخ", delay=30)
    # (waits through locators: the Content-Security-Policy forbids the eval that wait_for_function needs)
    # Under load the debounce can let an earlier prefix («کتاب») be asked too, and its answer shown
    # until the last one replaces it: wait (bounded) for the answer to what was typed, read at once.
    suggest = page.locator("#q").get_attribute("data-suggest")
    expected = page.request.get(server + f"{suggest}?q=کتابخ").json()[1]
    options = page.locator("#q-suggestions option")
    options.first.wait_for(state="attached", timeout=10_000)
    values: list[str] = []
    for _ in range(100):
        values = options.evaluate_all("els => els.map(e => e.value)")
        if values == expected:
            break
        page.wait_for_timeout(100)
    assert values == expected
    assert values and all("کتابخانه" in v for v in values)
    # a font of our own, not a CDN's
    assert page.evaluate("document.fonts.ready.then(() => document.fonts.status)") == "loaded"
    assert page.evaluate("document.fonts.check('16px Vazirmatn', 'کاوش')")
    context.close()


# --- issue 19: bidi of the hint and the search box; the time chart -------------------------------

_CHARS = """(el) => { const node = document.createTreeWalker(el, NodeFilter.SHOW_TEXT).nextNode();
  const range = document.createRange(); const out = [];
  for (let i = 0; i < node.length; i++) { range.setStart(node, i); range.setEnd(node, i + 1);
    const box = range.getBoundingClientRect(); out.push([node.data[i], box.left, box.right]); }
  return out; }"""


def test_hint_minus_and_empty_box_are_right_to_left(server: str, browser: Any, artifacts: Path) -> None:
    for viewport in (DESKTOP, PHONE):
        context = browser.new_context(viewport=viewport, locale="fa-IR")
        page = context.new_page()
        page.goto(server + "/")
        # «-واژه»: the minus stands before the word as a Persian reader reads, on its right
        chars = page.locator("#q-hint code bdi").first.evaluate(_CHARS)
        assert chars[0][0] == "-"
        minus_left = chars[0][1]
        assert all(minus_left >= right - 0.5 for _, _, right in chars[1:]), chars
        # the empty box is right-to-left: the caret waits on the right
        box = page.locator("#q")
        assert box.evaluate("el => getComputedStyle(el).direction") == "rtl"
        box.fill("google news")  # typed text still sets its own direction (dir=auto)
        assert box.evaluate("el => getComputedStyle(el).direction") == "ltr"
        box.fill("")
        assert box.evaluate("el => getComputedStyle(el).direction") == "rtl"
        if viewport is DESKTOP:
            page.locator("form.search").screenshot(path=str(artifacts / "search-box-bidi.png"))
        context.close()


def test_time_chart_above_results_filters_to_a_month(server: str, browser: Any, artifacts: Path) -> None:
    context = browser.new_context(viewport=DESKTOP, locale="fa-IR")
    page = context.new_page()
    page.goto(server + "/?sort=newest")
    chart = page.locator("figure.timeline")
    assert chart.count() == 1
    chart_box, hits_box = chart.bounding_box(), page.locator("ol.hits").bounding_box()
    assert chart_box and hits_box and chart_box["y"] < hits_box["y"]  # above the results
    bars = page.locator("figure.timeline a")
    assert bars.count() >= 2
    caption = chart.locator("figcaption").inner_text()
    assert not any(ch.isascii() and ch.isdigit() for ch in caption)  # Persian digits
    ticks = chart.locator("text").all_text_contents()
    assert ticks and all(t.isdigit() and not t.isascii() for t in ticks)
    chart.screenshot(path=str(artifacts / "time-chart.png"))
    page.screenshot(path=str(artifacts / "results-with-time-chart.png"), full_page=False)
    # the newest bar is the leftmost: right to left, oldest first
    boxes = [bars.nth(i).locator("rect").bounding_box() for i in range(bars.count())]
    assert all(a and b and a["x"] > b["x"] for a, b in itertools.pairwise(boxes))
    label = bars.last.get_attribute("aria-label") or ""
    count = int(label.split(":")[1].split()[0])
    bars.last.click()
    page.wait_for_url("**month=*")
    assert _total(page) == count
    context.close()
