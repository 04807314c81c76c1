"""Build queries in code, without assembling strings.

The builder makes the very tree the parser makes from the equivalent text,
so ``parse(q.to_text()) == q.node`` always holds:

>>> from search import Q
>>> q = Q.phrase("Nord Stream") & Q.speaker("Sullivan") & Q.date("2021-12")
>>> q.to_text()
'"Nord Stream" AND speaker:Sullivan AND date:2021-12'
>>> (Q.term("NATO") | Q.term("Ukraine")).boost(2).to_text()
'(NATO OR Ukraine)^2'
>>> (Q.term("Putin") & ~Q.term("Biden")).to_text()
'Putin AND NOT Biden'
"""

from __future__ import annotations

from dataclasses import dataclass

from search.date_values import DateValue, parse_date
from search.query.ast import (
    And,
    Boost,
    DateRange,
    Field,
    Fuzzy,
    Must,
    Node,
    Not,
    Or,
    Phrase,
    Prefix,
    Term,
)


def _value(text: str) -> Node:
    """One word as a term, several as a phrase (a name is one unit)."""
    return Phrase(text) if len(text.split()) > 1 else Term(text)


def _date(value: str | DateValue | None) -> DateValue | None:
    if value is None or isinstance(value, DateValue):
        return value
    return parse_date(value)


@dataclass(frozen=True, slots=True)
class Q:
    """A query under construction; combine with ``&``, ``|``, ``~`` and ``+``."""

    node: Node

    # leaves -----------------------------------------------------------------
    @staticmethod
    def term(text: str) -> Q:
        """A bare word (``Ukraine``); several words make an implicit AND, as typed."""
        parts = text.split()
        if len(parts) == 1:
            return Q(Term(parts[0]))
        return Q(And(tuple(Term(p) for p in parts)))

    @staticmethod
    def phrase(text: str, slop: int | None = None) -> Q:
        return Q(Phrase(text, slop))

    @staticmethod
    def prefix(text: str) -> Q:
        return Q(Prefix(text))

    @staticmethod
    def fuzzy(text: str, distance: int | None = None) -> Q:
        return Q(Fuzzy(text, distance))

    # fields -----------------------------------------------------------------
    @staticmethod
    def speaker(name: str) -> Q:
        """Who speaks: one word matches any name holding it, several the full name."""
        return Q(Field("speaker", _value(name)))

    @staticmethod
    def source(name: str) -> Q:
        return Q(Field("source", _value(name)))

    @staticmethod
    def title(text: str) -> Q:
        return Q(Field("title", _value(text)))

    @staticmethod
    def article(article_id: str) -> Q:
        return Q(Field("article", Term(article_id)))

    @staticmethod
    def date(value: str | DateValue | None = None, *, start: str | DateValue | None = None,
             end: str | DateValue | None = None, include_start: bool = True,
             include_end: bool = True) -> Q:
        """``Q.date("2021-12")`` or ``Q.date(start="2021-12-01", end="2021-12-31")``."""
        if value is not None:
            d = _date(value)
            return Q(Field("date", DateRange(d, d)))
        lo, hi = _date(start), _date(end)
        return Q(Field("date", DateRange(lo, hi, include_start or lo is None,
                                         include_end or hi is None)))

    # combinators ------------------------------------------------------------
    def __and__(self, other: Q) -> Q:
        # a chain a & b & c is one AND of three, as the parser reads "a AND b AND c"
        left = self.node.children if isinstance(self.node, And) and self.node.explicit else (
            self.node,)
        return Q(And((*left, other.node), explicit=True))

    def __or__(self, other: Q) -> Q:
        left = self.node.children if isinstance(self.node, Or) else (self.node,)
        return Q(Or((*left, other.node)))

    def __invert__(self) -> Q:
        return Q(Not(self.node))

    def __pos__(self) -> Q:
        return Q(Must(self.node))

    def boost(self, factor: float) -> Q:
        return Q(Boost(self.node, float(factor)))

    def to_text(self) -> str:
        """The query string that parses to this same tree."""
        return self.node.to_text()

    def __str__(self) -> str:
        return self.to_text()
