"""Errors a user can act on. Each says what went wrong and what to do."""

from __future__ import annotations


class SearchError(Exception):
    """Base of every error this package raises on purpose."""


class UsageError(SearchError, ValueError):
    """A bad option or argument (exit status 2); a ``ValueError`` for the API."""


class IndexNotFoundError(SearchError):
    """No index at the given path: build one with ``vnsearch index``."""


class IndexBusyError(SearchError):
    """Another process holds the index's write lock."""


class IndexDamagedError(SearchError):
    """The index cannot be read; ``vnsearch index --rebuild`` recreates it."""


class StorageError(IndexDamagedError):
    """An engine could not read its own files. Engines raise it with what they
    found; the :class:`~search.engine.Engine` adds the index's path and the fix."""


class QuerySyntaxError(SearchError):
    """A query that cannot be parsed, with where and how to fix it.

    ``position`` is a 0-based character offset into the query text.
    """

    def __init__(self, message: str, position: int, hint: str = "", query: str = "",
                 suggestion: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.position = position
        self.hint = hint
        self.query = query
        self.suggestion = suggestion  # a query that runs, when one is obvious

    def to_dict(self) -> dict[str, object]:
        out: dict[str, object] = {"message": self.message, "position": self.position,
                                  "hint": self.hint}
        if self.suggestion:
            out["suggestion"] = self.suggestion
        return out

    def pretty(self) -> str:
        """The query, then a caret under the column, as a compiler prints it."""
        from search.analysis.controls import visible

        line = visible("".join(
            "\ufffd" if 0xD800 <= ord(c) <= 0xDFFF else (" " if c in "\t\n" else c)
            for c in self.query))
        caret = " " * self.position + "^ " + visible(self.message)
        if self.hint:
            caret += f": {visible(self.hint)}"
        if self.suggestion:
            caret += f"\ntry: {visible(self.suggestion)}"
        return f"{line}\n{caret}"

    def __str__(self) -> str:
        where = f" at column {self.position + 1}"
        return f"{self.message}{where}" + (f" ({self.hint})" if self.hint else "")


class ClusterError(SearchError):
    """A cluster of shards cannot do what was asked: no copy of any shard answers, or
    an indexing run cannot reach a shard's primary (nothing was committed there)."""


class ReadAgainError(SearchError):
    """A read that must start again on a fresh view: a writer committed twice under
    it, or a shard of a cluster stopped answering (the others then answer alone)."""


class ShardLostError(ClusterError, ReadAgainError):
    """A shard stopped answering during a search; the search runs again on the others."""
