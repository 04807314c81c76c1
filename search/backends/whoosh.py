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
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from whoosh import index as windex
from whoosh import query as wq
from whoosh.fields import ID, NUMERIC, STORED, TEXT, Schema
from whoosh.index import LockError
from whoosh.query.spans import SpanNear2
from whoosh.scoring import BM25F

from search.backends.base import (
    COPIES_SLACK,
    PassageDoc,
    RawHit,
    UnsupportedQuery,
    lock_timeout,
    other_copies,
)
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
    BAGS,
    DATA,
    DATE_HI,
    DATE_LO,
    FACETS,
    KEY,
    POSITIONAL,
    SYL,
)
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


class Mapper:
    """Plan nodes -> Whoosh queries: the only query code this engine has."""

    def __call__(self, plan: Plan) -> wq.Query:
        if isinstance(plan, Terms):
            qs = [wq.Term(plan.field, t, boost=plan.weight) for t in plan.terms]
            return qs[0] if len(qs) == 1 else wq.Or(qs)
        if isinstance(plan, Phrase):
            if plan.slop:  # within slop positions, any order; ~0 is the exact phrase
                near = SpanNear2([wq.Term(plan.field, t) for t in plan.terms],
                                 slop=max(1, plan.slop), ordered=False)
                near.boost = plan.weight
                return near
            return wq.Phrase(plan.field, list(plan.terms), boost=plan.weight)
        if isinstance(plan, DateWithin):
            lo = plan.start if plan.start is not None else (0 if plan.end is None else None)
            clauses = [wq.NumericRange(DATE_LO, lo, None)] if lo is not None else []
            if plan.end is not None:
                clauses.append(wq.NumericRange(DATE_HI, None, plan.end))
            return clauses[0] if len(clauses) == 1 else wq.And(clauses)
        if isinstance(plan, All):
            must = [self(c) for c in plan.must if not isinstance(c, MatchAll)] or [wq.Every()]
            return wq.And(must + [wq.Not(self(c)) for c in plan.exclude])
        if isinstance(plan, AnyOf):
            # minimum > 1 scores as the union; the snapshot keeps the documents that
            # match enough children, since Whoosh's Or(minmatch=…) does not
            return wq.Or([self(c) for c in plan.should])
        if isinstance(plan, Best):
            return BestOf([self(c) for c in plan.choices])
        if isinstance(plan, WithExtra):
            return WithOptional(self(plan.required), self(plan.extra))
        if isinstance(plan, Scale):
            return Scaled(self(plan.child), plan.factor)
        if isinstance(plan, Filter):
            return filtered(self(plan.child))
        if isinstance(plan, MatchAll):
            return wq.Every()
        if isinstance(plan, MatchNone):
            return wq.NullQuery
        raise UnsupportedQuery(f"the Whoosh engine cannot run {type(plan).__name__}")


class WhooshBackend:
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
        loc, now = self._local, time.monotonic()
        current = getattr(loc, "searcher", None)
        if current is None:
            fresh = self._ix.searcher(weighting=BM25F())
        elif loc.epoch != self._epoch or now - loc.checked >= self.refresh_interval:
            fresh = current.refresh()  # itself when no newer commit exists
        else:
            return current
        if fresh is not current:
            with self._lock:
                if current is not None:
                    # refresh() handed its still-needed segments to ``fresh`` and closed
                    # the rest: closing ``current`` too would close them under ``fresh``
                    self._open.remove(current)
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
    def writer(self) -> WhooshWriter:
        """The one writer (callers hold the folder's lock: see indexing.lock)."""
        timeout = lock_timeout()
        try:
            # compound=False: Whoosh opens a file of a compound segment by copying it
            # whole into memory, at every searcher (at 1.58M passages: 20 s and 8 GB to
            # a first result); separate files are read where needed
            w = self._ix.writer(timeout=timeout, limitmb=self.pool_mb, codec=WriterCodec(),
                                compound=False)
            w.pool = BatchedPool(w.pool.tempstore, w.pool.segment, limitmb=self.pool_mb)
            return WhooshWriter(w)
        except LockError:
            raise IndexBusyError(
                f"another process is writing to this index (waited {timeout:g}s); "
                "try again when it has finished") from None

    # reading -------------------------------------------------------------
    def compile(self, plan: Plan) -> wq.Query:
        return self._map(plan)

    @storage_errors
    def snapshot(self) -> WhooshSnapshot:
        """One consistent view of a commit, for one search (this thread's searcher)."""
        return WhooshSnapshot(self._searcher(), self._map)

    def iter_stored(self) -> Iterator[Mapping[str, Any]]:
        with self._ix.searcher() as s:
            for fields in s.all_stored_fields():
                yield fields["data"]

    @staticmethod
    def _first_live(s: Any) -> Iterator[int]:
        """A live passage of every article, through the article postings (a term
        stays in the lexicon after its passages are deleted, until a merge)."""
        for article in s.reader().field_terms("article"):
            n = s.document_number(article=article)
            if n is not None:
                yield n

    def articles(self) -> dict[str, tuple[str, str]]:
        """One stored document per article, not every passage: this runs at the
        start of every incremental update."""
        out: dict[str, tuple[str, str]] = {}
        with self._ix.searcher() as s:
            for n in self._first_live(s):
                data = s.stored_fields(n)["data"]
                out[data["article"]] = (data.get("path", ""), data.get("sha256", ""))
        return out

    def facet_counts(self, key: str) -> list[tuple[str, int]]:
        """Passages per name, from the postings (deleted passages not counted)."""
        field = FACETS[key]
        with self._ix.searcher() as s:
            counts = [(name, sum(1 for _ in s.document_numbers(**{field: name})))
                      for name in s.reader().field_terms(field)]
        return [(name, n) for name, n in counts if n]

    def passages_of(self, article: str) -> list[Mapping[str, Any]]:
        with self._ix.searcher() as s:
            docs = [f["data"] for f in s.documents(article=article)]
        return sorted(docs, key=lambda d: d["passage"])

    def stats(self) -> dict[str, int]:
        with self._ix.searcher() as s:
            return {"passages": s.doc_count(), "articles": sum(1 for _ in self._first_live(s))}

    def close(self) -> None:
        with self._lock:
            for s in self._open:
                s.close()
            self._open.clear()
        self._epoch += 1
        self._local = threading.local()
        self._ix.close()


