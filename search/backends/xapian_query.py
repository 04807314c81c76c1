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

import xapian

from search.backends.base import UnsupportedQuery
from search.plan import (
    All,
    AnyOf,
    Best,
    DateWithin,
    Filter,
    MatchAll,
    MatchNone,
    Phrase,
    Plan,
    Scale,
    Terms,
    WithExtra,
)
from search.schema import (
    ARTICLE,
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


def term(field: str, text: str) -> str:
    return PREFIXES[field] + text


def sortable(n: int) -> bytes:
    return xapian.sortable_serialise(n)


def _scaled(q: xapian.Query, factor: float) -> xapian.Query:
    return q if factor == 1.0 else xapian.Query(xapian.Query.OP_SCALE_WEIGHT, q, factor)


def _filter(q: xapian.Query) -> xapian.Query:
    """Matches as ``q`` does and adds nothing to the score."""
    return xapian.Query(xapian.Query.OP_SCALE_WEIGHT, q, 0.0)


def _or(qs: list[xapian.Query]) -> xapian.Query:
    return qs[0] if len(qs) == 1 else xapian.Query(xapian.Query.OP_OR, qs)


class Mapper:
    """Plan nodes -> Xapian queries: the only query code this engine has. A plan
    ``AnyOf`` with ``minimum`` > 1 maps to the plain union here; the snapshot keeps
    the passages that match enough of it (Xapian has no k-of-n operator)."""

    def __call__(self, plan: Plan) -> xapian.Query:
        if isinstance(plan, Terms):
            return _scaled(_or([xapian.Query(term(plan.field, t)) for t in plan.terms]),
                           plan.weight)
        if isinstance(plan, Phrase):
            ts = [term(plan.field, t) for t in plan.terms]
            if plan.slop:  # any order, each next term within ``slop`` positions
                q = xapian.Query(xapian.Query.OP_NEAR, ts, max(1, plan.slop) + len(ts) - 1)
            else:
                q = xapian.Query(xapian.Query.OP_PHRASE, ts, len(ts))
            return _scaled(q, plan.weight)
        if isinstance(plan, DateWithin):
            lo = plan.start if plan.start is not None else (0 if plan.end is None else None)
            clauses = [xapian.Query(xapian.Query.OP_VALUE_GE, SLOT_LO, sortable(lo))] \
                if lo is not None else []
            if plan.end is not None:
                clauses.append(xapian.Query(xapian.Query.OP_VALUE_LE, SLOT_HI,
                                            sortable(plan.end)))
            return clauses[0] if len(clauses) == 1 else xapian.Query(xapian.Query.OP_AND,
                                                                     clauses)
        if isinstance(plan, All):
            must = [self(c) for c in plan.must if not isinstance(c, MatchAll)]
            q = xapian.Query(xapian.Query.OP_AND, must) if must else xapian.Query.MatchAll
            if plan.exclude:
                q = xapian.Query(xapian.Query.OP_AND_NOT, q,
                                 _or([self(c) for c in plan.exclude]))
            return q
        if isinstance(plan, AnyOf):
            return _or([self(c) for c in plan.should])
        if isinstance(plan, Best):
            return xapian.Query(xapian.Query.OP_MAX, [self(c) for c in plan.choices])
        if isinstance(plan, WithExtra):
            return xapian.Query(xapian.Query.OP_AND_MAYBE, self(plan.required),
                                self(plan.extra))
        if isinstance(plan, Scale):
            return xapian.Query(xapian.Query.OP_SCALE_WEIGHT, self(plan.child), plan.factor)
        if isinstance(plan, Filter):
            return _filter(self(plan.child))
        if isinstance(plan, MatchAll):
            return xapian.Query.MatchAll
        if isinstance(plan, MatchNone):
            return xapian.Query.MatchNothing
        raise UnsupportedQuery(f"the Xapian engine cannot run {type(plan).__name__}")


def ids_filter(ids: Iterable[str]) -> xapian.Query:
    """The passages whose id is in ``ids``, as a filter that scores nothing."""
    qs = [xapian.Query(term(ID, i)) for i in sorted(ids)]
    return _filter(_or(qs)) if qs else xapian.Query.MatchNothing
