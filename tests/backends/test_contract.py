"""The contract every engine keeps (``search.backends.ENGINES``): on the same
articles, every query form and every plan node kind gives the same hits, counts,
suggestions and speakers as on the default engine (scores may differ); counts come
from the index; an engine imports nothing above it, and no other engine."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest
from engines import DEFAULT_ENGINE, SEEDS, Indexes, hit_set, require_engine
from seed_queries import PLANS, QUERIES

from search import Engine, QuerySyntaxError
from search.backends import ENGINES
from search.plan import (
    All,
    Best,
    Filter,
    Plan,
    Terms,
)

ROOT = Path(__file__).resolve().parents[2]
BACKENDS = ROOT / "search" / "backends"
SHARED = ("base", "mapping", "")  # the contract every engine builds on (and __init__)
OTHER_ENGINES = [e for e in ENGINES if e != DEFAULT_ENGINE]


@pytest.mark.parametrize("query", QUERIES)
def test_every_engine_finds_the_same_hits(engine: Engine, other_engine: Engine,
                                          query: str) -> None:
    assert hit_set(other_engine, query) == hit_set(engine, query)


def test_the_engine_is_kept_in_the_index(each_engine: Engine) -> None:
    with Engine.open(each_engine.path) as again:
        assert type(again._backend) is type(each_engine._backend)  # noqa: SLF001
        assert again.search('"đường ống"').total == 2


def test_suggestions_speakers_and_errors_are_the_same_on_every_engine(
        engine: Engine, other_engine: Engine) -> None:
    assert [s.query for s in other_engine.search("Kremlinn").suggestions] == \
        [s.query for s in engine.search("Kremlinn").suggestions]
    assert other_engine.speakers() == engine.speakers()
    assert other_engine.sources() == engine.sources()
    with pytest.raises(QuerySyntaxError):
        other_engine.search('"Nord Stream')


def counted(engine: Engine) -> tuple[dict[str, int], dict[str, int], dict[str, int]]:
    """Speakers, outlets and sizes counted the slow way, over every stored passage."""
    from collections import Counter

    docs = list(engine.iter_passages())
    speakers = Counter(s for d in docs for s in d.get("speakers") or [])
    sources = Counter(d["source"] for d in docs if d.get("source"))
    return dict(speakers), dict(sources), {"passages": len(docs),
                                           "articles": len({d["article"] for d in docs})}


@pytest.mark.parametrize("backend", ENGINES)
def test_counts_come_from_the_index_and_forget_replaced_passages(
        tmp_path: Path, seeds: Path, backend: str, monkeypatch: pytest.MonkeyPatch) -> None:
    import shutil

    import search.backends.base as base

    require_engine(backend)
    monkeypatch.setattr(base, "PAGE", 7)  # several pages, even on the seeds
    docs = tmp_path / "docs"
    shutil.copytree(seeds, docs)
    with Engine.build(tmp_path / "ix", [docs], engine=backend) as e:
        speakers, sources, sizes = counted(e)
        assert dict(e.speakers()) == speakers and dict(e.sources()) == sources
        assert e.stats() == sizes and sizes["articles"] == 5
        assert len({(d["article"], d["passage"]) for d in e.iter_passages()}) == sizes["passages"]
        # an article leaves: its passages, speakers and outlet must leave the counts
        target = next(p for p in sorted(docs.glob("*.txt")) if "Sullivan" in p.read_text("utf-8"))
        target.unlink()
        e.index([docs])
        e.refresh()
        speakers, sources, sizes = counted(e)
        assert dict(e.speakers()) == speakers and dict(e.sources()) == sources
        assert e.stats() == sizes and sizes["articles"] == 4
        # nor is it found any more in this process (Whoosh's own searcher refresh kept
        # the deleted passages of a segment it reused)
        assert all(h.article != target.stem for h in e.search("Sullivan", limit=50))


@pytest.mark.parametrize("query", [
    '"Biden Putin Nga Mỹ Ukraine"~40',  # five words near: three engines, three answers before
    '"Putin NATO Ukraine Biden Nga"~30',
    '"Nga Mỹ Ukraine"~8',
    'Putin -Biden -"Nga Mỹ"~3',
    'date:[2021-12-01 TO 2021-12-08] Nga',
])
@pytest.mark.parametrize("name", OTHER_ENGINES)
def test_proximity_exclusion_and_dates_find_the_same_passages(
        engine: Engine, indexes: Indexes, query: str, name: str) -> None:
    expected = hit_set(engine, query)
    assert hit_set(indexes.get(name, SEEDS), query) == expected
    if query.startswith('"Biden Putin Nga'):
        assert expected[0] >= 3


def found(engine: Engine, plan: Plan) -> tuple[int, set[tuple[str, int]], int, int]:
    """Total, hits, count and ids of a plan run on an engine's snapshot."""
    with engine._backend.snapshot() as snap:  # noqa: SLF001
        total, hits = snap.search(plan, 500, 0)
        return (total, {(h.stored["article"], h.stored["passage"]) for h in hits},
                snap.count(plan), len(snap.ids(plan)))


