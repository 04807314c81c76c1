"""A fourth engine is its primitives, a plan mapping and a schema: the in-memory
engine of ``tests/memory_engine.py`` is registered by name, built by the real
indexer from the seeds, and must answer every seed query and every plan node kind
with the passages the default engine finds (scores are its own)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from engines import SEEDS, hit_set
from seed_queries import PLANS, QUERIES

import search.backends as registry
from search import Engine
from search.indexing.indexer import update_index
from search.plan import Plan


@pytest.fixture(scope="module")
def memory(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    registry.register("memory", "memory_engine", "MemoryBackend")
    try:
        path = tmp_path_factory.mktemp("memory")
        backend = registry.engine_class("memory").create(path, "G1")
        report = update_index(backend, [SEEDS], workers=1)
        assert report.added == len(list(SEEDS.glob("*.txt")))
        yield Engine(path, backend)
    finally:
        registry._ENGINES.pop("memory", None)  # noqa: SLF001 - the test's own entry


@pytest.mark.parametrize("query", QUERIES)
def test_the_fourth_engine_finds_what_the_default_finds(memory: Engine, engine: Engine,
                                                        query: str) -> None:
    assert hit_set(memory, query) == hit_set(engine, query)


@pytest.mark.parametrize("plan", PLANS, ids=lambda p: type(p).__name__)
def test_every_plan_kind_runs_on_the_fourth_engine(memory: Engine, engine: Engine,
                                                   plan: Plan) -> None:
    def run(e: Engine) -> tuple[int, set[str], int]:
        with e._backend.snapshot() as snap:  # noqa: SLF001
            total, hits = snap.search(plan, 500, 0)
            return (total, {f"{h.stored['article']}#{h.stored['passage']}" for h in hits},
                    snap.count(plan))
    assert run(memory) == run(engine)


def test_whole_index_reads_come_from_the_contract(memory: Engine, engine: Engine) -> None:
    assert memory.stats() == engine.stats()
    assert memory.speakers() == engine.speakers() and memory.sources() == engine.sources()
    first = sorted(SEEDS.glob("*.txt"))[0].stem
    assert [p["passage"] for p in memory.article(first)] == \
        [p["passage"] for p in engine.article(first)]
    assert memory._backend.articles().keys() == engine._backend.articles().keys()  # noqa: SLF001


def test_the_registry_hands_out_the_new_engine_by_name(memory: Engine, tmp_path: Path) -> None:
    cls = registry.engine_class("memory")
    assert cls.name == "memory" and cls.exists(memory.path, "G1")
    assert not cls.exists(tmp_path, "G1")
