"""Real indexes on every engine, for the fixtures of ``conftest.py`` and for tests that
build their own: an engine that is not installed skips its tests."""

from __future__ import annotations

import importlib.util
import shutil
from pathlib import Path

import pytest

from search import Engine
from search.indexing.meta import IndexMeta

SEEDS = Path(__file__).resolve().parents[1] / "seeds"
DEFAULT_ENGINE = IndexMeta.engine  # what an index is built with when no engine is named
# the module each engine needs beyond the base install, and how to get it
EXTRAS = {"xapian": ("xapian", "the cluster extra: pip install 'vnsearch[cluster]'")}


def seed_files() -> list[Path]:
    """The bundled seed articles, in a fixed order."""
    return sorted(SEEDS.glob("*.txt"))


def copy_seeds(folder: Path, n: int) -> Path:
    """A folder of the first ``n`` seed articles, for a test to add to and delete from."""
    folder.mkdir()
    for seed in seed_files()[:n]:
        shutil.copy(seed, folder / seed.name)
    return folder


def hit_set(engine: Engine, query: str) -> tuple[int, set[tuple[str, int, bool]]]:
    """What a query finds on an engine, as engines must agree on it: the total and the
    passages (scores are each engine's own)."""
    results = engine.search(query, limit=200)
    return results.total, {(h.article, h.passage, h.partial) for h in results}


def require_engine(name: str) -> None:
    """Skip the test when ``name`` is not installed (Xapian: the cluster extra)."""
    if name in EXTRAS:
        module, reason = EXTRAS[name]
        if importlib.util.find_spec(module) is None:
            pytest.skip(reason)


class Indexes:
    """Real indexes, each built once per session per engine and folders: tests that
    share one must only read it."""

    def __init__(self, factory: pytest.TempPathFactory) -> None:
        self._factory = factory
        self._built: dict[tuple[str, tuple[Path, ...]], Engine] = {}

    def get(self, name: str, *folders: Path) -> Engine:
        """The index of ``folders`` on the engine ``name``, built on first use."""
        require_engine(name)
        key = (name, folders)
        if key not in self._built:
            path = self._factory.mktemp(f"{name}-index")
            self._built[key] = Engine.build(path, list(folders), engine=name)
        return self._built[key]

    def close(self) -> None:
        for built in self._built.values():
            built.close()
