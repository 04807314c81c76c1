"""The plan: lowering decides what to match once, and every engine runs each
plan node kind to the same hits. Run on real indexes of the seeds."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

from search import Engine
from search.plan import (
    All,
    AnyOf,
    Best,
    Filter,
    FirstPassages,
    MatchAll,
    MatchNone,
    Near,
    Passages,
    Phrase,
    Plan,
    Range,
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
SHARED = ("base", "mapping", "")  # the contract every engine builds on (and __init__)


@pytest.fixture(scope="module")
def both(tmp_path_factory: pytest.TempPathFactory, seeds: Path):
    w = Engine.build(tmp_path_factory.mktemp("w"), [seeds], engine="whoosh")
    t = Engine.build(tmp_path_factory.mktemp("t"), [seeds], engine="tantivy")
    yield w, t
    w.close()
    t.close()


@pytest.fixture(scope="module")
def every(both, tmp_path_factory: pytest.TempPathFactory, seeds: Path):
    """Every engine: Whoosh, tantivy and Xapian (the cluster extra)."""
    pytest.importorskip("xapian", reason="the cluster extra: pip install 'vnsearch[cluster]'")
    x = Engine.build(tmp_path_factory.mktemp("x"), [seeds], engine="xapian")
    yield (*both, x)
    x.close()


def lowered(engine: Engine, query: str) -> Plan:
    with engine._backend.snapshot() as snap:  # the plan of a real index
        view = View(snap)
        analysed = rewrite(parse(query), vocab=view.has_word)
        assert analysed is not None
        return view.plan(analysed)


def test_a_bare_word_matches_folded_and_scores_the_exact_form(both) -> None:
    plan = lowered(both[0], "ong")
    assert isinstance(plan, WithExtra)
    assert plan.required == Terms("fold", ("ong",), 0.45)
    assert Terms("syl", ("ong",), 1.0) in plan.extra.children()


def test_a_marked_word_matches_its_exact_syllables(both) -> None:
    plan = lowered(both[0], "ống")
    assert isinstance(plan, WithExtra)
    # the exact syllable is the match and the exact-form score at once: one term
    assert plan.required == Terms("syl", ("ống",), 1.45)
    assert Terms("syl", ("ống",), 1.0) not in plan.extra.children()
    mixed = lowered(both[0], '"đường ong"')
    assert isinstance(mixed, WithExtra)
    assert mixed.required == All((Phrase("fold", ("duong", "ong"), 0.45),
                                  Filter(Terms("syl", ("đường",)))))


def test_filters_score_nothing_and_dates_are_intervals(both) -> None:
    assert lowered(both[0], "speaker:Sullivan") == Filter(Terms("speaker", ("sullivan",)))
    assert lowered(both[0], "date:2021-12") == Filter(All((Range("date_lo", 20211201, None),
                                                            Range("date_hi", None, 20211231))))
    assert lowered(both[0], "date:{2021-12-07 TO *]") == \
        Filter(Range("date_lo", 20211208, None))
    assert lowered(both[0], "date:[* TO 2021-12-07}") == \
        Filter(Range("date_hi", None, 20211206))


def test_proximity_of_many_words_is_every_pair_near_decided_once(both) -> None:
    plan = lowered(both[0], '"Biden Putin Nga"~5')
    nears = [n for n in _walk(plan) if isinstance(n, Near)]
    pairs = {frozenset((n.first, n.second)) for n in nears}
    assert {frozenset(p) for p in (("biden", "putin"), ("biden", "nga"), ("putin", "nga"))} \
        <= pairs
    assert all(n.within == 5 for n in nears)
    assert not [n for n in _walk(plan) if isinstance(n, Phrase)]
    # a word typed twice is needed once
    assert not [n for n in _walk(lowered(both[0], '"Nga Nga"~3')) if isinstance(n, Near)]


def _walk(plan: Plan) -> list[Plan]:
    return [plan, *(n for c in plan.children() for n in _walk(c))]
    plan = lowered(both[0], "NOT Blinken Lavrov")
    assert isinstance(plan, All) and len(plan.exclude) == 1


def test_prefix_and_fuzzy_are_expanded_by_shared_code(both) -> None:
    for engine in both:
        with engine._backend.snapshot() as snap:
            assert expand_wildcard(snap, "syl", "ushak*") == ("ushakov",)
            assert expand_wildcard(snap, "syl", "put?n") == ("putin",)
            assert "kremlin" in expand_fuzzy(snap, "fold", "kremlinn", 1)
    assert lowered(both[0], "Ushak*") == lowered(both[1], "Ushak*")


def test_variants_are_scored_by_the_best_alternative(both) -> None:
    plan = lowered(both[0], "Moskva")
    assert isinstance(plan, Best) and any(isinstance(c, Scale) for c in plan.choices)


SEQUENCE = ("nord", "stream")
PLANS: list[Plan] = [
    Terms("fold", ("putin",)),
    Terms("syl", ("putin", "biden", "lavrov"), 0.5),
    Phrase("syl", SEQUENCE),
    Near("fold", "biden", "putin", 5),
    Near("fold", "putin", "biden", 1),
    Filter(All((Range("date_lo", 20211201, None), Range("date_hi", None, 20211231)))),
    Filter(Range("date_lo", 0, None)),
    Filter(Range("date_hi", None, 20211207)),
    Passages(frozenset({"000_8573dd3e2d4c80c7#1", "001_d3bae11d98f19b71#3", "no#such"})),
    FirstPassages(),
    All((Terms("fold", ("putin",)), Terms("fold", ("biden",)))),
    All((MatchAll(),), (Terms("fold", ("nato",)),)),
    All((Terms("fold", ("lavrov",)),), (Terms("fold", ("blinken",)),)),
    AnyOf((Terms("fold", ("lavrov",)), Terms("fold", ("sullivan",)))),
    AnyOf((Terms("fold", ("nga",)), Terms("fold", ("nato",)), Terms("fold", ("ukraine",))), 2),
    # at least k of n below the root, and beside an exclusion
    All((Terms("fold", ("putin",)),
         AnyOf((Terms("fold", ("nga",)), Terms("fold", ("nato",)), Terms("fold", ("my",)),
                Terms("fold", ("ukraine",))), 3)),
        (Terms("fold", ("biden",)),)),
    AnyOf((AnyOf((Terms("fold", ("nga",)), Terms("fold", ("nato",)),
                  Terms("fold", ("ukraine",))), 2), Terms("fold", ("sullivan",)))),
    Filter(AnyOf((Terms("fold", ("nga",)), Terms("fold", ("nato",))), 2)),
    Best((Terms("fold", ("moscow",)), Scale(Terms("fold", ("moskva",)), 0.4))),
    WithExtra(Terms("fold", ("nato",)), Terms("syl", ("ukraine",))),
    Scale(Terms("fold", ("crimea",)), 2.0),
    Filter(Terms("speaker", ("sullivan",))),
    MatchNone(),
    AnyOf((MatchNone(), Terms("fold", ("kremlin",)))),
]


@pytest.mark.parametrize("plan", PLANS, ids=lambda p: type(p).__name__)
def test_every_plan_node_kind_gives_the_same_hits_on_every_engine(every, plan: Plan) -> None:
    found = []
    for engine in every:
        with engine._backend.snapshot() as snap:
            total, hits = snap.search(plan, 500, 0)
            found.append((total, {(h.stored["article"], h.stored["passage"]) for h in hits},
                          snap.count(plan), len(snap.ids(plan))))
    assert found[0] == found[1] == found[2]
    assert found[0][0] == found[0][2] == found[0][3] == len(found[0][1])


def test_filters_and_the_best_choice_score_as_documented(every) -> None:
    for engine in every:
        with engine._backend.snapshot() as snap:
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


def test_a_query_on_tantivy_does_not_load_whoosh(both) -> None:
    script = ("import sys; from search import Engine; e = Engine.open(sys.argv[1]); "
              "assert e.search('Putin').total; print('whoosh' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", script, str(both[1].path)],
                         capture_output=True, text=True, check=True, cwd=ROOT)
    assert out.stdout.strip() == "False"


@pytest.mark.parametrize("query", [
    '"Biden Putin Nga Mỹ Ukraine"~40',  # five words near: three engines, three answers before
    '"Putin NATO Ukraine Biden Nga"~30',
    '"Nga Mỹ Ukraine"~8',
    'Putin -Biden -"Nga Mỹ"~3',
    'date:[2021-12-01 TO 2021-12-08] Nga',
])
def test_a_query_finds_the_same_passages_on_every_engine(every, query: str) -> None:
    found = [sorted((h.article, h.passage) for h in e.search(query, limit=100)) for e in every]
    assert found[0] == found[1] == found[2]
    if query.startswith('"Biden Putin Nga'):
        assert len(found[0]) >= 3
