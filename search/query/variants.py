"""Name variants (Moscow / Matxcơva / Moskva): a user-editable list, expanded
in the query so one spelling finds the others at a lower weight."""

from __future__ import annotations

import os
from functools import lru_cache
from importlib import resources
from pathlib import Path

from search.analysis import fold, tokenize

Spelling = tuple[str, ...]  # lowercased normalised syllables
WEIGHT = 0.4  # a variant counts a little less than the spelling typed


def _syllables(text: str) -> Spelling:
    return tuple(t.text.lower() for t in tokenize(text))


def parse_groups(text: str) -> dict[str, list[Spelling]]:
    """folded spelling -> the other spellings of its group."""
    table: dict[str, list[Spelling]] = {}
    for line in text.splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        group = [s for s in (_syllables(p) for p in line.split("|")) if s]
        for s in group:
            key = " ".join(fold(x) for x in s)
            others = [o for o in group if o != s]
            table.setdefault(key, []).extend(o for o in others if o not in table.get(key, []))
    return table


@lru_cache(maxsize=4)
def _load(path: str | None) -> dict[str, list[Spelling]]:
    if path:
        return parse_groups(Path(path).read_text(encoding="utf-8"))
    return parse_groups(resources.files("search.query").joinpath("variants.txt")
                        .read_text(encoding="utf-8"))


def variants() -> dict[str, list[Spelling]]:
    """The table in use: ``$VNSEARCH_VARIANTS`` if set, else the shipped file."""
    return _load(os.environ.get("VNSEARCH_VARIANTS") or None)
