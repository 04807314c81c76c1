"""A fourth engine, in memory, made of nothing but what ``search/backends/README.md``
says an engine provides: a schema (the passage documents as given), a writer,
snapshot primitives, a plan mapping and the class-level lifecycle. The contract
tests register it and run it beside the real engines: what the shared code decides
(proximity, dates, k of n, exclusion, copies, counts) must come out the same.

Its query is a function from a passage to a score, or None when it does not match;
scores are term frequencies times weights (the contract leaves scores to engines)."""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, ClassVar

from search.backends.base import Backend, PassageDoc, Record, Snapshot
from search.backends.mapping import PlanMapper
from search.plan import nodes as n
from search.schema import ARTICLE, DATE_HI, DATE_LO, FACETS, ID, KEY

Match = Callable[[PassageDoc], float | None]
_STORE: dict[tuple[str, str], dict[str, PassageDoc]] = {}  # (folder, generation) -> passages
_LOCK = threading.Lock()


def encode(doc: PassageDoc) -> PassageDoc:
    return doc


def field_terms(doc: PassageDoc, field: str) -> Sequence[str | None]:
    """The schema: the analysed term fields as given, and the fields every engine
    adds from the passage itself (its id, article, wire-copy key, canonical names)."""
    if field == ID:
        return (doc.id,)
    if field == ARTICLE:
        return (doc.article,)
    if field == KEY:
        return (doc.stored["key"],)
    if field in FACETS.values():
        return tuple(doc.facets().get(field, ()))
    return doc.terms.get(field, ())


def _positions(doc: PassageDoc, field: str, term: str) -> list[int]:
    return [i for i, t in enumerate(field_terms(doc, field)) if t == term]


class Mapper(PlanMapper[Match]):
    engine = "memory"

    def terms(self, node: n.Terms) -> Match:
        def match(d: PassageDoc) -> float | None:
            tf = sum(1 for t in field_terms(d, node.field) if t in node.terms)
            return tf * node.weight if tf else None
        return match

    def phrase(self, node: n.Phrase) -> Match:
        def match(d: PassageDoc) -> float | None:
            got = field_terms(d, node.field)
            k = len(node.terms)
            hits = sum(1 for i in range(len(got) - k + 1) if tuple(got[i:i + k]) == node.terms)
            return hits * node.weight if hits else None
        return match

    def near(self, node: n.Near) -> Match:
        def match(d: PassageDoc) -> float | None:
            a, b = _positions(d, node.field, node.first), _positions(d, node.field, node.second)
            pairs = sum(1 for i in a for j in b if i != j and abs(i - j) <= node.within)
            return pairs * node.weight if pairs else None
        return match

    def range(self, node: n.Range) -> Match:
        def match(d: PassageDoc) -> float | None:
            value = {DATE_LO: d.date_lo, DATE_HI: d.date_hi}[node.field]
            if value is None or (node.lo is not None and value < node.lo) or \
                    (node.hi is not None and value > node.hi):
                return None
            return 0.0
        return match

    def passages(self, node: n.Passages) -> Match:
        return lambda d: 0.0 if d.id in node.ids else None

    def first_passages(self) -> Match:
        return lambda d: 0.0 if d.ordinal == 1 else None

    def match_all(self) -> Match:
        return lambda d: 0.0

    def match_none(self) -> Match:
        return lambda d: None

    def all_of(self, must: list[Match], exclude: list[Match]) -> Match:
        def match(d: PassageDoc) -> float | None:
            if any(x(d) is not None for x in exclude):
                return None
            scores = [m(d) for m in must]
            return None if any(s is None for s in scores) else sum(s or 0.0 for s in scores)
        return match

    def any_of(self, should: list[Match], minimum: int) -> Match:
        def match(d: PassageDoc) -> float | None:
            scores = [s for s in (m(d) for m in should) if s is not None]
            return sum(scores) if len(scores) >= minimum else None
        return match

    def best(self, choices: list[Match]) -> Match:
        def match(d: PassageDoc) -> float | None:
            scores = [s for s in (m(d) for m in choices) if s is not None]
            return max(scores) if scores else None
        return match

    def with_extra(self, required: Match, extra: Match) -> Match:
        def match(d: PassageDoc) -> float | None:
            base = required(d)
            return None if base is None else base + (extra(d) or 0.0)
        return match

    def scale(self, child: Match, factor: float) -> Match:
        def match(d: PassageDoc) -> float | None:
            s = child(d)
            return None if s is None else s * factor
        return match

    def filter(self, child: Match) -> Match:
        return lambda d: None if child(d) is None else 0.0


