"""Plan nodes -> an engine's queries. The walk and the dispatch by node kind are
written once here; an engine implements one method per kind, each given its
children already mapped, so its module holds only what its library does
differently (as a SQL dialect overrides only the transforms that differ)."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable
from typing import Any, Generic, TypeVar

from search.plan import nodes as n

Q = TypeVar("Q")


class UnsupportedQuery(Exception):
    """A plan node the engine cannot run; raised, never silently dropped."""


class PlanMapper(ABC, Generic[Q]):
    """Maps a plan to one engine's query type ``Q``."""

    engine = "this"  # named in UnsupportedQuery

    def __call__(self, plan: n.Plan) -> Q:
        step = _DISPATCH.get(type(plan))
        if step is None:
            raise UnsupportedQuery(f"the {self.engine} engine cannot run {type(plan).__name__}")
        return step(self, plan)  # type: ignore[no-any-return]

    # leaves ---------------------------------------------------------------------------
    @abstractmethod
    def terms(self, node: n.Terms) -> Q:
        """Any of the terms, each scored times the weight."""
    @abstractmethod
    def phrase(self, node: n.Phrase) -> Q: ...
    @abstractmethod
    def near(self, node: n.Near) -> Q:
        """Two terms at most ``within`` positions apart, either order."""
    @abstractmethod
    def range(self, node: n.Range) -> Q:
        """An integer field within bounds; scores nothing."""
    @abstractmethod
    def passages(self, node: n.Passages) -> Q:
        """The listed passage ids; scores nothing (no ids: no passage)."""
    @abstractmethod
    def first_passages(self) -> Q: ...
    @abstractmethod
    def match_all(self) -> Q: ...
    @abstractmethod
    def match_none(self) -> Q: ...

    # combinations of mapped children --------------------------------------------------
    @abstractmethod
    def all_of(self, must: list[Q], exclude: list[Q]) -> Q:
        """Every one of ``must`` (none: every passage), none of ``exclude``; scores add."""
    @abstractmethod
    def any_of(self, should: list[Q], minimum: int) -> Q:
        """At least ``minimum`` of ``should``; an engine without the operator only ever
        gets 1 (``base.Snapshot.runnable`` selects k of n for it)."""
    @abstractmethod
    def best(self, choices: list[Q]) -> Q:
        """Any of them, scored by the best one alone."""
    @abstractmethod
    def with_extra(self, required: Q, extra: Q) -> Q:
        """What ``required`` matches; ``extra`` only adds to the score."""
    @abstractmethod
    def scale(self, child: Q, factor: float) -> Q: ...
    @abstractmethod
    def filter(self, child: Q) -> Q:
        """What ``child`` matches, scoring nothing."""


def _all(m: PlanMapper[Any], p: n.All) -> Any:
    return m.all_of([m(c) for c in p.must if not isinstance(c, n.MatchAll)],
                    [m(c) for c in p.exclude])


_DISPATCH: dict[type, Callable[[PlanMapper[Any], Any], Any]] = {
    n.Terms: lambda m, p: m.terms(p),
    n.Phrase: lambda m, p: m.phrase(p),
    n.Near: lambda m, p: m.near(p),
    n.Range: lambda m, p: m.range(p),
    n.Passages: lambda m, p: m.passages(p),
    n.FirstPassages: lambda m, p: m.first_passages(),
    n.MatchAll: lambda m, p: m.match_all(),
    n.MatchNone: lambda m, p: m.match_none(),
    n.All: _all,
    n.AnyOf: lambda m, p: m.any_of([m(c) for c in p.should], p.minimum),
    n.Best: lambda m, p: m.best([m(c) for c in p.choices]),
    n.WithExtra: lambda m, p: m.with_extra(m(p.required), m(p.extra)),
    n.Scale: lambda m, p: m.scale(m(p.child), p.factor),
    n.Filter: lambda m, p: m.filter(m(p.child)),
}