@pytest.mark.parametrize("plan", PLANS, ids=lambda p: type(p).__name__)
def test_every_plan_node_kind_gives_the_same_hits_on_every_engine(
        engine: Engine, other_engine: Engine, plan: Plan) -> None:
    total, hits, count, ids = found(other_engine, plan)
    assert (total, hits, count, ids) == found(engine, plan)
    assert total == count == ids == len(hits)


def test_filters_and_the_best_choice_score_as_documented(each_engine: Engine) -> None:
    with each_engine._backend.snapshot() as snap:  # noqa: SLF001
        _, hits = snap.search(Filter(Terms("fold", ("putin",))), 5, 0)
        assert hits and all(h.score == 0.0 for h in hits)
        one = Terms("fold", ("moscow",))
        best = Best((one, Terms("fold", ("moscow",), 0.1)))
        _, a = snap.search(one, 50, 0)
        _, b = snap.search(best, 50, 0)
        assert [round(h.score, 5) for h in a] == [round(h.score, 5) for h in b]
        # an exclusion takes passages away and adds nothing to the others' scores
        putin = Terms("fold", ("putin",))
        _, c = snap.search(putin, 50, 0)
        _, d = snap.search(All((putin,), (Terms("fold", ("blinken",)),)), 50, 0)
        _, e = snap.search(putin, 50, 0, exclude={f"{c[0].stored['article']}#"
                                                   f"{c[0].stored['passage']}"})
        assert [round(h.score, 5) for h in c] == [round(h.score, 5) for h in d]
        assert [round(h.score, 5) for h in c[1:]] == [round(h.score, 5) for h in e]


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text("utf-8"))
    out: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            out.add(node.module)
        elif isinstance(node, ast.Import):
            out.update(a.name for a in node.names)
    return out


@pytest.mark.parametrize("module", sorted(set(BACKENDS.glob("*.py")) - {BACKENDS / "__init__.py"}),
                         ids=lambda p: p.name)
def test_engines_import_nothing_above_them_nor_each_other(module: Path) -> None:
    imports = _imports(module)
    assert not {m for m in imports if m.startswith(
        ("search.retrieval", "search.indexing", "search.ingest", "search.query"))}
    engine = module.stem.split("_")[0]  # xapian_read.py belongs to the xapian engine
    others = {p.stem for p in BACKENDS.glob("*.py")
              if p.stem.split("_")[0] not in (engine, *SHARED)}
    assert not {m for m in imports for o in others if m == f"search.backends.{o}"}
    assert len(module.read_text("utf-8").splitlines()) <= 450


def test_a_query_loads_no_other_engine(each_engine: Engine) -> None:
    script = ("import sys; from search import Engine; e = Engine.open(sys.argv[1]); "
              "assert e.search('Putin').total; print(*sorted(sys.modules))")
    out = subprocess.run([sys.executable, "-c", script, str(each_engine.path)],
                         capture_output=True, text=True, check=True, cwd=ROOT)
    loaded = set(out.stdout.split()) & set(ENGINES)  # each engine's library: its name
    assert loaded == {type(each_engine._backend).name}  # noqa: SLF001
