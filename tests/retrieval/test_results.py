"""What a search returns: a hit made from what an engine stored, results as the
JSON every reader parses, and a query that did not run in the same shape."""

from __future__ import annotations

from search.retrieval.results import Hit, Results, error_object

STORED = {"article": "crawl/a1", "passage": "3", "text": "Nga lo ngại NATO.",
          "speakers": ["Sergei Lavrov"], "date": "2021-12", "title": None, "source": "PLVN",
          "dates": ["2021-12-07"], "key": "k", "path": "/data/a1.txt"}


def test_a_hit_is_made_from_what_an_engine_stored() -> None:
    hit = Hit.from_stored(STORED, 1.234567, [[0, 3]], duplicates=["b#1", "c#2"])
    assert (hit.article, hit.passage, hit.score) == ("crawl/a1", 3, 1.2346)
    assert hit.speakers == ["Sergei Lavrov"] and hit.dates == ["2021-12-07"]
    assert hit.duplicate_count == 2  # at least the copies it lists
    assert "key" not in hit.to_dict() and "path" not in hit.to_dict()  # storage stays inside
    bare = Hit.from_stored({"article": "x", "passage": 1, "text": "t"}, 0.0, [])
    assert (bare.speakers, bare.dates, bare.date, bare.missing) == ([], [], None, [])


def test_results_keep_the_one_shape_readers_parse() -> None:
    hit = Hit.from_stored(STORED, 1.0, [])
    out = Results("NATO", [hit], 1, 3.14159).to_dict()
    assert list(out) == ["query", "total", "total_relation", "copies", "partial", "took_ms",
                         "hits", "error", "suggestions"]
    assert out["took_ms"] == 3.14 and out["error"] is None and out["hits"][0]["passage"] == 3
    failed = error_object("NATO AND", "AND needs a term after it", 5, "add a term")
    assert list(failed) == list(out)  # one schema for a result and an error
    assert failed["error"] == {"message": "AND needs a term after it", "position": 5,
                               "hint": "add a term"}
    assert "suggestion" in error_object('"Nord', "unclosed quote", 0, "", "Nord")["error"]


def test_a_cluster_missing_a_shard_says_which() -> None:
    whole = Results("x", [], 0, 1.0, shards={"total": 2, "successful": 2, "failed": []})
    assert not whole.incomplete and whole.shard_warning() == ""
    assert "shards" in whole.to_dict()
    part = Results("x", [], 0, 1.0, shards={"total": 2, "successful": 1,
                                            "failed": [{"shard": "s1", "reason": "timeout"}]})
    assert part.incomplete
    assert part.shard_warning() == ("warning: partial results: 1 of 2 shards answered; "
                                    "missing s1 (timeout)")
    assert "shards" not in Results("x", [], 0, 1.0).to_dict()  # a folder has none
