"""Prefix, wildcard and fuzzy terms, expanded from the index's own vocabulary.

Done once here instead of by each engine's multi-term query, so every engine
runs the same plain term sets (same hits, and statistics that stay global when
an index is split into shards)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Protocol

MAX_EXPANSIONS = 512  # most frequent terms kept, as Lucene's top-terms rewrite does


class Lexicon(Protocol):
    """What lowering reads from an index: term statistics, never documents."""

    def doc_frequency(self, field: str, term: str) -> int: ...

    def terms_with_prefix(self, field: str, prefix: str) -> list[tuple[str, int]]:
        """(term, document frequency) of every term of ``field`` starting with ``prefix``."""
        ...


def edit_distance(a: str, b: str, limit: int) -> int:
    """Levenshtein distance, giving up (limit + 1) once it must exceed ``limit``."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        if min(cur) > limit:
            return limit + 1
        prev = cur
    return prev[-1]


def _top(found: Iterable[tuple[str, int]]) -> tuple[str, ...]:
    ranked = sorted((x for x in found if x[1] > 0), key=lambda x: (-x[1], x[0]))
    return tuple(sorted(t for t, _ in ranked[:MAX_EXPANSIONS]))


def literal_prefix(pattern: str) -> str:
    """The part of a wildcard pattern before its first ``*`` or ``?``."""
    return re.split(r"[*?]", pattern, maxsplit=1)[0]


def wildcard_regex(pattern: str) -> re.Pattern[str]:
    """``*`` any run of characters, ``?`` exactly one; the rest literal."""
    body = "".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in pattern)
    return re.compile(body, re.DOTALL)


def expand_wildcard(lex: Lexicon, field: str, pattern: str) -> tuple[str, ...]:
    """Terms of ``field`` matching ``pattern`` (a trailing ``*`` alone is a prefix)."""
    head = literal_prefix(pattern)
    found = lex.terms_with_prefix(field, head)
    if pattern == head + "*":
        return _top(found)
    rx = wildcard_regex(pattern)
    return _top((t, df) for t, df in found if rx.fullmatch(t))


def similar(lex: Lexicon, field: str, text: str, maxdist: int) -> list[tuple[str, int]]:
    """Indexed terms within ``maxdist`` edits of ``text`` sharing its first letter
    (as Whoosh's and Lucene's fuzzy queries do by default), most frequent first."""
    if not text:
        return []
    found = [(t, df) for t, df in lex.terms_with_prefix(field, text[0])
             if df > 0 and edit_distance(t, text, maxdist) <= maxdist]
    return sorted(found, key=lambda x: (-x[1], x[0]))


def expand_fuzzy(lex: Lexicon, field: str, term: str, maxdist: int) -> tuple[str, ...]:
    """``term`` itself (when indexed) and the terms within ``maxdist`` edits."""
    return _top(similar(lex, field, term, maxdist))
