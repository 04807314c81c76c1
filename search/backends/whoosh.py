"""The Whoosh engine: its schema, writer and snapshot, and the mapping from
plan nodes to Whoosh queries.

Analysis is ours, not Whoosh's: documents arrive as term lists per field and
a tokenizer only replays them with positions (``whoosh_extensions``), so any
other engine fed the same lists sees identical terms.
"""

from __future__ import annotations

import json
import re
import shutil
import threading
import time
from collections.abc import Iterator
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

from whoosh import index as windex
from whoosh import query as wq
from whoosh.fields import ID, NUMERIC, STORED, TEXT, Schema
from whoosh.index import LockError
from whoosh.query.spans import SpanNear2
from whoosh.scoring import BM25F

from search.backends.base import (
    Backend,
    PassageDoc,
    Record,
    Snapshot,
    lock_timeout,
)
from search.backends.mapping import PlanMapper
from search.backends.whoosh_extensions import (
    SEP,
    BatchedPool,
    BestOf,
    PreAnalyzed,
    Scaled,
    WithOptional,
    WriterCodec,
    filtered,
    storage_errors,
)
from search.errors import IndexBusyError
from search.plan import Plan
from search.plan import nodes as n
from search.schema import ARTICLE, BAGS, DATA, DATE_HI, DATE_LO, FACETS, KEY, POSITIONAL, SYL
from search.schema import (
    ID as ID_FIELD,
)

POOL_MB = 256  # postings held in memory before the writer spills a sorted run to disk
_GENERATION_FILE = re.compile(r"_?(G\d+|MAIN)[_.]")  # G1795…_x.pst, _G1795…_2.toc, G1795….tmp
def _text(phrase: bool = True) -> TEXT:
    return TEXT(analyzer=PreAnalyzed(), phrase=phrase)


def schema() -> Schema:
    """``search.schema``'s fields as Whoosh fields."""
    fields: dict[str, Any] = {name: _text() for name in POSITIONAL}
    fields.update({name: _text(phrase=False) for name in BAGS})
    # canonical names, one term each: counted from postings, not stored documents
    fields.update({name: _text(phrase=False) for name in FACETS.values()})
    fields.update({ID_FIELD: ID(stored=True, unique=True), ARTICLE: ID(stored=True),
                   "passage": NUMERIC(stored=True), KEY: ID,
                   DATE_LO: NUMERIC(bits=32), DATE_HI: NUMERIC(bits=32), DATA: STORED})
    return Schema(**fields)


class Mapper(PlanMapper[wq.Query]):
    """Plan nodes -> Whoosh queries: the only query code this engine has."""

    engine = "Whoosh"

    def terms(self, node: n.Terms) -> wq.Query:
        qs = [wq.Term(node.field, t, boost=node.weight) for t in node.terms]
        return qs[0] if len(qs) == 1 else wq.Or(qs)

    def phrase(self, node: n.Phrase) -> wq.Query:
        return wq.Phrase(node.field, list(node.terms), boost=node.weight)

    def near(self, node: n.Near) -> wq.Query:
        near = SpanNear2([wq.Term(node.field, node.first), wq.Term(node.field, node.second)],
                         slop=node.within, ordered=False)
        near.boost = node.weight
        return near

    def range(self, node: n.Range) -> wq.Query:
        return filtered(wq.NumericRange(node.field, node.lo, node.hi))

    def passages(self, node: n.Passages) -> wq.Query:
        if not node.ids:
            return wq.NullQuery
        return filtered(wq.Or([wq.Term(ID_FIELD, i) for i in sorted(node.ids)]))

    def first_passages(self) -> wq.Query:
        return wq.NumericRange("passage", 1, 1)

    def match_all(self) -> wq.Query:
        return wq.Every()

    def match_none(self) -> wq.Query:
        return wq.NullQuery

    def all_of(self, must: list[wq.Query], exclude: list[wq.Query]) -> wq.Query:
        # Not(…) made a filter: Whoosh's Not scores 1.0 on every passage it lets
        # through, which shifted every score of a query with an exclusion
        return wq.And((must or [wq.Every()]) + [filtered(wq.Not(q)) for q in exclude])

    def any_of(self, should: list[wq.Query], minimum: int) -> wq.Query:
        return wq.Or(should)  # Whoosh's Or(minmatch=…) ignores minmatch: never asked

    def best(self, choices: list[wq.Query]) -> wq.Query:
        return BestOf(choices)

    def with_extra(self, required: wq.Query, extra: wq.Query) -> wq.Query:
        return WithOptional(required, extra)

    def scale(self, child: wq.Query, factor: float) -> wq.Query:
        return Scaled(child, factor)

    def filter(self, child: wq.Query) -> wq.Query:
        return filtered(child)


