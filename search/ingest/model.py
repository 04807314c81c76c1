"""What ingest hands to the indexer: articles cut into passages, with metadata."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Passage:
    ordinal: int  # 1-based position among the article's kept passages
    text: str  # the paragraph as written (NFD stays NFD: highlights index into it)
    speakers: tuple[str, ...] = ()  # filled by attribution
    dates: tuple[str, ...] = ()  # ISO dates the passage mentions


@dataclass(frozen=True, slots=True)
class Article:
    id: str  # the path under the indexed folder, without suffix; a .jsonl's: file/id
    path: str  # absolute path of the source file ("" for in-memory input)
    sha256: str  # of the file's bytes: re-index only what changed
    passages: tuple[Passage, ...]
    title: str | None = None
    source: str | None = None
    date: str | None = None  # YYYY, YYYY-MM or YYYY-MM-DD
    url: str | None = None
    notes: tuple[str, ...] = field(default=())  # metadata problems worth reporting
    origin: str = ""  # where to point a user: the file, or file:line for a .jsonl article


@dataclass(frozen=True, slots=True)
class Skipped:
    """A file (or, with ``line``, one line of a ``.jsonl``) that could not be read;
    the run goes on without it."""

    path: str
    reason: str
    line: int = 0  # the line of a .jsonl file (0: the whole file)

    def __str__(self) -> str:
        return f"{self.path}: {self.reason}"
