"""The interface an engine implements, so analysis, ingest and the API never
import one. An engine stores passage documents (already analysed: lists of
terms per field, named in :mod:`search.schema`) and runs plans
(:mod:`search.plan`) over them; it decides nothing about matching or weights."""

from __future__ import annotations

import functools
import os
import shutil
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any, ClassVar, Protocol, TypeVar

from search.errors import ReadAgainError, StorageError
from search.plan.nodes import (
    All,
    AnyOf,
    Filter,
    FirstPassages,
    MatchAll,
    MatchNone,
    Passages,
    Plan,
    Terms,
    WithExtra,
    rebuild,
)
from search.schema import ARTICLE, FACETS, KEY, StoredPassage

COPIES_SLACK = 8  # copies read beyond those listed: the passage itself, same-article repeats
PAGE = 10_000  # stored passages read at a time when going over all of them
_T = TypeVar("_T")


def lock_timeout() -> float:
    """``$VNSEARCH_LOCK_TIMEOUT`` seconds (default 5) to wait for another writer."""
    return float(os.environ.get("VNSEARCH_LOCK_TIMEOUT") or 5.0)


@dataclass(frozen=True, slots=True)
class PassageDoc:
    """One passage as an engine stores it: analysed fields plus stored data."""

    id: str  # "article#ordinal"
    article: str
    ordinal: int
    terms: Mapping[str, Sequence[str | None]]  # field -> term per position (None: a gap)
    stored: StoredPassage  # what a Hit is made of
    date_lo: int | None = None  # yyyymmdd interval of the article date
    date_hi: int | None = None

    def facets(self) -> dict[str, list[str]]:
        """Canonical speaker and outlet names per index field (``FACETS``): engines
        count them from these fields instead of from stored passages."""
        out: dict[str, list[str]] = {}
        for key, field in FACETS.items():
            value: object = self.stored.get(key)
            names = value if isinstance(value, list) else [value] if value else []
            if names:
                out[field] = [str(name) for name in names]
        return out


def other_copies(loaded: Sequence[StoredPassage], total: int, article: str,
                 limit: int) -> tuple[int, list[str]]:
    """From the stored passages read for one duplicate key (``total`` share it), how
    many are in other articles and the first ``limit`` of them as article#passage."""
    same = sum(1 for d in loaded if d["article"] == article)
    others = sorted(f"{d['article']}#{d['passage']}" for d in loaded if d["article"] != article)
    return total - same, others[:limit]


@dataclass(frozen=True, slots=True)
class RawHit:
    stored: StoredPassage
    score: float


Record = StoredPassage  # a stored passage: article, passage, text, metadata
_F = TypeVar("_F", bound=Callable[..., Any])


class FileErrors:
    """Where an engine turns its own errors about unreadable files into
    :class:`search.errors.StorageError`, as a context manager or a method decorator.
    ``classify`` says which errors are the files' (a StorageError to raise) and which
    are not (None: raised as they are). A class, not a generator: a search enters it
    dozens of times."""

    def __init__(self, classify: Callable[[BaseException], StorageError | None]) -> None:
        self.classify = classify

    def __enter__(self) -> None:
        return None

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        if exc is not None and not isinstance(exc, StorageError):
            error = self.classify(exc)
            if error is not None:
                raise error from exc

    def __call__(self, method: _F) -> _F:
        @functools.wraps(method)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            with self:
                return method(*args, **kwargs)

        return wrapper  # type: ignore[return-value]


