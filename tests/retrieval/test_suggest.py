"""Suggestions when a query matches nothing, on the seed index: which part emptied
the result, a hint inside the filters' articles, spellings from the index's own
vocabulary; every runnable suggestion runs and finds something."""

from __future__ import annotations

import pytest

from search import Engine
from search.retrieval import suggest


def test_suggestions_say_which_part_emptied_the_result(engine: Engine) -> None:
    results = engine.search('speaker:Sullivan "Nord Stream"')
    assert results.total == 0
    messages = [s.message for s in results.suggestions]
    assert any("each part matches alone" in m for m in messages)
    runnable = [s.query for s in results.suggestions if s.query]
    assert runnable and engine.search(runnable[0]).total == 2


def test_same_article_hint_looks_only_inside_the_filters_articles(
        engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    hint = next(s for s in engine.search("speaker:Ushakov Crimea").suggestions
                if "occurs in" in s.message)
    assert hint.message.startswith("Crimea occurs in 1 article(s) matching speaker:Ushakov")
    assert hint.query is not None and hint.query.startswith("Crimea article:(")
    hits = engine.search(hint.query, limit=50)
    assert hits.total > 0 and {h.article for h in hits} <= set(hint.query[16:-1].split(" OR "))
    # filters that hold in different passages of one article still count
    assert any("occurs in 1 article(s)" in s.message for s in
               engine.search("speaker:Sullivan date:2021-12 Sochi").suggestions)
    # a filter found in many passages: the hint is not worked out (speaker:Ushakov: 4)
    monkeypatch.setattr(suggest, "MAX_FILTER_PASSAGES", 3)
    assert not any("occurs in" in s.message
                   for s in engine.search("speaker:Ushakov Crimea").suggestions)


@pytest.mark.parametrize(("query", "fixed"), [("Kremlinn", "Kremlin"),
                                              ("speaker:Sulivan", "speaker:Sullivan"),
                                              ("Sulivan Putin", "Sullivan Putin")])
def test_spelling_suggestions_come_from_the_index(engine: Engine, query: str,
                                                  fixed: str) -> None:
    suggestions = engine.search(query).suggestions
    assert fixed in [s.query for s in suggestions]
    assert engine.search(fixed).total > 0
