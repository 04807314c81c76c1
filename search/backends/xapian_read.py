"""Reading a Xapian database, local or a cluster's combined one: snapshots (one
handle, one revision), the backend's whole-index reads, and how read failures are
reported. ``xapian.py`` writes and opens local databases; ``xapian_cluster.py``
opens shards; ``xapian_query.py`` maps plan nodes.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from types import TracebackType
from typing import Any, cast

import xapian

from search.backends.base import Backend, Record, Snapshot
from search.backends.xapian_query import PREFIXES, SLOT_ORDER, Mapper, term
from search.errors import IndexDamagedError, ReadAgainError, SearchError
from search.plan import Plan
from search.schema import FACETS

MAX_TERM = 240  # bytes; Xapian refuses longer terms


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


def _data(item: Any) -> Record:
    return stored_record(item.document.get_data())


def stored_record(data: bytes) -> Record:
    if not data:  # every passage stores one: Xapian reads a missing data table as empty
        raise xapian.DatabaseCorruptError("a passage has lost its stored record")
    return cast(Record, json.loads(data))


class XapianSnapshot(Snapshot):
    """One database handle, one revision: vocabulary look-ups and searches agree."""

    def __init__(self, db: xapian.Database, storage: Storage,
                 hidden: list[xapian.Query] | None = None) -> None:
        self._db = db
        self._storage = storage
        self._map = Mapper()
        # passages readers must not see (a cluster: an unfinished or uncleaned run)
        self._hidden = xapian.Query(xapian.Query.OP_OR, hidden) if hidden else None

    def reading(self) -> AbstractContextManager[None]:
        return self._storage.reading()

    def _mset(self, query: xapian.Query, offset: int, limit: int,
              scored: bool = True) -> xapian.MSet:
        if self._hidden is not None:
            query = xapian.Query(xapian.Query.OP_AND_NOT, query, self._hidden)
        return _mset(self._db, query, offset, limit, scored)

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        if isinstance(exc, xapian.DatabaseModifiedError):  # the engine reads again
            raise ReadAgainError(f"the index changed under this read ({exc})") from None
        if isinstance(exc, xapian.Error):
            raise self._storage.error(exc) from None

    def compile(self, plan: Plan) -> xapian.Query:
        return self._map(plan)

    def matches(self, query: xapian.Query, limit: int | None, offset: int = 0,
                scored: bool = True) -> tuple[int, list[tuple[float, Record]]]:
        mset = self._mset(query, offset, self._db.get_doccount() if limit is None else limit,
                          scored)
        _prefetch(mset, offset)
        return int(mset.get_matches_estimated()), [(float(i.weight), _data(i)) for i in mset]

    def count_compiled(self, query: xapian.Query) -> int:
        # checkatleast: every match counted, so the estimate is exact
        return int(self._mset(query, 0, 0, scored=False).get_matches_estimated())

    def size(self) -> int:
        """The database's own statistics count hidden passages too: then counted."""
        if self._hidden is None:
            return int(self._db.get_doccount())
        return self.count_compiled(xapian.Query.MatchAll)

    def vocabulary(self, prefix: str) -> Iterator[tuple[str, int]]:
        for item in self._db.allterms(prefix):
            yield item.term.decode("utf-8"), int(item.termfreq)

    def terms_with_prefix(self, field: str, prefix: str) -> list[tuple[str, int]]:
        head = PREFIXES[field]
        return [(t[len(head):], df) for t, df in self.vocabulary(head + prefix)]

    def doc_frequency(self, fieldname: str, text: str) -> int:
        t = term(fieldname, text)
        return int(self._db.get_termfreq(t)) if len(t.encode()) <= MAX_TERM else 0

    def term_counts(self, prefix: str) -> list[tuple[str, int]]:
        counts = [(t[len(prefix):], df) for t, df in self.vocabulary(prefix) if df]
        if self._hidden is not None:  # rare: a killed run's passages are still on disk
            counts = [(t, self.count_compiled(xapian.Query(prefix + t))) for t, _ in counts]
        return [(t, df) for t, df in counts if df]


class ReadSide(Backend):
    """The reading half shared by a local database and a cluster."""

    storage: Storage

    def facet_counts(self, key: str) -> list[tuple[str, int]]:
        def read(snap: Snapshot) -> list[tuple[str, int]]:
            assert isinstance(snap, XapianSnapshot)
            return snap.term_counts(PREFIXES[FACETS[key]])
        return self.read(read)
