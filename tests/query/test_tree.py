"""The tree library (search/query/tree.py): walk order, field context, the
bottom-up transform, and the line between the parsed and the analysed tree."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from search import Engine
from search.analysis import fold
from search.plan.lower import exact_form, exact_forms
from search.plan.nodes import Filter, Terms
from search.query.ast import (
    And,
    ArticleId,
    Boost,
    Field,
    Must,
    Node,
    Not,
    Or,
    Term,
    Word,
    dump,
)
from search.query.parser import parse
from search.query.rewrite import rewrite
from search.query.tree import positive, rebuilt, transform, walk
from search.retrieval.highlight import highlight, patterns
from search.retrieval.view import View

ROOT = Path(__file__).resolve().parent.parent


def kinds(node: Node, **kw: object) -> list[str]:
    return [f"{type(n).__name__}:{getattr(n, 'text', '')}@{f}"
            for n, f in walk(node, **kw)]  # type: ignore[arg-type]


def test_walk_is_pre_order_left_to_right() -> None:
    tree = parse("a (b OR c) -d")
    assert kinds(tree) == ["And:@text", "Term:a@text", "Or:@text", "Term:b@text",
                           "Term:c@text", "Not:@text", "Term:d@text"]


@pytest.mark.parametrize(("query", "fields"), [
    ("speaker:Lavrov Putin", {"Lavrov": "speaker", "Putin": "text"}),
    ("title:(NATO OR +speaker:Lavrov)^2 Kyiv",
     {"NATO": "title", "Lavrov": "speaker", "Kyiv": "text"}),
    ("-source:TASS Nga", {"TASS": "source", "Nga": "text"}),
])
def test_a_field_puts_its_subtree_in_its_field(query: str, fields: dict[str, str]) -> None:
    seen = {n.text: f for n, f in walk(parse(query)) if isinstance(n, Term)}
    assert seen == fields


def test_walk_starts_in_the_field_given_and_a_field_node_is_in_the_outer_one() -> None:
    tree = Field("speaker", Term("Lavrov"))
    assert [(type(n).__name__, f) for n, f in walk(tree, "title")] == [
        ("Field", "title"), ("Term", "speaker")]


def test_into_stops_the_walk_below_a_node() -> None:
    tree = parse("a -(b c) +d")
    assert kinds(tree, into=positive) == ["And:@text", "Term:a@text", "Not:@text",
                                          "Must:@text", "Term:d@text"]
    assert kinds(tree, into=lambda n: not isinstance(n, And)) == ["And:@text"]


def _keep(node: Node, subtrees: tuple[Node, ...], field: str) -> Node | None:
    return rebuilt(node, subtrees)


def test_transform_that_keeps_every_node_returns_the_same_objects() -> None:
    tree = parse('speaker:Lavrov ("Nord Stream" OR Kyiv^2) -TASS')
    assert transform(tree, _keep) is tree


def test_transform_drops_nodes_and_what_holds_only_them() -> None:
    def no_exclusions(node: Node, subtrees: tuple[Node, ...], field: str) -> Node | None:
        return None if isinstance(node, Not) else rebuilt(node, subtrees)

    assert transform(parse("a -b -c"), no_exclusions) == And((Term("a"),))
    # a composite left with no subtrees is dropped without asking the callback
    assert transform(And((Not(Term("b")), Not(Term("c")))), no_exclusions) is None
    assert transform(Must(Not(Term("b"))), no_exclusions) is None


def test_transform_replaces_nodes_bottom_up_with_their_field() -> None:
    def upper_in_text(node: Node, subtrees: tuple[Node, ...], field: str) -> Node | None:
        if isinstance(node, Term):
            return Term(node.text.upper()) if field == "text" else node
        return rebuilt(node, subtrees)

    out = transform(parse("kyiv speaker:lavrov (nato OR eu)^2"), upper_in_text)
    assert out == And((Term("KYIV"), Field("speaker", Term("lavrov")),
                       Boost(Or((Term("NATO"), Term("EU"))), 2.0)))


def test_transform_results_need_not_be_nodes() -> None:
    def depth(node: Node, subtrees: tuple[int, ...], field: str) -> int:
        return 1 + max(subtrees, default=0)

    assert transform(parse("a (b OR +title:c)"), depth) == 5


def test_transform_memo_builds_each_subtree_in_each_field_once() -> None:
    calls: list[tuple[str, str]] = []

    def count(node: Node, subtrees: tuple[int, ...], field: str) -> int:
        calls.append((dump(node), field))
        return 1 + sum(subtrees)

    memo: dict[tuple[Node, str], int | None] = {}
    tree = parse("Kyiv (Kyiv OR title:Kyiv) Kyiv^2")
    assert transform(tree, count, memo=memo) == 8  # nodes, counted as if built each time
    assert calls.count(("(term 'Kyiv')", "text")) == 1
    assert calls.count(("(term 'Kyiv')", "title")) == 1
    assert len(calls) == 6  # Kyiv in text and in title, Field, Or, Boost, And
    assert transform(tree, count, memo=memo) == 8 and len(calls) == 6  # all remembered


def test_with_subtrees_keeps_what_is_not_a_subtree() -> None:
    tree = Boost(Must(Term("a"), span=(1, 2)), 3.0, span=(0, 4))
    new = tree.with_subtrees((Term("b"),))
    assert new == Boost(Term("b"), 3.0) and new.span == (0, 4)
    assert And((Term("a"),), explicit=True).with_subtrees(()) == And((), explicit=True)
    assert Term("a").subtrees() == () and Term("a").with_subtrees(()) == Term("a")


def test_article_ids_are_their_own_analysed_leaf() -> None:
    analysed = rewrite(parse('article:(000_8573dd3e2d4c80c7 OR "crawl/a 9") Nga'))
    assert isinstance(analysed, And)
    assert analysed.children[0] == Field("article", Or((ArticleId("000_8573dd3e2d4c80c7"),
                                                       ArticleId("crawl/a 9"))))
    assert not any(isinstance(n, Term) for n, _ in walk(analysed))


@pytest.mark.parametrize(("syllables", "exact"), [
    (("dam", "bao"), (None, None)),
    (("đảm", "bảo"), ("đảm", "bảo")),
    (("ống", "nuoc"), ("ống", None)),
])
def test_the_tone_mark_rule_is_one_function(syllables: tuple[str, ...],
                                            exact: tuple[str | None, ...]) -> None:
    word = Word(syllables, tuple(fold(s) for s in syllables))
    assert exact_forms(word) == exact
    assert [exact_form(s) for s in syllables] == list(exact)


def test_lowering_a_parsed_tree_fails_at_the_boundary(engine: Engine) -> None:
    with engine._backend.snapshot() as snap:
        view = View(snap)
        ok = rewrite(parse("Lavrov"), vocab=view.has_word)
        assert ok is not None and view.count(ok) > 0
        for raw in (parse("Lavrov"), And((ok, Term("Putin"))),  # type: ignore[arg-type]
                    Field("speaker", parse('"Jake Sullivan"'))):  # type: ignore[arg-type]
            with pytest.raises(TypeError, match=r"unanalysed (Term|Phrase) .*rewrite"):
                view.count(raw)  # type: ignore[arg-type]


def test_many_article_ids_lower_to_one_filter(engine: Engine) -> None:
    with engine._backend.snapshot() as snap:
        view = View(snap)
        ids = Field("article", Or((ArticleId("000_8573dd3e2d4c80c7"),
                                   ArticleId("003_12f5a146de662289"))))
        assert view.plan(ids) == Filter(Terms("article", ("000_8573dd3e2d4c80c7",
                                                          "003_12f5a146de662289")))
        assert {"000_8573dd3e2d4c80c7", "003_12f5a146de662289"} == view.articles(ids)


@pytest.mark.slow
@pytest.mark.skipif(importlib.util.find_spec("mypy") is None, reason="mypy is in the test extras")
def test_the_type_checker_rejects_a_parsed_tree_where_a_plan_is_made(tmp_path: Path) -> None:
    script = tmp_path / "raw.py"
    script.write_text(textwrap.dedent("""\
        from search.plan.lower import Lowering
        from search.query.ast import And, Term, Word
        from search.query.rewrite import rewrite

        def plans(lowering: Lowering) -> None:
            analysed = rewrite(Term("Lavrov"))
            assert analysed is not None
            lowering(analysed)
            lowering(And((analysed, Word(("nga",), ("nga",)))))
            lowering(Term("Lavrov"))
            lowering(And((analysed, Term("Putin"))))
        """))
    proc = subprocess.run([sys.executable, "-m", "mypy", "--strict", "--follow-imports=silent",
                           "--ignore-missing-imports", str(script)], cwd=ROOT,
                          capture_output=True, text=True)
    errors = [line for line in proc.stdout.splitlines() if ": error:" in line]
    assert [int(e.split(":")[1]) for e in errors] == [10, 11], proc.stdout


def test_a_marked_prefix_means_itself_to_the_plan_highlights_and_suggestions(
        engine: Engine) -> None:
    # one rule (plan.lower.exact_form): the plan finds no "kremlìn…", the highlighter
    # lights none up, and the suggestion offers the spelling the index has
    typed = engine.search("Kremlìn*")
    assert typed.total == 0
    assert [s.query for s in typed.suggestions] == ["kremlin*"]
    assert "with these accents" in typed.suggestions[0].message
    bare = engine.search("Kremlin*")
    assert bare.total > 0 and all(h.highlights for h in bare)
    text = bare.hits[0].text
    marked, plain = (patterns(rewrite(parse(q)) or Term("")) for q in ("Kremlìn*", "Kremlin*"))
    assert highlight(text, marked) == [] and highlight(text, plain) == bare.hits[0].highlights
