"""One snapshot, seen through analysed queries: each analysed node is lowered
into a plan once (with that snapshot's vocabulary) and run by the engine."""

from __future__ import annotations

from typing import Any

from search.backends.base import RawHit, Snapshot
from search.plan.expand import similar
from search.plan.lower import Lowering
from search.plan.nodes import Plan, leaves, show
from search.query.ast import Analysed, And
from search.schema import WFOLD


class View:
    """What retrieval, suggestions and explain read through during one search."""

    def __init__(self, snapshot: Snapshot) -> None:
        self.snapshot = snapshot
        self.plan = Lowering(snapshot)

    def has_word(self, folded: str) -> bool:
        """Is ``folded`` (syllables joined by spaces) a segmented word of the index?"""
        return self.snapshot.doc_frequency(WFOLD, folded) > 0

    def doc_frequency(self, field: str, term: str) -> int:
        return self.snapshot.doc_frequency(field, term)

    def similar(self, field: str, text: str, maxdist: int) -> list[tuple[str, int]]:
        """Indexed terms of ``field`` within ``maxdist`` edits of ``text``, but itself."""
        return [(t, df) for t, df in similar(self.snapshot, field, text, maxdist) if t != text]

    def search(self, node: Analysed, limit: int, offset: int,
               exclude: set[str] | None = None) -> tuple[int, list[RawHit]]:
        return self.snapshot.search(self.plan(node), limit, offset, exclude)

    def ids(self, node: Analysed) -> set[str]:
        return self.snapshot.ids(self.plan(node))

    def count(self, node: Analysed) -> int:
        return self.snapshot.count(self.plan(node))

    def articles(self, node: Analysed) -> set[str]:
        return self.snapshot.articles(self.plan(node))

    def copies(self, key: str, article: str, limit: int) -> tuple[int, list[str]]:
        return self.snapshot.copies(key, article, limit)

    def breakdown(self, analysed: Analysed, doc_id: str) -> list[dict[str, Any]]:
        """Per top-level clause: its score on the passage, and the score of each
        term or phrase leaf of its plan that matched there."""
        units = analysed.children if isinstance(analysed, And) else (analysed,)
        out = []
        for unit in units:
            plan: Plan = self.plan(unit)
            fields = [{"field": leaf.field, "query": show(leaf),
                       "score": round(self.snapshot.score(leaf, doc_id), 4)}
                      for leaf in leaves(plan)]
            out.append({"clause": unit.to_text(),
                        "score": round(self.snapshot.score(plan, doc_id), 4),
                        "fields": [f for f in fields if f["score"]]})
        return out
