"""The plan: lowering decides what to match once, and every engine runs each
plan node kind to the same hits. Run on real indexes of the seeds."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

from search import Engine
from search.backends import ENGINES
from search.plan import (
    All,
    AnyOf,
    Best,
    DateWithin,
    Filter,
    MatchAll,
    MatchNone,
    Phrase,
    Plan,
    Scale,
    Terms,
    WithExtra,
)
from search.plan.expand import expand_fuzzy, expand_wildcard
from search.query.parser import parse
from search.query.rewrite import rewrite
from search.retrieval.view import View

ROOT = Path(__file__).resolve().parents[1]
BACKENDS = ROOT / "search" / "backends"


def lowered(engine: Engine, query: str) -> Plan:
    with engine._backend.snapshot() as snap:  # the plan of a real index
        view = View(snap)
        analysed = rewrite(parse(query), vocab=view.has_word)
        assert analysed is not None
        return view.plan(analysed)


def test_a_bare_word_matches_folded_and_scores_the_exact_form(engine: Engine) -> None:
    plan = lowered(engine, "ong")
    assert isinstance(plan, WithExtra)
    assert plan.required == Terms("fold", ("ong",), 0.45)
    assert Terms("syl", ("ong",), 1.0) in plan.extra.children()


def test_a_marked_word_matches_its_exact_syllables(engine: Engine) -> None:
    plan = lowered(engine, "ống")
    assert isinstance(plan, WithExtra)
    # the exact syllable is the match and the exact-form score at once: one term
    assert plan.required == Terms("syl", ("ống",), 1.45)
    assert Terms("syl", ("ống",), 1.0) not in plan.extra.children()
    mixed = lowered(engine, '"đường ong"')
    assert isinstance(mixed, WithExtra)
    assert mixed.required == All((Phrase("fold", ("duong", "ong"), 0, 0.45),
                                  Filter(Terms("syl", ("đường",)))))


def test_filters_score_nothing_and_dates_are_intervals(engine: Engine) -> None:
    assert lowered(engine, "speaker:Sullivan") == Filter(Terms("speaker", ("sullivan",)))
    assert lowered(engine, "date:2021-12") == Filter(DateWithin(20211201, 20211231))
    assert lowered(engine, "date:{2021-12-07 TO *]") == Filter(DateWithin(20211208, None))
    plan = lowered(engine, "NOT Blinken Lavrov")
    assert isinstance(plan, All) and len(plan.exclude) == 1


def test_prefix_and_fuzzy_are_expanded_by_shared_code(engine: Engine,
                                                     each_engine: Engine) -> None:
    with each_engine._backend.snapshot() as snap:
        assert expand_wildcard(snap, "syl", "ushak*") == ("ushakov",)
        assert expand_wildcard(snap, "syl", "put?n") == ("putin",)
        assert "kremlin" in expand_fuzzy(snap, "fold", "kremlinn", 1)
    assert lowered(each_engine, "Ushak*") == lowered(engine, "Ushak*")


def test_variants_are_scored_by_the_best_alternative(engine: Engine) -> None:
    plan = lowered(engine, "Moskva")
    assert isinstance(plan, Best) and any(isinstance(c, Scale) for c in plan.choices)


SEQUENCE = ("nord", "stream")
PLANS: list[Plan] = [
    Terms("fold", ("putin",)),
    Terms("syl", ("putin", "biden", "lavrov"), 0.5),
    Phrase("syl", SEQUENCE),
    Phrase("fold", ("biden", "putin"), 5),
    Filter(DateWithin(20211201, 20211231)),
    Filter(DateWithin(None, None)),
    All((Terms("fold", ("putin",)), Terms("fold", ("biden",)))),
    All((MatchAll(),), (Terms("fold", ("nato",)),)),
    All((Terms("fold", ("lavrov",)),), (Terms("fold", ("blinken",)),)),
    AnyOf((Terms("fold", ("lavrov",)), Terms("fold", ("sullivan",)))),
    AnyOf((Terms("fold", ("nga",)), Terms("fold", ("nato",)), Terms("fold", ("ukraine",))), 2),
    Best((Terms("fold", ("moscow",)), Scale(Terms("fold", ("moskva",)), 0.4))),
    WithExtra(Terms("fold", ("nato",)), Terms("syl", ("ukraine",))),
    Scale(Terms("fold", ("crimea",)), 2.0),
    Filter(Terms("speaker", ("sullivan",))),
    MatchNone(),
    AnyOf((MatchNone(), Terms("fold", ("kremlin",)))),
]


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
              if p.stem.split("_")[0] not in (engine, "base", "")}
    assert not {m for m in imports for o in others if m == f"search.backends.{o}"}
    assert len(module.read_text("utf-8").splitlines()) <= 450


def test_a_query_loads_no_other_engine(each_engine: Engine) -> None:
    script = ("import sys; from search import Engine; e = Engine.open(sys.argv[1]); "
              "assert e.search('Putin').total; print(*sorted(sys.modules))")
    out = subprocess.run([sys.executable, "-c", script, str(each_engine.path)],
                         capture_output=True, text=True, check=True, cwd=ROOT)
    loaded = set(out.stdout.split()) & set(ENGINES)  # each engine's library: its name
    assert loaded == {type(each_engine._backend).name}  # noqa: SLF001
