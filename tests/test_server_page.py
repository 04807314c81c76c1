"""The search page in a real browser (Debian's chromium driven by Playwright) against
a real ``vnsearch serve`` on 127.0.0.1: what a reader does, and what an article
written to attack the page cannot do. Skipped without chromium, failed in CI."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest
from serving import CHROMIUM_ARGS, HOSTILE_TEXT, chromium_or_skip, serving, write_corpus

from search import Engine

pytestmark = pytest.mark.slow
DOCS = Path(__file__).resolve().parents[1] / "docs"


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    chromium_or_skip()
    corpus = write_corpus(tmp_path_factory.mktemp("corpus"))
    path = tmp_path_factory.mktemp("index") / "ix"
    Engine.build(path, [corpus]).close()
    return path


@pytest.fixture(scope="module")
def server(index: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with serving(index, log=tmp_path_factory.mktemp("log") / "serve.log") as url:
        yield url


@pytest.fixture(scope="module")
def browser(server: str):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=chromium_or_skip(), args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser, server: str):
    context = browser.new_context(viewport={"width": 1200, "height": 900})
    pg = context.new_page()
    pg.problems = []  # console errors and CSP reports: none expected
    pg.on("console", lambda m: m.type == "error" and pg.problems.append(m.text))
    pg.on("pageerror", lambda e: pg.problems.append(str(e)))
    pg.set_default_timeout(10_000)
    yield pg
    context.close()


def query_of(page) -> dict[str, list[str]]:
    return parse_qs(urlparse(page.url).query)


def first_hit(page) -> str:
    return page.locator(".hit .text").first.inner_text()


def shown(page, q: str, offset: int = 0) -> None:
    """Wait until the list shows the results of ``q`` from ``offset``."""
    page.wait_for_function(
        "([q, o]) => document.getElementById('hits').dataset.query === q && "
        "document.getElementById('hits').dataset.offset === o", arg=[q, str(offset)])


def search(page, server: str, q: str) -> None:
    page.goto(server + "/")
    page.locator("#q").press_sequentially(q, delay=20)
    page.wait_for_function("q => new URLSearchParams(location.search).get('q') === q", arg=q)
    shown(page, q)


def test_typing_a_query_shows_highlighted_passages(page, server: str) -> None:
    search(page, server, "khí đốt")
    marks = page.locator(".hit mark").all_inner_texts()
    assert marks and {m.lower() for m in marks} <= {"khí", "đốt", "khí đốt"}
    assert re.search(r"\d+", page.locator("#count").inner_text())
    assert page.locator("#count").get_attribute("aria-live") == "polite"
    assert page.locator(".hit .source").first.inner_text() in ("Tin Kinh Tế", "Báo Năng Lượng")
    assert not page.problems


def test_a_facet_click_adds_the_filter_to_the_query(page, server: str) -> None:
    search(page, server, "Mỹ")
    facet = page.locator('button.facet[data-facet="speaker"]').first
    name = facet.get_attribute("data-value")
    facet.click()
    want = f'Mỹ speaker:"{name}"'
    page.wait_for_function("q => new URLSearchParams(location.search).get('q') === q", arg=want)
    assert page.locator("#q").input_value() == want
    shown(page, want)
    hits = page.locator(".hit")
    for i in range(hits.count()):
        assert name in hits.nth(i).locator(".speaker").all_inner_texts()


def test_pages_forward_reload_and_back(page, server: str) -> None:
    search(page, server, "khí đốt")
    first_page = first_hit(page)
    page.locator('#pager a[rel="next"]').click()
    page.wait_for_url(re.compile(r"offset=10"))
    shown(page, "khí đốt", 10)
    second_page = first_hit(page)
    assert second_page != first_page
    page.reload()
    shown(page, "khí đốt", 10)
    assert first_hit(page) == second_page and page.locator("#q").input_value() == "khí đốt"
    page.go_back()
    shown(page, "khí đốt", 0)
    assert first_hit(page) == first_page


def test_an_article_opens_with_its_passage_marked(page, server: str) -> None:
    search(page, server, "Sullivan")
    text = first_hit(page)
    page.locator(".hit a.open").first.click()
    page.locator("#article p.here").wait_for()
    assert text in page.locator("#article p.here").inner_text()
    assert {"article", "passage"} <= set(query_of(page))
    page.locator("#article a.back").click()
    shown(page, "Sullivan")


def test_wire_copies_show_once_and_partial_matches_say_what_they_miss(page, server) -> None:
    page.goto(server + "/?q=Seychelles")
    shown(page, "Seychelles")
    assert page.locator(".hit").count() == 1
    copy = page.locator(".hit .copies a")
    assert copy.count() == 1 and copy.inner_text().startswith("crawl/wire-")
    page.goto(server + "/?q=Putin Sullivan Baltic")
    shown(page, "Putin Sullivan Baltic")
    missing = page.locator(".hit .partial").all_inner_texts()
    assert missing and all(m.startswith("thiếu: ") for m in missing)
    words = {w for m in missing for w in m.removeprefix("thiếu: ").split(", ")}
    assert words and words <= {"putin", "sullivan", "baltic"}


def test_a_syntax_error_is_shown_at_its_column(page, server: str) -> None:
    page.goto(server + "/")
    page.locator("#q").press_sequentially('Putin AND "Nord', delay=20)
    spot = page.locator("#query-error .error-at")
    spot.wait_for()
    assert spot.get_attribute("data-column") == "11" and spot.inner_text() == '"'
    assert page.locator("#q").get_attribute("aria-invalid") == "true"
    page.locator("#q").press_sequentially('"', delay=20)
    page.locator("#query-error").wait_for(state="hidden")


def test_an_attacking_article_renders_as_text(page, server: str) -> None:
    page.goto(server + "/?q=pwned")
    shown(page, "pwned")
    assert page.locator(".hit .text").first.inner_text() == HOSTILE_TEXT
    assert page.locator("#hits img, #hits script, #hits b").count() == 0
    page.locator(".hit a.open").first.click()
    page.locator("#article h1").wait_for()
    assert page.locator("#article h1").inner_text().startswith("<script>")
    assert page.locator("#article a[href^='javascript']").count() == 0
    assert page.locator("script").count() == 1  # the page's own app.js only
    assert page.evaluate("() => window.pwned") is None


def test_slash_focuses_the_box_and_english_on_request(page, server: str) -> None:
    page.goto(server + "/?lang=en")
    assert page.locator("label[for=q]").inner_text() == "Search the articles"
    assert page.evaluate("() => document.documentElement.lang") == "en"
    page.evaluate("() => document.activeElement.blur()")
    assert page.evaluate("() => document.activeElement.id") != "q"
    page.keyboard.press("/")
    assert page.evaluate("() => document.activeElement.id") == "q"
    page.goto(server + "/")
    assert page.locator("label[for=q]").inner_text() == "Tìm trong các bài báo"


def test_suggestions_are_links_when_nothing_matched(page, server: str) -> None:
    page.goto(server + "/?q=Kremlinn AND Putin")
    link = page.locator("#suggestions a.run").first
    link.wait_for()
    target = link.inner_text()
    assert target == "Kremlin AND Putin"
    link.click()
    shown(page, target)
    assert page.locator(".hit").count() > 0


def test_a_keyed_server_asks_the_reader_for_its_key(page, index: Path, tmp_path) -> None:
    with serving(index, "--api-key", "k3y", log=tmp_path / "serve.log") as keyed:
        page.goto(keyed + "/?q=Putin")
        page.locator("#key-form").wait_for()
        page.locator("#key").fill("wrong")
        page.locator("#key-form button").click()
        page.wait_for_function("() => sessionStorage.getItem('vnsearch-key') === 'wrong'")
        assert page.locator("#key-form").is_visible()
        page.locator("#key").fill("k3y")
        page.locator("#key-form button").click()
        shown(page, "Putin")
        assert page.locator("#key-form").is_hidden()


def test_screenshot_for_the_readme(page, server: str) -> None:
    """docs/search-page.png is made here, so the README shows the page as it is."""
    page.goto(server + "/?q=Putin")
    page.locator(".hit mark").first.wait_for()
    page.locator("#facets button").first.wait_for()
    DOCS.mkdir(exist_ok=True)
    page.screenshot(path=str(DOCS / "search-page.png"))
    assert (DOCS / "search-page.png").stat().st_size > 10_000
