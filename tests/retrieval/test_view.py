"""The view: one snapshot seen through analysed queries, each lowered once, and the
per-clause score breakdown explain prints. On the real seed index."""

from __future__ import annotations

from search import Engine
from search.query.parser import parse
from search.query.rewrite import rewrite
from search.retrieval.view import View


def test_an_analysed_query_is_lowered_once_and_runs_like_its_plan(engine: Engine) -> None:
    with engine._backend.snapshot() as snap:  # noqa: SLF001
        view = View(snap)
        analysed = rewrite(parse("Sullivan cảnh báo"), vocab=view.has_word)
        assert analysed is not None
        assert view.plan(analysed) is view.plan(analysed)  # the lowering's cache
        total, hits = view.search(analysed, 50, 0)
        assert total == view.count(analysed) == len(view.ids(analysed)) == len(hits) > 0
        assert view.articles(analysed) == {h.stored["article"] for h in hits}
        assert view.has_word("canh bao") and not view.has_word("khong co tu nay")


def test_the_breakdown_gives_each_clause_and_only_the_fields_that_scored(
        engine: Engine) -> None:
    with engine._backend.snapshot() as snap:  # noqa: SLF001
        view = View(snap)
        analysed = rewrite(parse("Sullivan cảnh báo"), vocab=view.has_word)
        assert analysed is not None
        _, hits = view.search(analysed, 1, 0)
        top = f"{hits[0].stored['article']}#{hits[0].stored['passage']}"
        clauses = view.breakdown(analysed, top)
        assert [c["clause"] for c in clauses] == ["sullivan", "cảnh báo"]
        assert all(c["score"] > 0 and c["fields"] for c in clauses)
        assert all(f["score"] > 0 for c in clauses for f in c["fields"])
        assert round(sum(c["score"] for c in clauses), 2) == round(hits[0].score, 2)
