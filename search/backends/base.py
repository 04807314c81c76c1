"""The interface an engine implements, so analysis, ingest and the API never
import one. A backend stores passage documents (already analysed: lists of
terms per field) and answers compiled queries over them."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from search.query.ast import Node

FACETS = {"speakers": "speaker_name", "source": "source_name"}  # stored key -> index field
COPIES_SLACK = 8  # copies read beyond those listed: the passage itself, same-article repeats


@dataclass(frozen=True, slots=True)
class PassageDoc:
    """One passage as the backend stores it: analysed fields plus stored data."""

    id: str  # "article#ordinal"
    article: str
    ordinal: int
    terms: Mapping[str, Sequence[str | None]]  # field -> term per position (None: a gap)
    stored: Mapping[str, Any]  # what a Hit is made of
    date_lo: int | None = None  # yyyymmdd interval of the article date
    date_hi: int | None = None

    def facets(self) -> dict[str, list[str]]:
        """Canonical speaker and outlet names per index field (``FACETS``): both
        engines count them from these fields instead of from stored passages."""
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
    """One consistent view of one commit: what a single search reads through."""

    def has_word(self, folded: str) -> bool: ...
    def doc_frequency(self, fieldname: str, term: str) -> int: ...
    def search(self, query: Node, limit: int, offset: int,
               exclude: set[str] | None = None) -> tuple[int, list[RawHit]]: ...
    def ids(self, query: Node) -> set[str]: ...
    def count(self, query: Node) -> int: ...
    def articles(self, query: Node) -> set[str]: ...
    def similar(self, fieldname: str, text: str, maxdist: int) -> list[tuple[str, int]]: ...
    def copies(self, key: str, article: str, limit: int) -> tuple[int, list[str]]:
        """How many passages in other articles share ``key``, and up to ``limit`` of them."""
        ...
    def breakdown(self, query: Node, doc_id: str) -> list[dict[str, Any]]: ...


class BackendWriter(Protocol):
    def add(self, doc: PassageDoc) -> None: ...
    def add_encoded(self, encoded: Any) -> None:
        """Add what the backend module's ``encode(doc)`` made (in a worker process)."""
        ...
    def delete_article(self, article: str) -> None: ...
    def commit(self) -> None: ...
    def cancel(self) -> None: ...


class Backend(Protocol):
    name: str
    generation: str
    refresh_interval: float

    def writer(self) -> BackendWriter: ...
    def snapshot(self) -> Any: ...
    def refresh(self) -> None: ...
    def check(self) -> None: ...
    def articles(self) -> dict[str, tuple[str, str]]:
        """article id -> (path, sha256) of what is indexed now."""
        ...
    def compile(self, query: Node) -> Any: ...
    def passages_of(self, article: str) -> list[Mapping[str, Any]]: ...
    def stats(self) -> dict[str, int]: ...
    def facet_counts(self, key: str) -> list[tuple[str, int]]:
        """(name, passages) for the stored key ``speakers`` or ``source``, any order."""
        ...
    def iter_stored(self) -> Iterator[Mapping[str, Any]]: ...
    def close(self) -> None: ...


class UnsupportedQuery(Exception):
    """A node the backend cannot run; raised, never silently dropped."""
