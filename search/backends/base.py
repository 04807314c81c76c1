"""The interface an engine implements, so analysis, ingest and the API never
import one. An engine stores passage documents (already analysed: lists of
terms per field, named in :mod:`search.schema`) and runs plans
(:mod:`search.plan`) over them; it decides nothing about matching or weights."""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from search.plan.nodes import Plan
from search.schema import FACETS

COPIES_SLACK = 8  # copies read beyond those listed: the passage itself, same-article repeats


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
    stored: Mapping[str, Any]  # what a Hit is made of
    date_lo: int | None = None  # yyyymmdd interval of the article date
    date_hi: int | None = None

    def facets(self) -> dict[str, list[str]]:
        """Canonical speaker and outlet names per index field (``FACETS``): engines
        count them from these fields instead of from stored passages."""
        out: dict[str, list[str]] = {}
        for key, field in FACETS.items():
            value = self.stored.get(key)
            names = value if isinstance(value, list) else [value] if value else []
            if names:
                out[field] = list(names)
        return out


def other_copies(loaded: Sequence[Mapping[str, Any]], total: int, article: str,
                 limit: int) -> tuple[int, list[str]]:
    """From the stored passages read for one duplicate key (``total`` share it), how
    many are in other articles and the first ``limit`` of them as article#passage."""
    same = sum(1 for d in loaded if d["article"] == article)
    others = sorted(f"{d['article']}#{d['passage']}" for d in loaded if d["article"] != article)
    return total - same, others[:limit]


@dataclass(frozen=True, slots=True)
class RawHit:
    stored: Mapping[str, Any]
    score: float


class Snapshot(Protocol):
    """One consistent view of one commit: what a single search reads through.
    Every method that reads files raises :class:`search.errors.StorageError` when
    they cannot be read."""

    def doc_frequency(self, field: str, term: str) -> int: ...
    def terms_with_prefix(self, field: str, prefix: str) -> list[tuple[str, int]]:
        """(term, passages holding it) for every term of ``field`` starting with ``prefix``."""
        ...
    def search(self, plan: Plan, limit: int, offset: int,
               exclude: set[str] | None = None) -> tuple[int, list[RawHit]]: ...
    def ids(self, plan: Plan) -> set[str]: ...
    def count(self, plan: Plan) -> int: ...
    def articles(self, plan: Plan) -> set[str]: ...
    def score(self, plan: Plan, doc_id: str) -> float:
        """What ``plan`` scores on one passage (0.0 when it does not match)."""
        ...
    def copies(self, key: str, article: str, limit: int) -> tuple[int, list[str]]:
        """How many passages in other articles share ``key``, and up to ``limit`` of them."""
        ...
    def __enter__(self) -> Snapshot: ...
    def __exit__(self, *exc: object) -> None: ...


class BackendWriter(Protocol):
    def add(self, doc: PassageDoc) -> None: ...
    def add_encoded(self, encoded: Any) -> None:
        """Add what the engine module's ``encode(doc)`` made (in a worker process)."""
        ...
    def delete_article(self, article: str) -> None: ...
    def commit(self) -> None: ...
    def cancel(self) -> None: ...


class Backend(Protocol):
    name: str
    generation: str
    refresh_interval: float

    def writer(self) -> BackendWriter: ...
    def snapshot(self) -> Snapshot: ...
    def refresh(self) -> None: ...
    def check(self) -> None: ...
    def articles(self) -> dict[str, tuple[str, str]]:
        """article id -> (path, sha256) of what is indexed now."""
        ...
    def compile(self, plan: Plan) -> Any:
        """The engine's own query for ``plan`` (explain prints it)."""
        ...
    def passages_of(self, article: str) -> list[Mapping[str, Any]]: ...
    def stats(self) -> dict[str, int]: ...
    def facet_counts(self, key: str) -> list[tuple[str, int]]:
        """(name, passages) for the stored key ``speakers`` or ``source``, any order."""
        ...
    def iter_stored(self) -> Iterator[Mapping[str, Any]]: ...
    def close(self) -> None: ...


class UnsupportedQuery(Exception):
    """A plan node the engine cannot run; raised, never silently dropped."""
