"""The engines, registered by name behind one contract (``base``); each is imported
on demand, so a query pays only for the engine its index was built with. Nothing
outside this package names an engine: it asks the registry.

An index location is a folder holding generations of one engine, or a cluster file
that a registered cluster kind opens (``cluster.toml``: Xapian shards)."""

from __future__ import annotations

import importlib
import importlib.util
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

from search.backends.base import EngineClass, PassageDoc, Sharded
from search.errors import SearchError


@dataclass(frozen=True, slots=True)
class Registered:
    """Where an engine lives, and the module it needs that may not be installed."""

    name: str
    module: str
    attribute: str
    needs: str | None = None  # an importable module (the engine's library)
    extra: str | None = None  # the vnsearch extra that installs it


_ENGINES: dict[str, Registered] = {}
_CLUSTERS: dict[str, Registered] = {}  # by file suffix


def register(name: str, module: str, attribute: str, *, needs: str | None = None,
             extra: str | None = None) -> None:
    """Make an engine available by ``name`` (``vnsearch index --engine NAME``)."""
    _ENGINES[name] = Registered(name, module, attribute, needs, extra)


def register_cluster(suffix: str, module: str, attribute: str, *, needs: str | None = None,
                     extra: str | None = None) -> None:
    """Make index locations ending in ``suffix`` open as a cluster of shards."""
    _CLUSTERS[suffix] = Registered(suffix, module, attribute, needs, extra)


register("whoosh", "search.backends.whoosh", "WhooshBackend")
register("tantivy", "search.backends.tantivy", "TantivyBackend")
register("xapian", "search.backends.xapian", "XapianBackend", needs="xapian", extra="cluster")
register_cluster(".toml", "search.backends.xapian_cluster", "ClusterBackend", needs="xapian",
                 extra="cluster")

ENGINES = tuple(_ENGINES)
DEFAULT_ENGINE = "whoosh"  # pure Python: installed everywhere, no library to build


def _load(entry: Registered, what: str) -> Any:
    if entry.needs and importlib.util.find_spec(entry.needs) is None:
        raise SearchError(f"{what} needs the {entry.needs} library: "
                          f"pip install 'vnsearch[{entry.extra}]'")
    return getattr(importlib.import_module(entry.module), entry.attribute)


def engine_class(name: str) -> EngineClass:
    """The engine registered as ``name``; :class:`SearchError` when there is none or
    its library is not installed (the message says how to install it)."""
    entry = _ENGINES.get(name)
    if entry is None:
        raise SearchError(f"unknown engine {name!r}; choose one of: {', '.join(ENGINES)}")
    return cast(EngineClass, _load(entry, f"the {name} engine"))


def installed_engines() -> list[EngineClass]:
    """The engines importable here: one not installed has no files to find."""
    out = []
    for name in ENGINES:
        try:
            out.append(engine_class(name))
        except SearchError:
            continue
    return out


def is_cluster(path: str | Path) -> bool:
    """An index location naming a cluster file (``cluster.toml``), not a folder."""
    return any(str(path).endswith(suffix) for suffix in _CLUSTERS)


def open_cluster(path: str | Path) -> Sharded:
    """The backend over the shards a cluster file names."""
    entry = next(e for suffix, e in _CLUSTERS.items() if str(path).endswith(suffix))
    return cast(Sharded, _load(entry, "a cluster").open(path))


def encoder(name: str) -> Callable[[PassageDoc], Any]:
    """``encode(PassageDoc)`` of an engine's module: what its writer's ``add_encoded``
    takes, made ahead of it in the indexing workers."""
    module = importlib.import_module(_ENGINES[name].module)
    return cast(Callable[[PassageDoc], Any], module.encode)
