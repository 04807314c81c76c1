"""Plan nodes: the one walk and the one transform over plans, and the leaves a score
breakdown lists (none from inside a filter)."""

from __future__ import annotations

from search.plan import All, AnyOf, Filter, MatchNone, Near, Phrase, Plan, Scale, Terms, WithExtra
from search.plan.nodes import leaves, rebuild, show, walk

PUTIN, NGA = Terms("fold", ("putin",)), Terms("fold", ("nga",))
PLAN = All((WithExtra(PUTIN, Phrase("syl", ("nord", "stream"))),
            Filter(Terms("speaker", ("sullivan",)))),
           (Scale(NGA, 2.0),))


def test_the_walk_goes_parents_first_in_order_and_not_below_what_it_is_told() -> None:
    kinds = [type(n).__name__ for n in walk(PLAN)]
    assert kinds == ["All", "WithExtra", "Terms", "Phrase", "Filter", "Terms", "Scale", "Terms"]
    assert Terms("speaker", ("sullivan",)) not in list(
        walk(PLAN, lambda n: not isinstance(n, Filter)))


def test_leaves_are_what_scores_not_what_filters() -> None:
    assert leaves(PLAN) == [PUTIN, Phrase("syl", ("nord", "stream")), NGA]
    assert leaves(Near("fold", "a", "b", 3)) == [Near("fold", "a", "b", 3)]


def test_rebuild_applies_children_first_and_keeps_what_it_does_not_change() -> None:
    seen: list[str] = []

    def note(node: Plan) -> Plan:
        seen.append(type(node).__name__)
        return node

    assert rebuild(PLAN, note) == PLAN
    assert seen[-1] == "All" and seen.index("Terms") < seen.index("WithExtra")

    def nga_gone(node: Plan) -> Plan:
        return MatchNone() if node == NGA else node

    out = rebuild(AnyOf((PUTIN, NGA), 2), nga_gone)
    assert out == AnyOf((PUTIN, MatchNone()), 2)
    assert show(out) == "(atleast 2 (fold:putin) (nothing))"
