"""Prefix, wildcard and fuzzy terms expanded from an index's vocabulary by shared
code, so that every engine runs the same term sets."""

from __future__ import annotations

import pytest

from search import Engine
from search.plan.expand import (
    edit_distance,
    expand_fuzzy,
    expand_wildcard,
    literal_prefix,
    wildcard_regex,
)


def test_prefix_and_fuzzy_are_expanded_from_every_engine_alike(each_engine: Engine) -> None:
    with each_engine._backend.snapshot() as snap:  # noqa: SLF001
        assert expand_wildcard(snap, "syl", "ushak*") == ("ushakov",)
        assert expand_wildcard(snap, "syl", "put?n") == ("putin",)
        assert "kremlin" in expand_fuzzy(snap, "fold", "kremlinn", 1)
        assert expand_fuzzy(snap, "fold", "kremlinn", 0) == ()  # not indexed as typed


@pytest.mark.parametrize(("a", "b", "limit", "distance"), [
    ("kremlin", "kremlin", 2, 0),
    ("kremlinn", "kremlin", 2, 1),  # one letter too many
    ("sulivan", "sullivan", 1, 1),
    ("đón", "đóng", 1, 1),  # marked letters are letters: one edit
    ("đón", "dong", 1, 2),  # two edits: past the limit, so limit + 1
    ("putin", "biden", 1, 2),  # given up early, at limit + 1
    ("a", "abcdef", 2, 3),  # lengths alone exceed the limit
])
def test_edit_distance_stops_past_its_limit(a: str, b: str, limit: int, distance: int) -> None:
    assert edit_distance(a, b, limit) == distance


@pytest.mark.parametrize(("pattern", "prefix", "matches", "misses"), [
    ("ushak*", "ushak", ["ushakov", "ushak"], ["ushk"]),
    ("put?n", "put", ["putin"], ["puttin", "putn"]),
    ("*nga", "", ["nga", "manga"], ["ngan"]),
    ("a.b*", "a.b", ["a.bc"], ["axbc"]),  # a dot is a dot, not any character
])
def test_wildcards_cut_a_literal_prefix_and_match_whole_terms(
        pattern: str, prefix: str, matches: list[str], misses: list[str]) -> None:
    assert literal_prefix(pattern) == prefix
    rx = wildcard_regex(pattern)
    assert all(rx.fullmatch(t) for t in matches)
    assert not any(rx.fullmatch(t) for t in misses)