class WhooshBackend(Backend):
    """Each thread reads through its own searcher (Whoosh searchers are not
    shared safely across threads); a searcher is re-checked for newer commits
    every ``refresh_interval`` seconds, or at once after :meth:`refresh`."""

    name = "whoosh"
    pool_mb: float = POOL_MB  # the writer's memory for postings, before it spills

    def __init__(self, ix: windex.Index, refresh_interval: float = 1.0,
                 generation: str = "MAIN") -> None:
        self._ix = ix
        self.generation = generation
        self._map = Mapper()
        self.refresh_interval = refresh_interval
        self._local = threading.local()
        self._epoch = 0
        self._open: list[Any] = []
        self._lock = threading.Lock()

    def refresh(self) -> None:
        """Make every thread look for a newer commit before its next search."""
        self._epoch += 1

    def _searcher(self) -> Any:
        """This thread's searcher, opened anew when a newer commit exists. Whoosh's own
        ``Searcher.refresh()`` reuses the reader of a segment that a commit only
        deleted from, so deleted passages went on being found in this process."""
        loc, now = self._local, time.monotonic()
        current = getattr(loc, "searcher", None)
        if current is not None and (loc.epoch == self._epoch
                                    and now - loc.checked < self.refresh_interval):
            return current
        if current is not None and \
                current.reader().generation() == self._ix.latest_generation():
            loc.epoch, loc.checked = self._epoch, now
            return current
        fresh = self._ix.searcher(weighting=BM25F())
        with self._lock:
            if current is not None:
                self._open.remove(current)
                current.close()
            self._open.append(fresh)
        loc.searcher, loc.epoch, loc.checked = fresh, self._epoch, now
        return fresh

    @classmethod
    def create(cls, path: Path, generation: str = "MAIN") -> WhooshBackend:
        """A new, empty index named ``generation``; other generations in the folder
        are untouched (a rebuild writes beside the index it replaces)."""
        path.mkdir(parents=True, exist_ok=True)
        return cls(windex.create_in(str(path), schema(), indexname=generation),
                   generation=generation)

    @classmethod
    def open(cls, path: Path, generation: str = "MAIN") -> WhooshBackend:
        return cls(windex.open_dir(str(path), indexname=generation), generation=generation)

    @staticmethod
    def drop(path: Path, generation: str) -> None:
        """Delete the files of one generation (a replaced or abandoned one)."""
        for f in path.iterdir():
            if f.name.startswith((f"{generation}_", f"_{generation}_")):
                f.unlink(missing_ok=True)
        shutil.rmtree(path / f"{generation}.tmp", ignore_errors=True)  # spilled runs

    @staticmethod
    def generations(path: Path) -> set[str]:
        """Every generation with a file here, committed or not: a build killed before
        its first commit leaves segment files and its spilled runs (gigabytes)."""
        return {m.group(1) for f in path.iterdir() if (m := _GENERATION_FILE.match(f.name))}

    def check(self) -> None:
        """Touch every segment (its documents and each field's lexicon), so a
        missing or cut file is found at open, not in the middle of a search."""
        with self._ix.searcher() as s:
            for reader, _ in s.reader().leaf_readers():
                reader.doc_count_all()
                for fieldname in (ID_FIELD, SYL):
                    next(iter(reader.lexicon(fieldname)), None)
                reader.stored_fields(0) if reader.doc_count_all() else None

    @staticmethod
    def exists(path: Path, generation: str = "MAIN") -> bool:
        """A committed generation is here (its table of contents); whether it can be
        read is for :meth:`open` to find out, so damage is reported as damage."""
        return path.is_dir() and any(path.glob(f"_{generation}_*.toc"))

    # writing -------------------------------------------------------------
    def open_writer(self) -> WhooshWriter:
        """The one writer (callers hold the folder's lock: see indexing.lock)."""
        timeout = lock_timeout()
        # the sorted runs a writer killed before this one left (we hold the lock)
        spill = Path(self._ix.storage.folder) / f"{self.generation}.tmp"
        shutil.rmtree(spill, ignore_errors=True)
        try:
            # compound=False: Whoosh opens a file of a compound segment by copying it
            # whole into memory, at every searcher (at 1.58M passages: 20 s and 8 GB to
            # a first result); separate files are read where needed
            w = self._ix.writer(timeout=timeout, limitmb=self.pool_mb, codec=WriterCodec(),
                                compound=False)
            w.pool = BatchedPool(w.pool.tempstore, w.pool.segment, limitmb=self.pool_mb)
            return WhooshWriter(w, spill)
        except LockError:
            raise IndexBusyError(
                f"another process is writing to this index (waited {timeout:g}s); "
                "try again when it has finished") from None

    # reading -------------------------------------------------------------
    @storage_errors
    def snapshot(self) -> WhooshSnapshot:
        """One consistent view of a commit, for one search (this thread's searcher)."""
        return WhooshSnapshot(self._searcher(), self._map)

    def facet_counts(self, key: str) -> list[tuple[str, int]]:
        """Passages per name, from the postings (deleted passages not counted)."""
        field = FACETS[key]
        with self._ix.searcher() as s:
            counts = [(name, sum(1 for _ in s.document_numbers(**{field: name})))
                      for name in s.reader().field_terms(field)]
        return [(name, n) for name, n in counts if n]

    def close(self) -> None:
        with self._lock:
            for s in self._open:
                s.close()
            self._open.clear()
        self._epoch += 1
        self._local = threading.local()
        self._ix.close()