class MemorySnapshot(Snapshot):
    native_at_least = True  # any_of counts its matching children itself

    def __init__(self, docs: list[PassageDoc]) -> None:
        self._docs = docs
        self._map = Mapper()

    def compile(self, plan: n.Plan) -> Match:
        return self._map(plan)

    def matches(self, query: Match, limit: int | None, offset: int = 0,
                scored: bool = True) -> tuple[int, list[tuple[float, Record]]]:
        found = [(s, d) for d in self._docs if (s := query(d)) is not None]
        found.sort(key=lambda sd: (-sd[0] if scored else 0.0, sd[1].article, sd[1].ordinal))
        page = found[offset:] if limit is None else found[offset:offset + limit]
        return len(found), [(s, d.stored) for s, d in page]

    def count_compiled(self, query: Match) -> int:
        return sum(1 for d in self._docs if query(d) is not None)

    def size(self) -> int:
        return len(self._docs)

    def doc_frequency(self, field: str, term: str) -> int:
        return sum(1 for d in self._docs if term in field_terms(d, field))

    def terms_with_prefix(self, field: str, prefix: str) -> list[tuple[str, int]]:
        counts: dict[str, int] = {}
        for d in self._docs:
            for t in set(field_terms(d, field)):
                if t and t.startswith(prefix):
                    counts[t] = counts.get(t, 0) + 1
        return sorted(counts.items())


class MemoryWriter:
    def __init__(self, store: dict[str, PassageDoc]) -> None:
        self._store = store
        self._pending: dict[str, PassageDoc | None] = {}

    def add(self, doc: PassageDoc) -> None:
        self._pending[doc.id] = doc

    def add_encoded(self, encoded: Any) -> None:
        self.add(encoded)

    def delete_article(self, article: str) -> None:
        for doc_id, doc in list(self._store.items()) + list(self._pending.items()):
            if doc is not None and doc.article == article:
                self._pending[doc_id] = None

    def commit(self) -> None:
        with _LOCK:
            for doc_id, doc in self._pending.items():
                if doc is None:
                    self._store.pop(doc_id, None)
                else:
                    self._store[doc_id] = doc

    def cancel(self) -> None:
        self._pending.clear()


class MemoryBackend(Backend):
    name: ClassVar[str] = "memory"

    def __init__(self, path: Path, generation: str) -> None:
        self.generation = generation
        self.refresh_interval = 1.0
        self._store = _STORE.setdefault((str(path), generation), {})

    @classmethod
    def create(cls, path: Path, generation: str = "MAIN") -> MemoryBackend:
        _STORE[(str(path), generation)] = {}
        return cls(path, generation)

    @classmethod
    def open(cls, path: Path, generation: str = "MAIN") -> MemoryBackend:
        return cls(path, generation)

    @staticmethod
    def exists(path: Path, generation: str = "MAIN") -> bool:
        return (str(path), generation) in _STORE

    @staticmethod
    def drop(path: Path, generation: str) -> None:
        _STORE.pop((str(path), generation), None)

    @staticmethod
    def generations(path: Path) -> set[str]:
        return {g for p, g in _STORE if p == str(path)}

    def open_writer(self) -> MemoryWriter:
        return MemoryWriter(self._store)

    def snapshot(self) -> MemorySnapshot:
        with _LOCK:
            return MemorySnapshot(list(self._store.values()))

    def refresh(self) -> None:
        pass

    def check(self) -> None:
        pass

    def facet_counts(self, key: str) -> list[tuple[str, int]]:
        field = FACETS[key]
        counts: dict[str, int] = {}
        for doc in self._store.values():
            for name in doc.facets().get(field, []):
                counts[name] = counts.get(name, 0) + 1
        return list(counts.items())

    def close(self) -> None:
        pass
