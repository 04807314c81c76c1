"""The Whoosh engine's own parts: the writer that spills sorted runs to disk, and
segments kept as separate files."""

from __future__ import annotations

from pathlib import Path

from engines import Indexes
from seed_queries import QUERIES

from search import Engine
from search.backends.whoosh import WhooshBackend, WhooshWriter
from search.indexing.indexer import update_index


class _PlainWhoosh(WhooshBackend):
    """Whoosh's own writer: no batched spill runs, no cached field lengths."""

    def open_writer(self) -> WhooshWriter:
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
