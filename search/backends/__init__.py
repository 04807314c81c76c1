"""Search engines behind one interface (``base.Backend``); imported on demand,
so a query pays only for the engine its index was built with."""

from __future__ import annotations

from typing import Any

from search.errors import SearchError

ENGINES = ("whoosh", "tantivy")


def backend_class(name: str) -> Any:
    if name == "whoosh":
        from search.backends.whoosh import WhooshBackend

        return WhooshBackend
    if name == "tantivy":
        from search.backends.tantivy import TantivyBackend

        return TantivyBackend
    raise SearchError(f"unknown engine {name!r}; choose one of: {', '.join(ENGINES)}")


def encoder(name: str) -> Any:
    """``encode(PassageDoc)`` of an engine: what its writer adds, built ahead of it."""
    if name == "whoosh":
        from search.backends.whoosh import encode

        return encode
    if name == "tantivy":
        from search.backends.tantivy import encode as encode_tantivy

        return encode_tantivy
    raise SearchError(f"unknown engine {name!r}; choose one of: {', '.join(ENGINES)}")
