"""Ranking on the seeds: the relevance floor, partial matches, variants, filters."""

from __future__ import annotations

from pathlib import Path

from search import Engine
from search.evaluation import baseline_run, engine_run, evaluate, read_qrels, read_queries

DATA = Path(__file__).parent / "data" / "relevance"
# Keyword queries q01-q46: measured 0.973 / 1.000 / 0.962 (naive baseline 0.866 / 0.887 /
# 0.880; wire copies once); floors just below. Questions q47-q70 (issue 21, judged by hand
# before the system ever ran them): first look 0.712 / 0.927 / 0.687 (naive 0.703 / 0.923 /
# 0.647). The README states the figures of all 70; tests/test_trust.py checks them.
FLOOR = {"nDCG@10": 0.95, "MRR@10": 0.97, "Recall@10": 0.93}
QUESTION_FLOOR = {"nDCG@10": 0.68, "MRR@10": 0.90, "Recall@10": 0.65}


def test_relevance_floor_and_baseline(each_engine: Engine) -> None:
    check_floors(each_engine)


def _measure(engine: Engine, questions: bool) -> tuple[dict[str, float], dict[str, float]]:
    queries = [q for q in read_queries(DATA / "queries.tsv") if (int(q[0][1:]) > 46) == questions]
    ids = {q[0] for q in queries}
    qrels = [r for r in read_qrels(DATA / "qrels.txt") if r.query_id in ids]
    assert len(queries) >= (20 if questions else 30)
    return (evaluate(qrels, engine_run(engine, queries)).total,
            evaluate(qrels, baseline_run(engine, queries)).total)


def check_floors(engine: Engine) -> None:
    ours, naive = _measure(engine, questions=False)
    print(f"ours {ours}\nnaive {naive}")
    for name, floor in FLOOR.items():
        assert ours[name] >= floor, (name, ours[name])
    assert ours["nDCG@10"] > naive["nDCG@10"] + 0.05
    ours, naive = _measure(engine, questions=True)
    print(f"questions: ours {ours}\nnaive {naive}")
    for name, floor in QUESTION_FLOOR.items():
        assert ours[name] >= floor, ("questions", name, ours[name])
    assert ours["nDCG@10"] >= naive["nDCG@10"], "questions: no worse than a naive BM25"


def test_plain_query_adds_partial_matches_after_full_ones(engine: Engine) -> None:
    results = engine.search("Nga lo ngại NATO mở rộng về phía đông", limit=20)
    assert results.total > 0 and all(h.partial for h in results)
    assert all(h.missing for h in results)
    assert results[0].article.startswith(("001", "000", "003", "002"))
    full_and_partial = engine.search("Sullivan cảnh báo", limit=20)
    flags = [h.partial for h in full_and_partial]
    assert flags[0] is False and True in flags
    assert flags == sorted(flags), "every full match comes before any partial one"
    for h in full_and_partial:
        if h.partial:
            assert h.missing in (["sullivan"], ["cảnh báo"])


def test_explicit_and_and_phrases_stay_strict(engine: Engine) -> None:
    assert all(not h.partial for h in engine.search("Sullivan AND cảnh báo", limit=50))
    assert all(not h.partial for h in engine.search("+Sullivan +cảnh báo", limit=50))
    assert engine.search('"Sullivan cảnh báo Putin"').total == 0


def test_partial_pages_follow_full_pages(engine: Engine) -> None:
    everything = [(h.article, h.passage) for h in engine.search("Sullivan cảnh báo", limit=40)]
    paged = [(h.article, h.passage) for off in range(0, 40, 4)
             for h in engine.search("Sullivan cảnh báo", limit=4, offset=off)]
    assert paged == everything


def test_name_variants_find_each_other_lower(engine: Engine) -> None:
    results = engine.search("Moskva", limit=30)
    texts = [h.text for h in results]
    exact = [t for t in texts if "Moskva" in t]
    assert exact and texts[: len(exact)] == exact, "the spelling typed ranks first"
    assert any("Matxcơva" in t for t in texts) and any("Moscow" in t for t in texts)
    assert engine.search('"Moskva"').total == len(exact), "a quoted phrase is never expanded"
    assert any("Kyiv" in h.text for h in engine.search("Kiev", limit=10))
    assert any("Hoa Kỳ" in h.text for h in engine.search("Mỹ", limit=100))


def test_unaccented_query_is_segmented_with_the_index_vocabulary(engine: Engine) -> None:
    info = engine.explain("dam bao an ninh")
    assert info["analysed"] == "(all (word 'dam bao') (word 'an ninh'))"
    info = engine.explain("Lavrov Blinken")
    assert "(word 'lavrov')" in info["analysed"] and "(word 'blinken')" in info["analysed"]


def test_speaker_words_rank_quoted_passages_up(engine: Engine) -> None:
    top = engine.search("Sullivan", limit=3)
    assert all("Jake Sullivan" in h.speakers for h in top)
