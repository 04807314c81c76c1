"""Search engines behind one interface (``base.Backend``); imported on demand,
so a query pays only for the engine its index was built with."""

from __future__ import annotations

from typing import Any

from search.errors import SearchError

ENGINES = ("whoosh", "tantivy", "xapian")


def backend_class(name: str) -> Any:
    if name == "whoosh":
        from search.backends.whoosh import WhooshBackend

        return WhooshBackend
    if name == "tantivy":
        from search.backends.tantivy import TantivyBackend

        return TantivyBackend
    if name == "xapian":
        _need_xapian()
        from search.backends.xapian import XapianBackend

        return XapianBackend
    raise SearchError(f"unknown engine {name!r}; choose one of: {', '.join(ENGINES)}")


def is_cluster(path: Any) -> bool:
    """An index location naming a cluster file (``cluster.toml``), not a folder."""
    return str(path).endswith(".toml")


def cluster_backend(path: Any) -> Any:
    """The backend over the shards a cluster file names (needs the cluster extra)."""
    _need_xapian()
    from search.backends.xapian_cluster import ClusterBackend

    return ClusterBackend.open(path)


def _need_xapian() -> None:
    import importlib.util

    if importlib.util.find_spec("xapian") is None:
        raise SearchError("the xapian engine and clusters need the Xapian bindings: "
                          "pip install 'vnsearch[cluster]'")


def encoder(name: str) -> Any:
    """``encode(PassageDoc)`` of an engine's module: what its writer's ``add_encoded``
    takes, made ahead of it in the indexing workers."""
    import importlib

    return importlib.import_module(backend_class(name).__module__).encode
