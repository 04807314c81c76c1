"""Reading a Xapian database, local or a cluster's combined one: snapshots (one
handle, one revision), the backend's whole-index reads, and how read failures are
reported. ``xapian.py`` writes and opens local databases; ``xapian_cluster.py``
opens shards; ``xapian_query.py`` maps plan nodes.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any

import xapian

from search.backends.base import COPIES_SLACK, FACETS, RawHit, other_copies
from search.backends.xapian_query import PREFIXES, SLOT_ORDER, Mapper, ids_filter, term
from search.errors import IndexDamagedError, ReadAgainError, SearchError
from search.plan import AnyOf, Plan
from search.schema import ID, KEY

PAGE = 10_000  # documents per result page when going over all of them
FIRST = "XF:1"  # boolean term on every article's first passage: one per article
MAX_TERM = 240  # bytes; Xapian refuses longer terms
MAX_COMBINATIONS = 256  # "k of n" as an OR of ANDs up to this many; else by passage ids


def weighting() -> xapian.Weight:
    """BM25 with Whoosh's constants (k1 1.2, b 0.75), so weights compare across engines."""
    return xapian.BM25Weight(1.2, 0.0, 1.0, 0.75, 0.5)


class Storage:
    """How a failure to read is reported: a local index names its rebuild; a
    cluster (``xapian_cluster``) overrides this to name the shard that failed."""

    def __init__(self, location: str) -> None:
        self.location = location

    def error(self, exc: xapian.Error) -> SearchError:
        return IndexDamagedError(
            f"the index at {self.location} is damaged ({type(exc).__name__}: {exc}); "
            f"rebuild it with: vnsearch index --rebuild --index {self.location}")

    @contextmanager
    def reading(self) -> Iterator[None]:
        try:
            yield
        except xapian.DatabaseModifiedError as exc:
            raise ReadAgainError(f"the index changed under this read ({exc})") from None
        except xapian.Error as exc:
            raise self.error(exc) from None


def _mset(db: xapian.Database, query: xapian.Query, offset: int, limit: int,
          scored: bool = True) -> xapian.MSet:
    enquire = xapian.Enquire(db)
    enquire.set_query(query)
    if scored:
        enquire.set_weighting_scheme(weighting())
        # docids differ between one index and shards: ties are broken by the passage
        enquire.set_sort_by_relevance_then_value(SLOT_ORDER, False)
    else:
        enquire.set_weighting_scheme(xapian.BoolWeight())
        enquire.set_docid_order(xapian.Enquire.ASCENDING)
    # checkatleast: every match counted, so the total is exact
    return enquire.get_mset(offset, limit, db.get_doccount())


def _prefetch(mset: xapian.MSet, offset: int) -> None:
    """Ask for every record of ``mset`` at once: one request per shard of a cluster,
    not one per hit. (The 1.4 bindings' ``MSet.fetch()`` crashes the process on a
    page that does not start at 0, so later pages read record by record.)"""
    if offset == 0:
        mset.fetch()


def _data(item: Any) -> dict[str, Any]:
    return stored_record(item.document.get_data())


def stored_record(data: bytes) -> dict[str, Any]:
    if not data:  # every passage stores one: Xapian reads a missing data table as empty
        raise xapian.DatabaseCorruptError("a passage has lost its stored record")
    return json.loads(data)  # type: ignore[no-any-return]


