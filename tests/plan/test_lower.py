"""Lowering: an analysed query becomes the plan every engine runs; what matches
(folded or exact syllables, filters, date intervals, variants) is decided here once.
Read from the plans of a real index of the seeds."""

from __future__ import annotations

from search import Engine
from search.plan import All, Best, Filter, Near, Phrase, Plan, Range, Scale, Terms, WithExtra
from search.query.parser import parse
from search.query.rewrite import rewrite
from search.retrieval.view import View


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
    assert mixed.required == All((Phrase("fold", ("duong", "ong"), 0.45),
                                  Filter(Terms("syl", ("đường",)))))


def test_filters_score_nothing_and_dates_are_intervals(engine: Engine) -> None:
    assert lowered(engine, "speaker:Sullivan") == Filter(Terms("speaker", ("sullivan",)))
    assert lowered(engine, "date:2021-12") == Filter(All((Range("date_lo", 20211201, None),
                                                          Range("date_hi", None, 20211231))))
    assert lowered(engine, "date:{2021-12-07 TO *]") == Filter(Range("date_lo", 20211208, None))
    assert lowered(engine, "date:[* TO 2021-12-07}") == Filter(Range("date_hi", None, 20211206))
    plan = lowered(engine, "NOT Blinken Lavrov")
    assert isinstance(plan, All) and len(plan.exclude) == 1


def test_proximity_of_many_words_is_every_pair_near_decided_once(engine: Engine) -> None:
    plan = lowered(engine, '"Biden Putin Nga"~5')
    nears = [n for n in _walk(plan) if isinstance(n, Near)]
    pairs = {frozenset((n.first, n.second)) for n in nears}
    assert {frozenset(p) for p in (("biden", "putin"), ("biden", "nga"), ("putin", "nga"))} \
        <= pairs
    assert all(n.within == 5 for n in nears)
    assert not [n for n in _walk(plan) if isinstance(n, Phrase)]
    # a word typed twice is needed once
    assert not [n for n in _walk(lowered(engine, '"Nga Nga"~3')) if isinstance(n, Near)]


def _walk(plan: Plan) -> list[Plan]:
    return [plan, *(n for c in plan.children() for n in _walk(c))]


def test_variants_are_scored_by_the_best_alternative(engine: Engine) -> None:
    plan = lowered(engine, "Moskva")
    assert isinstance(plan, Best) and any(isinstance(c, Scale) for c in plan.choices)


def test_an_expanded_prefix_lowers_to_the_same_plan_on_every_engine(
        engine: Engine, each_engine: Engine) -> None:
    assert lowered(each_engine, "Ushak*") == lowered(engine, "Ushak*")
