"""``vnsearch serve``: a JSON API and a search page over one index (ASGI).

``create_app(engine)`` builds the application from an open :class:`~search.Engine`,
so it can be mounted in another ASGI application; ``vnsearch serve`` runs it on
uvicorn. Imported lazily: the other commands need not load the web stack."""

from __future__ import annotations

from typing import Any

__all__ = ["Settings", "create_app"]


def __getattr__(name: str) -> Any:
    if name == "create_app":
        from search.server.app import create_app

        return create_app
    if name == "Settings":
        from search.server.settings import Settings

        return Settings
    raise AttributeError(name)