class Snapshot(ABC):
    """One consistent view of one commit: what a single search reads through.

    The matching semantics live here, once: exclusion, at least k of n at any depth,
    scoring one passage, copies, listing and counting. An engine provides the
    primitives: :meth:`compile` (plan -> its own query), :meth:`matches`,
    :meth:`count_compiled`, :meth:`size` and the vocabulary look-ups. Every method
    that reads files raises :class:`search.errors.StorageError` when they cannot be
    read (an engine says how in :meth:`reading`)."""

    #: The engine's mapping selects "at least k of n" itself (else shared code does,
    #: by passage ids: exact, and slower, on engines without the operator).
    native_at_least: ClassVar[bool] = False

    # what an engine provides -----------------------------------------------------
    @abstractmethod
    def compile(self, plan: Plan) -> Any:
        """The engine's query for a plan (one without k-of-n nodes, unless native)."""

    @abstractmethod
    def matches(self, query: Any, limit: int | None, offset: int = 0,
                scored: bool = True) -> tuple[int, list[tuple[float, Record]]]:
        """The total and one page of (score, record); every match when ``limit`` is
        None; unscored (any stable order) when ``scored`` is False."""

    @abstractmethod
    def count_compiled(self, query: Any) -> int:
        """How many passages ``query`` matches, without scoring them."""

    @abstractmethod
    def size(self) -> int:
        """Passages in this view (the cheapest way the engine knows)."""

    @abstractmethod
    def doc_frequency(self, field: str, term: str) -> int: ...

    @abstractmethod
    def terms_with_prefix(self, field: str, prefix: str) -> list[tuple[str, int]]:
        """(term, passages holding it) for every term of ``field`` starting with ``prefix``."""

    def reading(self) -> AbstractContextManager[None]:
        """Where the engine turns its errors about files into StorageError."""
        return nullcontext()

    def __enter__(self) -> Snapshot:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        return None

    # shared behaviour --------------------------------------------------------------
    def runnable(self, plan: Plan) -> Plan:
        """``plan`` with every "at least k of n" the engine cannot select made a
        filter on the passages that match k of the n (at any depth), scored as the
        union of the n, as the plan says."""
        if self.native_at_least:
            return plan

        def resolve(node: Plan) -> Plan:
            if not isinstance(node, AnyOf) or node.minimum <= 1:
                return node
            counts: dict[str, int] = {}
            for child in node.should:
                for pid in self._ids(child):
                    counts[pid] = counts.get(pid, 0) + 1
            kept = frozenset(p for p, n in counts.items() if n >= node.minimum)
            if not kept:
                return MatchNone()
            return WithExtra(Filter(Passages(kept)), AnyOf(node.should))

        return rebuild(plan, resolve)

    def _compiled(self, plan: Plan) -> Any:
        return self.compile(self.runnable(plan))

    def _ids(self, plan: Plan) -> set[str]:
        """Ids of ``plan``'s passages (already runnable below ``plan``)."""
        _, rows = self.matches(self.compile(plan), None, scored=False)
        return {f"{d['article']}#{d['passage']}" for _, d in rows}

    def search(self, plan: Plan, limit: int, offset: int,
               exclude: set[str] | None = None) -> tuple[int, list[RawHit]]:
        """The total and one page of ``plan``'s passages, best first, leaving out the
        passages whose ids are in ``exclude``."""
        if exclude:
            plan = All((plan,), (Passages(frozenset(exclude)),))
        with self.reading():
            total, rows = self.matches(self._compiled(plan), limit, offset)
        return total, [RawHit(record, score) for score, record in rows]

    def ids(self, plan: Plan) -> set[str]:
        with self.reading():
            return self._ids(self.runnable(plan))

    def count(self, plan: Plan) -> int:
        with self.reading():
            return self.count_compiled(self._compiled(plan))

    def articles(self, plan: Plan) -> set[str]:
        with self.reading():
            _, rows = self.matches(self._compiled(plan), None, scored=False)
        return {d["article"] for _, d in rows}

    def score(self, plan: Plan, doc_id: str) -> float:
        """What ``plan`` scores on one passage (0.0 when it does not match)."""
        with self.reading():
            _, rows = self.matches(
                self._compiled(All((plan, Filter(Passages(frozenset({doc_id})))))), 1)
        return rows[0][0] if rows else 0.0

    def copies(self, key: str, article: str, limit: int) -> tuple[int, list[str]]:
        """How many passages in other articles share ``key`` (wire copy can be printed
        hundreds of times), and up to ``limit`` of them: only that many are read."""
        with self.reading():
            total, rows = self.matches(self.compile(Terms(KEY, (key,))), limit + COPIES_SLACK,
                                       scored=False)
        return other_copies([d for _, d in rows], total, article, limit)

    def records(self, plan: Plan) -> Iterator[Record]:
        """Every passage ``plan`` matches, unscored: an archive of a million passages
        never sits in memory at once."""
        with self.reading():
            yield from self.stream(self._compiled(plan))

    def stream(self, query: Any) -> Iterator[Record]:
        """Every match of ``query``, unscored, a page at a time. An engine that can walk
        its matches in order overrides this (paging re-reads the matches before each
        page)."""
        offset = 0
        while True:
            total, rows = self.matches(query, PAGE, offset, scored=False)
            yield from (d for _, d in rows)
            offset += PAGE
            if not rows or offset >= total:
                return


class BackendWriter(Protocol):
    def add(self, doc: PassageDoc) -> None: ...
    def add_encoded(self, encoded: Any) -> None:
        """Add what the engine module's ``encode(doc)`` made (in a worker process)."""
        ...
    def delete_article(self, article: str) -> None: ...
    def commit(self) -> None: ...
    def cancel(self) -> None: ...