class XapianSnapshot:
    """One database handle, one revision: vocabulary look-ups and searches agree."""

    def __init__(self, db: xapian.Database, storage: Storage,
                 hidden: list[xapian.Query] | None = None) -> None:
        self._db = db
        self._storage = storage
        self._map = Mapper()
        # passages readers must not see (a cluster: an unfinished or uncleaned run)
        self._hidden = xapian.Query(xapian.Query.OP_OR, hidden) if hidden else None

    def _matches(self, query: xapian.Query, offset: int, limit: int,
                 scored: bool = True) -> xapian.MSet:
        if self._hidden is not None:
            query = xapian.Query(xapian.Query.OP_AND_NOT, query, self._hidden)
        return _mset(self._db, query, offset, limit, scored)

    @property
    def hides_nothing(self) -> bool:
        return self._hidden is None

    def visible_count(self, query: xapian.Query) -> int:
        """Passages matching ``query`` that readers may see (counted: slower than the
        database's own statistics, which count hidden passages too)."""
        return int(self._matches(query, 0, 0, scored=False).get_matches_estimated())

    def __enter__(self) -> XapianSnapshot:
        return self

    def __exit__(self, exc_type: Any, exc: BaseException | None, tb: Any) -> None:
        if isinstance(exc, xapian.DatabaseModifiedError):  # the engine reads again
            raise ReadAgainError(f"the index changed under this read ({exc})") from None
        if isinstance(exc, xapian.Error):
            raise self._storage.error(exc) from None

    def vocabulary(self, prefix: str) -> Iterator[tuple[str, int]]:
        for item in self._db.allterms(prefix):
            yield item.term.decode("utf-8"), int(item.termfreq)

    def terms_with_prefix(self, field: str, prefix: str) -> list[tuple[str, int]]:
        head = PREFIXES[field]
        return [(t[len(head):], df) for t, df in self.vocabulary(head + prefix)]

    def compile(self, plan: Plan) -> xapian.Query:
        compiled = self._map(plan)
        if isinstance(plan, AnyOf) and plan.minimum > 1:
            compiled = xapian.Query(xapian.Query.OP_FILTER, compiled, self._at_least(plan))
        return compiled

    def _at_least(self, plan: AnyOf) -> xapian.Query:
        """Passages matching at least ``plan.minimum`` children, as a filter: an OR of
        the ANDs of every ``minimum`` children when they are few, else by passage id."""
        children = [self._map(c) for c in plan.should]
        k = plan.minimum
        n_combos = 1
        for i in range(k):
            n_combos = n_combos * (len(children) - i) // (i + 1)
        if n_combos <= MAX_COMBINATIONS:
            ands = [xapian.Query(xapian.Query.OP_AND, list(c))
                    for c in itertools.combinations(children, k)]
            return ands[0] if len(ands) == 1 else xapian.Query(xapian.Query.OP_OR, ands)
        counts: dict[str, int] = {}
        for child in children:
            for pid in self._ids(child):
                counts[pid] = counts.get(pid, 0) + 1
        return ids_filter(pid for pid, c in counts.items() if c >= k)

    def _ids(self, compiled: xapian.Query) -> set[str]:
        out = set()
        for item in self._matches(compiled, 0, self._db.get_doccount(), scored=False):
            d = _data(item)
            out.add(f"{d['article']}#{d['passage']}")
        return out

    def doc_frequency(self, fieldname: str, text: str) -> int:
        t = term(fieldname, text)
        return int(self._db.get_termfreq(t)) if len(t.encode()) <= MAX_TERM else 0

    def search(self, plan: Plan, limit: int, offset: int,
               exclude: set[str] | None = None) -> tuple[int, list[RawHit]]:
        compiled = self.compile(plan)
        if exclude:
            compiled = xapian.Query(xapian.Query.OP_AND_NOT, compiled, ids_filter(exclude))
        mset = self._matches(compiled, offset, limit)
        _prefetch(mset, offset)
        return int(mset.get_matches_estimated()), [RawHit(_data(i), float(i.weight))
                                                   for i in mset]

    def ids(self, plan: Plan) -> set[str]:
        return self._ids(self.compile(plan))

    def count(self, plan: Plan) -> int:
        return int(self._matches(self.compile(plan), 0, 0).get_matches_estimated())

    def articles(self, plan: Plan) -> set[str]:
        return {_data(i)["article"]
                for i in self._matches(self.compile(plan), 0, self._db.get_doccount(),
                               scored=False)}

    def copies(self, key: str, article: str, limit: int) -> tuple[int, list[str]]:
        mset = self._matches(xapian.Query(term(KEY, key)), 0, limit + COPIES_SLACK,
                     scored=False)
        return other_copies([_data(i) for i in mset], int(mset.get_matches_estimated()),
                            article, limit)

    def score(self, plan: Plan, doc_id: str) -> float:
        q = xapian.Query(xapian.Query.OP_FILTER, self.compile(plan),
                         xapian.Query(term(ID, doc_id)))
        hits = list(self._matches(q, 0, 1))
        return float(hits[0].weight) if hits else 0.0

    # whole-index reads, shared with the backend ------------------------------------------
    def all_docs(self, query: xapian.Query) -> Iterator[dict[str, Any]]:
        """Every matching stored record, a page at a time (bounded memory)."""
        offset = 0
        while True:
            mset = self._matches(query, offset, PAGE, scored=False)
            if not mset.size():
                return
            _prefetch(mset, offset)
            for item in mset:
                yield _data(item)
            offset += PAGE

    def term_counts(self, prefix: str) -> list[tuple[str, int]]:
        counts = [(t[len(prefix):], df) for t, df in self.vocabulary(prefix) if df]
        if self._hidden is not None:  # rare: a killed run's passages are still on disk
            counts = [(t, self.visible_count(xapian.Query(prefix + t))) for t, _ in counts]
        return [(t, df) for t, df in counts if df]


