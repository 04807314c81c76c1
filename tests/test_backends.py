"""Every backend, one analysis: every query form must return the same hit sets
(scores may differ) on the seeds."""

from __future__ import annotations

from pathlib import Path

import pytest
from engines import Indexes, require_engine
from seed_queries import QUERIES

from search import Engine, QuerySyntaxError
from search.backends import ENGINES
from search.backends.whoosh import WhooshBackend, WhooshWriter
from search.indexing.indexer import update_index


def hit_set(engine: Engine, query: str) -> tuple[int, set[tuple[str, int, bool]]]:
    results = engine.search(query, limit=200)
    return results.total, {(h.article, h.passage, h.partial) for h in results}


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

    import search.backends.tantivy as tantivy_backend

    require_engine(backend)
    monkeypatch.setattr(tantivy_backend, "PAGE", 7)  # several pages, even on the seeds
    if backend == "xapian":
        xapian_reads = pytest.importorskip("search.backends.xapian_read")
        monkeypatch.setattr(xapian_reads, "PAGE", 7)
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


class _PlainWhoosh(WhooshBackend):
    """Whoosh's own writer: no batched spill runs, no cached field lengths."""

    def writer(self) -> WhooshWriter:
        return WhooshWriter(self._ix.writer())


def _ranked(backend: WhooshBackend, path: Path, query: str) -> list[tuple[str, int, float]]:
    engine = Engine(path, backend)
    return [(h.article, h.passage, round(h.score, 6)) for h in engine.search(query, limit=10)]


def test_whoosh_writer_that_spills_builds_the_same_index(tmp_path: Path, seeds: Path) -> None:
    # a pool of a few kilobytes spills hundreds of sorted runs (more than Whoosh
    # opens at once, so runs are merged into runs too): the index must be the one
    # Whoosh's own writer builds, down to the scores and the order of the top hits
    plain = _PlainWhoosh.create(tmp_path / "plain")
    update_index(plain, [seeds], workers=1)
    spilled = WhooshBackend.create(tmp_path / "spilled")
    spilled.pool_mb = 0.005
    update_index(spilled, [seeds], workers=1)
    runs = sum(1 for _ in (tmp_path / "spilled").rglob("*.run"))
    assert runs == 0  # every run file was read back and removed
    for query in QUERIES:
        assert _ranked(spilled, tmp_path / "spilled", query) == \
            _ranked(plain, tmp_path / "plain", query), query


def test_whoosh_segments_are_separate_files(indexes: Indexes, seeds: Path) -> None:
    # Whoosh opens a file inside a compound segment by copying it whole into memory,
    # at every new searcher: at 1.58M passages, 20 s and 8 GB before a first result
    whoosh = indexes.get("whoosh", seeds)
    assert not list(whoosh.path.glob("*.seg"))
    assert list(whoosh.path.glob("*.pst")) and list(whoosh.path.glob("*.trm"))