class WhooshSnapshot(Snapshot):
    """A searcher on one commit: vocabulary look-ups and searches agree."""

    def __init__(self, searcher: Any, mapper: Mapper) -> None:
        self._s = searcher
        self._map = mapper

    def reading(self) -> AbstractContextManager[None]:
        return storage_errors

    def compile(self, plan: Plan) -> wq.Query:
        return self._map(plan)

    @storage_errors
    def doc_frequency(self, fieldname: str, term: str) -> int:
        return int(self._s.reader().doc_frequency(fieldname, term))

    @storage_errors
    def terms_with_prefix(self, fieldname: str, prefix: str) -> list[tuple[str, int]]:
        reader = self._s.reader()
        out = []
        for raw in reader.expand_prefix(fieldname, prefix):
            term = raw.decode("utf-8") if isinstance(raw, bytes) else raw
            out.append((term, int(reader.doc_frequency(fieldname, term))))
        return out

    def matches(self, query: wq.Query, limit: int | None, offset: int = 0,
                scored: bool = True) -> tuple[int, list[tuple[float, Record]]]:
        if not scored:  # document numbers in order, no scoring
            numbers = list(self._s.docs_for_query(query))
            page = numbers[offset:] if limit is None else numbers[offset:offset + limit]
            return len(numbers), [(0.0, self._s.stored_fields(n)["data"]) for n in page]
        # optimize=False: one pass that scores and counts; with Whoosh's block-max
        # skipping the exact total needs the whole query run a second time
        collector = self._s.collector(limit=None if limit is None else offset + limit,
                                      optimize=False)
        # replace=0: once its top N is full, Whoosh's collector "replaces" a union by
        # the branches that can still beat the N-th score, and the total then misses
        # every match of the others (a variant's, a filter's)
        getattr(collector, "child", collector).replace = 0
        self._s.search_with_collector(query, collector)
        results = collector.results()
        rows = list(results)[offset:] if limit is None else list(results)[offset:offset + limit]
        return len(results), [(float(r.score), r["data"]) for r in rows]

    def stream(self, query: wq.Query) -> Iterator[Record]:
        """Document numbers in order, each stored record read as it is reached."""
        for number in self._s.docs_for_query(query):
            yield self._s.stored_fields(number)["data"]

    def count_compiled(self, query: wq.Query) -> int:
        # matching documents without scoring them: a long question's suggestions
        # count each of its words, and scoring every match cost ten times more
        return sum(1 for _ in self._s.docs_for_query(query))

    def size(self) -> int:
        return int(self._s.doc_count())


def encode(doc: PassageDoc) -> dict[str, Any]:
    """The Whoosh fields of a passage, built in the indexing workers: one string
    per field crosses the process boundary instead of a list of terms."""
    fields: dict[str, Any] = {k: SEP.join(t or "" for t in v) for k, v in doc.terms.items()
                              if v}
    for field, names in doc.facets().items():
        fields[field] = SEP.join(names)
    fields.update(id=doc.id, article=doc.article, passage=doc.ordinal,
                  key=doc.stored["key"], data=json.loads(json.dumps(dict(doc.stored))))
    if doc.date_lo is not None and doc.date_hi is not None:
        fields.update(date_lo=doc.date_lo, date_hi=doc.date_hi)
    return fields


class WhooshWriter:
    def __init__(self, writer: Any, spill: Path | None = None) -> None:
        self._w = writer
        self._spill = spill  # the folder of this writer's sorted runs

    def add(self, doc: PassageDoc) -> None:
        self._w.add_document(**encode(doc))

    def add_encoded(self, encoded: Any) -> None:
        self._w.add_document(**encoded)

    def delete_article(self, article: str) -> None:
        self._w.delete_by_term("article", article)

    def commit(self) -> None:
        self._w.commit()

    def cancel(self) -> None:
        """Whoosh's cancel closes the segment and removes the spilled runs before it
        releases its write lock: when either fails (a full disk), the lock would stay
        held for as long as this process lives. It is released whatever happens, and
        the runs are removed whatever happens (they would keep a full disk full)."""
        try:
            self._w.cancel()
        finally:
            lock = getattr(self._w, "writelock", None)
            if lock is not None and not getattr(self._w, "is_closed", True):
                try:
                    lock.release()
                finally:
                    self._w.is_closed = True
            if self._spill is not None:
                shutil.rmtree(self._spill, ignore_errors=True)