class ReadSide:
    """The reading half shared by a local database and a cluster: whatever opens the
    database, the backend's whole-index reads go through one snapshot."""

    storage: Storage

    def snapshot(self) -> XapianSnapshot:
        raise NotImplementedError

    def _read(self, fn: Callable[[XapianSnapshot], Any]) -> Any:
        """Run ``fn`` on a fresh snapshot; again if a writer moved the revision under
        it, or (a cluster) a shard stopped answering."""
        for attempt in (1, 2, 3):
            try:
                with self.storage.reading(), self.snapshot() as snap:
                    return fn(snap)
            except ReadAgainError:
                if attempt == 3:
                    raise
                self.refresh()
        return None

    def refresh(self) -> None:
        raise NotImplementedError

    def compile(self, plan: Plan) -> xapian.Query:
        return Mapper()(plan)

    def iter_stored(self) -> Iterator[Mapping[str, Any]]:
        with self.storage.reading(), self.snapshot() as snap:
            yield from snap.all_docs(xapian.Query.MatchAll)

    def articles(self) -> dict[str, tuple[str, str]]:
        def read(snap: XapianSnapshot) -> dict[str, tuple[str, str]]:
            return {d["article"]: (d.get("path", ""), d.get("sha256", ""))
                    for d in snap.all_docs(xapian.Query(FIRST))}
        return self._read(read)  # type: ignore[no-any-return]

    def facet_counts(self, key: str) -> list[tuple[str, int]]:
        return self._read(lambda s: s.term_counts(PREFIXES[FACETS[key]]))  # type: ignore[no-any-return]

    def passages_of(self, article: str) -> list[Mapping[str, Any]]:
        docs = self._read(lambda s: list(s.all_docs(xapian.Query(term("article", article)))))
        return sorted(docs, key=lambda d: d["passage"])

    def stats(self) -> dict[str, int]:
        def read(snap: XapianSnapshot) -> dict[str, int]:
            if snap.hides_nothing:
                db = snap._db  # noqa: SLF001 - the snapshot's own handle
                return {"passages": int(db.get_doccount()),
                        "articles": int(db.get_termfreq(FIRST))}
            return {"passages": snap.visible_count(xapian.Query.MatchAll),
                    "articles": snap.visible_count(xapian.Query(FIRST))}
        return self._read(read)  # type: ignore[no-any-return]
