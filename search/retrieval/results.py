"""What a search returns: ranked passages with their article's metadata."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

from search.retrieval.suggest import Suggestion


@dataclass(frozen=True, slots=True)
class Hit:
    article: str
    passage: int  # 1-based ordinal within the article
    text: str  # the passage as written in the source file
    score: float
    speakers: list[str] = field(default_factory=list)
    date: str | None = None  # the article's date: YYYY-MM-DD, YYYY-MM or YYYY
    title: str | None = None
    source: str | None = None
    highlights: list[list[int]] = field(default_factory=list)  # [start, end) into text
    dates: list[str] = field(default_factory=list)  # dates the passage mentions
    partial: bool = False  # holds most, not all, of a plain query's words
    missing: list[str] = field(default_factory=list)  # the words a partial hit lacks
    duplicates: list[str] = field(default_factory=list)  # same text elsewhere: article#passage
    duplicate_count: int = 0  # all of them; ``duplicates`` lists the first COPIES_LISTED

    @classmethod
    def from_stored(cls, stored: Mapping[str, Any], score: float,
                    highlights: list[list[int]], partial: bool = False,
                    missing: list[str] | None = None,
                    duplicates: list[str] | None = None, duplicate_count: int = 0) -> Hit:
        return cls(article=stored["article"], passage=int(stored["passage"]),
                   text=stored["text"], score=round(score, 4),
                   speakers=list(stored.get("speakers") or []), date=stored.get("date"),
                   title=stored.get("title"), source=stored.get("source"),
                   highlights=highlights, dates=list(stored.get("dates") or []),
                   partial=partial, missing=list(missing or []),
                   duplicates=list(duplicates or []),
                   duplicate_count=max(duplicate_count, len(duplicates or [])))

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True, slots=True)
class Results:
    query: str
    hits: list[Hit]
    total: int  # unique passages that can be paged to (partial matches included)
    took_ms: float
    partial: int = 0  # how many of ``total`` are partial matches
    suggestions: list[Suggestion] = field(default_factory=list)  # when nothing matched
    copies: int = 0  # matching passages not in ``total``: copies of one it lists
    # "eq": ``total`` was counted exactly; "gte": wire copies among the matches not
    # read were estimated from those read, so ``total`` is approximate ("about N")
    total_relation: str = "eq"
    # a cluster: {"total", "successful", "failed": [{"shard", "reason"}]}; None for a folder
    shards: dict[str, Any] | None = None

    @property
    def incomplete(self) -> bool:
        """Some shard of a cluster did not answer: these are the other shards' hits."""
        return bool(self.shards and self.shards["failed"])

    def shard_warning(self) -> str:
        """One line naming the shards left out, for stderr and the console."""
        if not self.shards or not self.shards["failed"]:
            return ""
        names = ", ".join(f"{f['shard']} ({f['reason']})" for f in self.shards["failed"])
        return (f"warning: partial results: {self.shards['successful']} of "
                f"{self.shards['total']} shards answered; missing {names}")

    def __iter__(self) -> Iterator[Hit]:
        return iter(self.hits)

    def __len__(self) -> int:
        return len(self.hits)

    def __getitem__(self, i: int) -> Hit:
        return self.hits[i]

    def to_dict(self) -> dict[str, Any]:
        out = {"query": self.query, "total": self.total,
               "total_relation": self.total_relation, "copies": self.copies,
               "partial": self.partial, "took_ms": round(self.took_ms, 2),
               "hits": [h.to_dict() for h in self.hits],
               "error": None, "suggestions": [s.to_dict() for s in self.suggestions]}
        if self.shards is not None:
            out["shards"] = self.shards
        return out


def error_object(query: str, message: str, position: int = 0,
                 hint: str = "", suggestion: str = "") -> dict[str, Any]:
    """The JSON of a query that did not run: the keys of a result (so a reader needs
    one schema), nothing found, and ``error`` {message, position, hint}."""
    out = Results(query, [], 0, 0.0).to_dict()
    out["error"] = {"message": message, "position": position, "hint": hint}
    if suggestion:  # a query that runs (an unclosed quote removed)
        out["error"]["suggestion"] = suggestion
    return out
