"""The searcher on one snapshot: which queries are plain, pages cut from one ranking
with each passage text once, exact counts on small results, partial matches after the
full ones. On the real seed index."""

from __future__ import annotations

import pytest

from search import Engine
from search.query.parser import parse
from search.retrieval import searcher
from search.retrieval.view import View


@pytest.mark.parametrize(("query", "plain"), [
    ("Nga", True), ("Ai cảnh báo Nga", True), ("Nga AND Mỹ", False), ('"Nga Mỹ"', False),
    ("speaker:Sullivan Nga", False), ("Nga -Mỹ", False)])
def test_plain_queries_are_bare_words_only(query: str, plain: bool) -> None:
    assert searcher.is_plain(parse(query)) is plain


def _found(engine: Engine, query: str, limit: int, offset: int) -> searcher.Found:
    with engine._backend.snapshot() as snap:  # noqa: SLF001
        return searcher.search(View(snap), parse(query), limit, offset)


def test_pages_are_cut_from_one_ranking_and_a_text_shows_once(engine: Engine) -> None:
    whole = _found(engine, "Nga", 100, 0)
    assert whole.exact and whole.total == len(whole.page)
    keys = [r.raw.stored["key"] for r in whole.page]
    assert len(keys) == len(set(keys))  # wire copies listed once
    pages = [_found(engine, "Nga", 7, offset).page for offset in range(0, whole.total, 7)]
    ids = [f"{r.raw.stored['article']}#{r.raw.stored['passage']}" for p in pages for r in p]
    assert ids == [f"{r.raw.stored['article']}#{r.raw.stored['passage']}" for r in whole.page]


def test_partial_matches_follow_the_full_ones_and_name_what_they_lack(engine: Engine) -> None:
    found = _found(engine, "Sullivan cảnh báo", 50, 0)
    assert 0 < found.partial < found.total
    flags = [r.partial for r in found.page]
    assert flags == sorted(flags)  # every full match before any partial one
    assert all(r.missing for r in found.page if r.partial)
    assert not any(r.missing for r in found.page if not r.partial)


def test_a_query_with_nothing_to_search_finds_nothing(engine: Engine) -> None:
    found = _found(engine, "Ai", 10, 0)
    assert found.analysed is not None  # a function word alone is searched as typed
    nothing = _found(engine, "zzzqqq", 10, 0)
    assert (nothing.total, nothing.page) == (0, [])
