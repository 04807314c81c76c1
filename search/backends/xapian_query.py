"""Plan nodes -> Xapian queries: the one place that knows how the shared plan
(:mod:`search.plan`) maps onto Xapian's operators. Storage (schema, writer,
snapshots) lives in ``xapian.py``; the mapping needs nothing of it, so the same
mapping serves a local database and a cluster of shards.

Prefix, wildcard and fuzzy terms arrive already expanded by the plan into plain
term sets (never ``OP_WILDCARD``/``OP_SYNONYM``, whose statistics a combined
database of remote shards estimates per shard): the scores of a cluster then
equal those of one local index holding the same passages.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import cast

import xapian

from search.backends.mapping import PlanMapper
from search.plan import nodes as n
from search.schema import (
    ARTICLE,
    DATE_HI,
    DATE_LO,
    FOLD,
    ID,
    KEY,
    SOURCE_FOLD,
    SOURCE_NAME,
    SOURCE_SYL,
    SPEAKER_FOLD,
    SPEAKER_NAME,
    SPEAKER_SYL,
    SYL,
    TITLE_FOLD,
    TITLE_SYL,
    WFOLD,
    WORD,
)

# field -> term prefix. Every prefix ends in ":" so no term can be read as another field's.
PREFIXES = {
    SYL: "S:", FOLD: "F:", WORD: "W:", WFOLD: "V:", TITLE_SYL: "T:", TITLE_FOLD: "U:",
    SPEAKER_FOLD: "P:", SPEAKER_SYL: "PS:", SOURCE_FOLD: "O:", SOURCE_SYL: "OS:",
    SPEAKER_NAME: "XP:", SOURCE_NAME: "XO:",  # canonical names (facets), boolean
    ID: "Q", ARTICLE: "XA:", KEY: "XK:",  # boolean filter terms
}
SLOT_LO, SLOT_HI = 0, 1  # value slots: the article date interval, yyyymmdd, sortable
SLOT_ORDER = 2  # article, then passage: equal scores rank the same on every layout
SLOTS = {DATE_LO: SLOT_LO, DATE_HI: SLOT_HI}  # integer fields: their value slots
FIRST = "XF:1"  # boolean term on every article's first passage: one per article


def term(field: str, text: str) -> str:
    return PREFIXES[field] + text


def sortable(value: int) -> bytes:
    return cast(bytes, xapian.sortable_serialise(value))


def _scaled(q: xapian.Query, factor: float) -> xapian.Query:
    return q if factor == 1.0 else xapian.Query(xapian.Query.OP_SCALE_WEIGHT, q, factor)


def _filter(q: xapian.Query) -> xapian.Query:
    """Matches as ``q`` does and adds nothing to the score."""
    return xapian.Query(xapian.Query.OP_SCALE_WEIGHT, q, 0.0)


def _or(qs: list[xapian.Query]) -> xapian.Query:
    return qs[0] if len(qs) == 1 else xapian.Query(xapian.Query.OP_OR, qs)


class Mapper(PlanMapper[xapian.Query]):
    """Plan nodes -> Xapian queries: the only query code this engine has."""

    engine = "Xapian"

    def terms(self, node: n.Terms) -> xapian.Query:
        return _scaled(_or([xapian.Query(term(node.field, t)) for t in node.terms]),
                       node.weight)

    def phrase(self, node: n.Phrase) -> xapian.Query:
        ts = [term(node.field, t) for t in node.terms]
        return _scaled(xapian.Query(xapian.Query.OP_PHRASE, ts, len(ts)), node.weight)

    def near(self, node: n.Near) -> xapian.Query:  # a window of within + 1 positions
        ts = [term(node.field, node.first), term(node.field, node.second)]
        return _scaled(xapian.Query(xapian.Query.OP_NEAR, ts, node.within + 1), node.weight)

    def range(self, node: n.Range) -> xapian.Query:
        return _filter(value_range(SLOTS[node.field], node.lo, node.hi))

    def passages(self, node: n.Passages) -> xapian.Query:
        return ids_filter(node.ids)

    def first_passages(self) -> xapian.Query:
        return xapian.Query(FIRST)

    def match_all(self) -> xapian.Query:
        return xapian.Query.MatchAll

    def match_none(self) -> xapian.Query:
        return xapian.Query.MatchNothing

    def all_of(self, must: list[xapian.Query], exclude: list[xapian.Query]) -> xapian.Query:
        q = xapian.Query(xapian.Query.OP_AND, must) if must else xapian.Query.MatchAll
        return xapian.Query(xapian.Query.OP_AND_NOT, q, _or(exclude)) if exclude else q

    def any_of(self, should: list[xapian.Query], minimum: int) -> xapian.Query:
        return _or(should)  # Xapian has no k-of-n operator: never asked

    def best(self, choices: list[xapian.Query]) -> xapian.Query:
        return xapian.Query(xapian.Query.OP_MAX, choices)

    def with_extra(self, required: xapian.Query, extra: xapian.Query) -> xapian.Query:
        return xapian.Query(xapian.Query.OP_AND_MAYBE, required, extra)

    def scale(self, child: xapian.Query, factor: float) -> xapian.Query:
        return xapian.Query(xapian.Query.OP_SCALE_WEIGHT, child, factor)

    def filter(self, child: xapian.Query) -> xapian.Query:
        return _filter(child)


def value_range(slot: int, lo: int | None, hi: int | None) -> xapian.Query:
    if lo is not None and hi is not None:
        return xapian.Query(xapian.Query.OP_VALUE_RANGE, slot, sortable(lo), sortable(hi))
    if lo is not None:
        return xapian.Query(xapian.Query.OP_VALUE_GE, slot, sortable(lo))
    if hi is not None:
        return xapian.Query(xapian.Query.OP_VALUE_LE, slot, sortable(hi))
    return xapian.Query.MatchAll


def ids_filter(ids: Iterable[str]) -> xapian.Query:
    """The passages whose id is in ``ids``, as a filter that scores nothing."""
    qs = [xapian.Query(term(ID, i)) for i in sorted(ids)]
    return _filter(_or(qs)) if qs else xapian.Query.MatchNothing