class WhooshSnapshot:
    """A searcher on one commit: vocabulary look-ups and searches agree."""

    def __init__(self, searcher: Any, mapper: Mapper) -> None:
        self._s = searcher
        self._map = mapper

    def __enter__(self) -> WhooshSnapshot:
        return self

    def __exit__(self, *exc: object) -> None:
        pass  # the searcher belongs to the backend's thread cache

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

    def _at_least(self, plan: AnyOf) -> set[int]:
        """Documents matching at least ``plan.minimum`` children. (Whoosh's
        ``Or(minmatch=…)`` ignores minmatch and returns every document matching one.)"""
        counts: dict[int, int] = {}
        for child in plan.should:
            for doc in self._s.docs_for_query(self._map(child)):
                counts[doc] = counts.get(doc, 0) + 1
        return {doc for doc, n in counts.items() if n >= plan.minimum}

    def _run(self, plan: Plan, limit: int | None) -> Any:
        allowed = self._at_least(plan) if isinstance(plan, AnyOf) and plan.minimum > 1 \
            else None
        # optimize=False: one pass that scores and counts; with Whoosh's block-max
        # skipping the exact total needs the whole query run a second time
        if allowed is not None and not allowed:
            allowed = {-1}  # no document matches enough; Whoosh reads an empty filter as none
        collector = self._s.collector(limit=limit, optimize=False, filter=allowed)
        # replace=0: once its top N is full, Whoosh's collector "replaces" a union by
        # the branches that can still beat the N-th score, and the total then misses
        # every match of the others (a variant's, a filter's)
        getattr(collector, "child", collector).replace = 0
        self._s.search_with_collector(self._map(plan), collector)
        return collector.results()

    @storage_errors
    def search(self, plan: Plan, limit: int, offset: int,
               exclude: set[str] | None = None) -> tuple[int, list[RawHit]]:
        results = self._run(plan, None if exclude else offset + limit)
        rows = [r for r in results if not exclude or r["id"] not in exclude]
        hits = [RawHit(dict(r["data"]), float(r.score)) for r in rows[offset:offset + limit]]
        return len(rows) if exclude else len(results), hits

    @storage_errors
    def copies(self, key: str, article: str, limit: int) -> tuple[int, list[str]]:
        """``article#passage`` of the same passage text in other articles: wire copy
        can be printed hundreds of times, so only ``limit`` stored documents are read."""
        numbers = list(self._s.document_numbers(key=key))
        loaded = [self._s.stored_fields(n) for n in numbers[: limit + COPIES_SLACK]]
        return other_copies(loaded, len(numbers), article, limit)

    @storage_errors
    def ids(self, plan: Plan) -> set[str]:
        return {r["id"] for r in self._run(plan, None)}

    @storage_errors
    def count(self, plan: Plan) -> int:
        # matching documents without scoring them: a long question's suggestions
        # count each of its words, and scoring every match cost ten times more
        if isinstance(plan, AnyOf) and plan.minimum > 1:
            return len(self._at_least(plan))
        return sum(1 for _ in self._s.docs_for_query(self._map(plan)))

    @storage_errors
    def articles(self, plan: Plan) -> set[str]:
        return {r["article"] for r in self._run(plan, None)}

    @storage_errors
    def score(self, plan: Plan, doc_id: str) -> float:
        """What ``plan`` scores on one passage (0.0 when it does not match)."""
        hits = self._s.search(self._map(plan), filter=wq.Term(ID_FIELD, doc_id), limit=1)
        return float(hits[0].score) if len(hits) else 0.0


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
    def __init__(self, writer: Any) -> None:
        self._w = writer

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
        held for as long as this process lives. It is released whatever happens."""
        try:
            self._w.cancel()
        finally:
            lock = getattr(self._w, "writelock", None)
            if lock is not None and not getattr(self._w, "is_closed", True):
                try:
                    lock.release()
                finally:
                    self._w.is_closed = True