class Backend(ABC):
    """One index generation of one engine: what the engine object reads and writes
    through. Whole-index reads (articles, one article's passages, every passage,
    counts) are shared, made of plans run through a :class:`Snapshot` with one retry
    loop; an engine provides its snapshot, writer, refresh, check, facet counts and
    close, and the class-level lifecycle of :class:`EngineClass`."""

    name: ClassVar[str]
    generation: str
    refresh_interval: float

    @abstractmethod
    def open_writer(self) -> BackendWriter:
        """The engine's one writer (callers hold the folder's lock: indexing.lock)."""
    @abstractmethod
    def snapshot(self) -> Snapshot: ...
    @abstractmethod
    def refresh(self) -> None:
        """Look for a newer commit before the next read."""
    @abstractmethod
    def check(self) -> None:
        """Touch every file now, so damage is found at open, not mid-search."""
    @abstractmethod
    def facet_counts(self, key: str) -> list[tuple[str, int]]:
        """(name, passages) for the stored key ``speakers`` or ``source``, any order."""
    @abstractmethod
    def close(self) -> None: ...

    def writer(self) -> BackendWriter:
        """A writer whose commits this backend reads at once (not a refresh later)."""
        return _SeenWriter(self.open_writer(), self.refresh)

    def compile(self, plan: Plan) -> Any:
        """The engine's own query for ``plan`` (explain prints it)."""
        with self.snapshot() as snap:
            return snap.compile(snap.runnable(plan))

    def read(self, fn: Callable[[Snapshot], _T]) -> _T:
        """``fn`` on a fresh snapshot; again (up to three times) when a writer moved
        the revision under it, or a shard of a cluster stopped answering."""
        for attempt in (1, 2, 3):
            try:
                with self.snapshot() as snap:
                    return fn(snap)
            except ReadAgainError:
                if attempt == 3:
                    raise
                self.refresh()
        raise AssertionError("unreachable")

    def articles(self) -> dict[str, tuple[str, str]]:
        """article id -> (path, sha256) of what is indexed now: one stored passage per
        article, not every passage (this runs at the start of every update)."""
        return self.read(lambda s: {d["article"]: (d.get("path", ""), d.get("sha256", ""))
                                    for d in s.records(FirstPassages())})

    def passages_of(self, article: str) -> list[Record]:
        docs = self.read(lambda s: list(s.records(Terms(ARTICLE, (article,)))))
        return sorted(docs, key=lambda d: d["passage"])

    def iter_stored(self) -> Iterator[Record]:
        with self.snapshot() as snap:
            yield from snap.records(MatchAll())

    def stats(self) -> dict[str, int]:
        return self.read(lambda s: {"passages": s.size(),
                                    "articles": s.count(FirstPassages())})


class GenerationFolders:
    """Generations kept as folders ``PREFIX + generation`` inside the index folder; one
    is committed once its ``MARKER`` file exists (the engine writes it at commit)."""

    PREFIX: ClassVar[str]
    MARKER: ClassVar[str]

    @classmethod
    def generation_folder(cls, path: Path, generation: str) -> Path:
        return path / f"{cls.PREFIX}{generation}"

    @classmethod
    def exists(cls, path: Path, generation: str = "MAIN") -> bool:
        return (cls.generation_folder(path, generation) / cls.MARKER).is_file()

    @classmethod
    def drop(cls, path: Path, generation: str) -> None:
        shutil.rmtree(cls.generation_folder(path, generation), ignore_errors=True)

    @classmethod
    def generations(cls, path: Path) -> set[str]:
        return {d.name[len(cls.PREFIX):] for d in path.glob(f"{cls.PREFIX}*") if d.is_dir()}


class Sharded(Backend):
    """A backend over shards on other machines (a cluster): it has no generations, and
    the index's record (speaker names, roots) lives in the shards."""

    rebuilding: bool = False  # the run under way replaces every passage

    @abstractmethod
    def read_meta(self) -> dict[str, Any]: ...
    @abstractmethod
    def write_meta(self, meta: dict[str, Any]) -> None: ...
    @abstractmethod
    def status(self) -> list[dict[str, Any]]:
        """Every copy of every shard: reachable, passages, revision."""


class _SeenWriter:
    def __init__(self, writer: BackendWriter, seen: Callable[[], None]) -> None:
        self._w = writer
        self._seen = seen
        self.add, self.add_encoded = writer.add, writer.add_encoded
        self.delete_article, self.cancel = writer.delete_article, writer.cancel

    def commit(self) -> None:
        self._w.commit()
        self._seen()


class EngineClass(Protocol):
    """What an engine is before an index is open: its name and the lifecycle of its
    generations in an index folder (the registry hands these out by name)."""

    name: str

    def create(self, path: Path, generation: str = "MAIN") -> Backend:
        """A new, empty generation; other generations in the folder are untouched."""
        ...
    def open(self, path: Path, generation: str = "MAIN") -> Backend: ...
    def exists(self, path: Path, generation: str = "MAIN") -> bool:
        """A committed generation is here (whether it reads is for open to find out)."""
        ...
    def drop(self, path: Path, generation: str) -> None:
        """Delete one generation's files (a replaced or abandoned one)."""
        ...
    def generations(self, path: Path) -> set[str]:
        """Every generation with files here, committed or not."""
        ...
