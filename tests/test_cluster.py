"""A cluster of Xapian shards on real ``xapian-tcpsrv`` servers (127.0.0.1, free
ports): the same results as one local Xapian index, partial results marked when a
shard is gone, a replica taking over reads, indexing that stops cleanly."""

from __future__ import annotations

import json
import shutil
import signal
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from commands import cli, environment, vnsearch
from engines import Indexes
from seed_queries import QUERIES
from servers import Servers, cluster_file, require

from search import Engine
from search.errors import ClusterError

pytestmark = pytest.mark.slow


def top10(engine: Engine, query: str) -> list[tuple[str, int, float]]:
    return [(h.article, h.passage, round(h.score, 4)) for h in engine.search(query, limit=10)]


@pytest.fixture(scope="module")
def two_shards(tmp_path_factory: pytest.TempPathFactory, seeds: Path,
               indexes: Indexes) -> Iterator[tuple[Engine, Engine, Servers, Path]]:
    """The seeds in a 2-shard cluster, and in one local Xapian index."""
    require("xapian-tcpsrv")
    tmp = tmp_path_factory.mktemp("cluster")
    s = Servers()
    try:
        a, _ = s.tcpsrv(tmp / "s0", writable=True)
        b, _ = s.tcpsrv(tmp / "s1", writable=True)
        path = cluster_file(tmp / "cluster.toml", [("s0", a, []), ("s1", b, [])])
        cluster = Engine.build(path, [seeds])
        yield cluster, indexes.get("xapian", seeds), s, tmp
        cluster.close()
    finally:
        s.stop_all()


@pytest.mark.parametrize("query", QUERIES)
def test_a_cluster_ranks_as_one_local_index(two_shards: tuple[Engine, Engine, Servers, Path],
                                            query: str) -> None:
    cluster, local, _, _ = two_shards
    assert top10(cluster, query) == top10(local, query)
    assert cluster.search(query, limit=1).total == local.search(query, limit=1).total


def test_every_shard_holds_part_of_the_seeds(two_shards: tuple[Engine, Engine, Servers, Path]
                                             ) -> None:
    cluster, local, _, _ = two_shards
    rows = cluster._current.status()  # type: ignore[attr-defined]  # noqa: SLF001
    assert [r["reachable"] for r in rows] == [True, True]
    assert all(r["passages"] > 0 for r in rows)
    assert sum(r["passages"] for r in rows) == local.stats()["passages"]
    assert cluster.stats() == local.stats()
    assert cluster.speakers() == local.speakers()
    assert cluster.search("Putin").shards == {"total": 2, "successful": 2, "failed": []}


def test_every_command_takes_a_cluster_file(two_shards: tuple[Engine, Engine, Servers, Path],
                                            seeds: Path) -> None:
    cluster, local, _, _ = two_shards
    path = str(cluster.path)
    out = cli("--index", path, "query", "Nord Stream", "--format", "json")
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert data["shards"] == {"total": 2, "successful": 2, "failed": []}
    assert data["total"] == local.search("Nord Stream").total
    assert cli("--index", path, "explain", "Putin").returncode == 0
    speakers = cli("--index", path, "speakers", "--format", "json")
    assert json.loads(speakers.stdout)["speakers"][0]["name"] == local.speakers()[0][0]
    status = cli("--index", path, "cluster", "status", "--format", "json")
    assert status.returncode == 0, status.stderr
    assert {r["shard"] for r in json.loads(status.stdout)["copies"]} == {"s0", "s1"}
    again = cli("--index", path, "index", str(seeds))  # incremental: state is in the shards
    assert again.returncode == 0 and "5 unchanged" in again.stderr, again.stderr


def test_incremental_updates_and_removals_route_to_the_shards(
        servers: Servers, tmp_path: Path, seeds: Path) -> None:
    docs = tmp_path / "docs"
    shutil.copytree(seeds, docs)
    a, _ = servers.tcpsrv(tmp_path / "s0", writable=True)
    b, _ = servers.tcpsrv(tmp_path / "s1", writable=True)
    path = cluster_file(tmp_path / "cluster.toml", [("s0", a, []), ("s1", b, [])])
    with Engine.build(path, [docs]) as cluster:
        gone = sorted(docs.glob("*.txt"))[0]
        gone.unlink()
        report = cluster.index([docs])
        assert report.removed == 1 and report.unchanged == 4
        with Engine.build(tmp_path / "local", [docs], engine="xapian") as local:
            for query in ("Putin", "speaker:Sullivan", '"Nord Stream"'):
                assert top10(cluster, query) == top10(local, query)
        assert cluster.stats()["articles"] == 4
        # a second machine with the same cluster file sees the same state
        with Engine.open(path) as other:
            assert other.stats() == cluster.stats()
    with Engine.build(path, [seeds], rebuild=True) as rebuilt:
        assert rebuilt.stats()["articles"] == 5
        assert rebuilt.roots() == [str(seeds.resolve())]


def test_a_dead_shard_gives_marked_partial_results(servers: Servers, tmp_path: Path,
                                                   seeds: Path) -> None:
    a, _ = servers.tcpsrv(tmp_path / "s0", writable=True)
    b, pb = servers.tcpsrv(tmp_path / "s1", writable=True)
    path = cluster_file(tmp_path / "cluster.toml", [("s0", a, []), ("s1", b, [])])
    with Engine.build(path, [seeds]) as cluster:
        full = {(h.article, h.passage) for h in cluster.search("Putin OR Ukraine", limit=200)}
        servers.stop(pb)  # killed under a reader that had it open
        results = cluster.search("Putin OR Ukraine", limit=200)
        assert results.shards is not None and results.shards["successful"] == 1
        assert [f["shard"] for f in results.shards["failed"]] == ["s1"]
        part = {(h.article, h.passage) for h in results}
        assert part and part < full
        assert "s1" in results.shard_warning()
    out = cli("--index", str(path), "query", "Putin", "--format", "json")
    assert out.returncode == 5 and "Traceback" not in out.stderr
    assert json.loads(out.stdout)["shards"]["failed"][0]["shard"] == "s1"
    assert "partial results" in out.stderr
    batch = tmp_path / "q.txt"
    batch.write_text("Putin\nNATO\n", encoding="utf-8")
    out = cli("--index", str(path), "batch", str(batch))
    lines = [json.loads(x) for x in out.stdout.splitlines()]
    assert len(lines) == 2 and all(x["shards"]["successful"] == 1 for x in lines)
    assert "Traceback" not in out.stderr and out.returncode == 5


def test_a_hung_shard_times_out_into_partial_results(servers: Servers, tmp_path: Path,
                                                     seeds: Path) -> None:
    a, _ = servers.tcpsrv(tmp_path / "s0", writable=True)
    b, pb = servers.tcpsrv(tmp_path / "s1", writable=True)
    path = cluster_file(tmp_path / "cluster.toml", [("s0", a, []), ("s1", b, [])],
                        timeout=1.0)
    with Engine.build(path, [seeds]) as cluster:
        servers.signal(pb, signal.SIGSTOP)
        cluster.refresh()
        results = cluster.search("Putin")
        assert results.shards is not None and results.shards["failed"][0]["shard"] == "s1"
        assert "Timeout" in results.shards["failed"][0]["reason"]
        servers.signal(pb, signal.SIGCONT)


def test_a_replica_takes_over_reads_for_a_dead_primary(servers: Servers, tmp_path: Path,
                                                       seeds: Path) -> None:
    # the replica here is a copy of the primary's folder taken after the build;
    # test_replication covers keeping one in step with xapian-replicate
    a, _ = servers.tcpsrv(tmp_path / "s0", writable=True)
    b, pb = servers.tcpsrv(tmp_path / "s1", writable=True)
    path = cluster_file(tmp_path / "cluster.toml", [("s0", a, []), ("s1", b, [])])
    Engine.build(path, [seeds]).close()
    shutil.copytree(tmp_path / "s1", tmp_path / "s1-replica")
    r, _ = servers.tcpsrv(tmp_path / "s1-replica")
    path = cluster_file(tmp_path / "cluster.toml", [("s0", a, []), ("s1", b, [r])])
    with Engine.open(path) as cluster:
        before = top10(cluster, "Putin OR Ukraine")
        servers.stop(pb)
        cluster.refresh()
        results = cluster.search("Putin OR Ukraine")
        assert results.shards == {"total": 2, "successful": 2, "failed": []}
        assert top10(cluster, "Putin OR Ukraine") == before


def test_indexing_with_a_primary_down_stops_clearly(servers: Servers, tmp_path: Path,
                                                    seeds: Path) -> None:
    a, _ = servers.tcpsrv(tmp_path / "s0", writable=True)
    b, pb = servers.tcpsrv(tmp_path / "s1", writable=True)
    path = cluster_file(tmp_path / "cluster.toml", [("s0", a, []), ("s1", b, [])])
    docs = tmp_path / "docs"
    shutil.copytree(seeds, docs)
    with Engine.build(path, [docs]) as cluster:
        before = cluster.stats()
    servers.stop(pb)
    (docs / "new.txt").write_text("Ông Putin nói về Nord Stream.\n", encoding="utf-8")
    with pytest.raises(ClusterError, match="s1"):
        Engine.build(path, [docs])
    out = cli("--index", str(path), "index", str(docs))
    assert out.returncode == 2 and "s1" in out.stderr and "Traceback" not in out.stderr
    # s0 was not touched: what it holds is still the first run's
    b2, _ = servers.tcpsrv(tmp_path / "s1", writable=True, port=int(b.rsplit(":", 1)[1]))
    assert b2 == b
    with Engine.open(path) as cluster:
        assert cluster.stats() == before
        assert cluster.index([docs]).added == 1


def test_a_replica_follows_its_primary_by_changesets(servers: Servers, tmp_path: Path,
                                                     seeds: Path) -> None:
    """The documented path: XAPIAN_MAX_CHANGESETS on the writer (set by the fixture's
    xapian-tcpsrv --writable), xapian-replicate-server over the primaries' folder,
    xapian-replicate into the replica's, a read-only xapian-tcpsrv over that."""
    require("xapian-tcpsrv", "xapian-replicate", "xapian-replicate-server")
    from servers import HOST, free_port, replicate

    primaries = tmp_path / "primaries"
    a, _ = servers.tcpsrv(primaries / "s0", writable=True)
    b, pb = servers.tcpsrv(primaries / "s1", writable=True)
    docs = tmp_path / "docs"
    docs.mkdir()
    files = sorted(seeds.glob("*.txt"))
    for f in files[:2]:
        shutil.copy(f, docs)
    path = cluster_file(tmp_path / "cluster.toml", [("s0", a, []), ("s1", b, [])])
    Engine.build(path, [docs]).close()
    port = free_port()
    servers.start(["xapian-replicate-server", "-I", HOST, "-p", str(port), str(primaries)],
                  port)
    replica = tmp_path / "replica-s1"
    replicate(port, "s1", replica)
    r, _ = servers.tcpsrv(replica)
    path = cluster_file(tmp_path / "cluster.toml", [("s0", a, []), ("s1", b, [r])])
    # the primary changes: every seed article now
    for f in files[2:]:
        shutil.copy(f, docs)
    with Engine.build(path, [docs]) as cluster:
        assert cluster.last_report is not None and cluster.last_report.added == len(files) - 2
        new = {q: top10(cluster, q) for q in ("Putin OR Ukraine", "speaker:Sullivan")}
        rows = {(x["shard"], x["role"]): x for x in cluster._current.status()}  # type: ignore[attr-defined]  # noqa: SLF001,E501
        assert rows[("s1", "replica")]["revision"] < rows[("s1", "primary")]["revision"]
        replicate(port, "s1", replica)
        rows = {(x["shard"], x["role"]): x for x in cluster._current.status()}  # type: ignore[attr-defined]  # noqa: SLF001,E501
        assert rows[("s1", "replica")]["revision"] == rows[("s1", "primary")]["revision"]
        assert rows[("s1", "replica")]["passages"] == rows[("s1", "primary")]["passages"]
        servers.stop(pb)  # reads of s1 now come from the replica, with the new passages
        cluster.refresh()
        for q, hits in new.items():
            results = cluster.search(q)
            assert results.shards == {"total": 2, "successful": 2, "failed": []}
            assert top10(cluster, q) == hits


def test_dask_analysis_builds_the_same_cluster(servers: Servers, tmp_path: Path,
                                               seeds: Path, indexes: Indexes) -> None:
    pytest.importorskip("distributed", reason="the cluster extra: pip install "
                        "'vnsearch[cluster]'")
    from servers import dask_cluster

    address = dask_cluster(servers, workers=2)
    a, _ = servers.tcpsrv(tmp_path / "s0", writable=True)
    b, _ = servers.tcpsrv(tmp_path / "s1", writable=True)
    path = cluster_file(tmp_path / "cluster.toml", [("s0", a, []), ("s1", b, [])])
    out = cli("--index", str(path), "index", str(seeds), "--dask", address)
    assert out.returncode == 0, out.stderr
    local = indexes.get("xapian", seeds)
    with Engine.open(path) as cluster:
        assert cluster.stats() == local.stats()
        for query in QUERIES[::4]:
            assert top10(cluster, query) == top10(local, query), query
    # a local index analysed on Dask is the index analysed locally
    assert cli("--index", str(tmp_path / "viadask"), "index", "--engine", "xapian",
               str(seeds), "--dask", address).returncode == 0
    with Engine.open(tmp_path / "viadask") as via:
        assert top10(via, "Putin OR NATO") == top10(local, "Putin OR NATO")


def test_an_unreachable_dask_scheduler_is_a_clear_error(tmp_path: Path, seeds: Path) -> None:
    pytest.importorskip("distributed")
    from servers import free_port

    out = cli("--index", str(tmp_path / "ix"), "index", str(seeds), "--dask",
              f"tcp://127.0.0.1:{free_port()}")
    assert out.returncode == 2 and "Dask scheduler" in out.stderr
    assert "Traceback" not in out.stderr


def test_kill_9_while_indexing_a_cluster_is_repaired_by_the_next_run(
        servers: Servers, tmp_path: Path) -> None:
    # xapian-tcpsrv commits what a killed client had sent: the next run must find the
    # killed run's passages (tagged with its id) and put every shard right first
    import random
    import time

    from test_reliability import QUERIES as PROBES
    from test_reliability import write_corpus

    first, second = tmp_path / "first", tmp_path / "second"
    write_corpus(first, 30, seed=1)
    write_corpus(second, 25, seed=2)
    a, _ = servers.tcpsrv(tmp_path / "s0", writable=True)
    b, _ = servers.tcpsrv(tmp_path / "s1", writable=True)
    path = cluster_file(tmp_path / "cluster.toml", [("s0", a, []), ("s1", b, [])])
    assert cli("--index", str(path), "index", str(first)).returncode == 0
    rng = random.Random(3)
    for _trial in range(3):
        proc = subprocess.Popen(vnsearch("--index", str(path), "index", str(second)),
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                env=environment())
        time.sleep(rng.uniform(1.5, 4.0))
        finished = proc.poll() is not None
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        if finished:
            break
    done = cli("--index", str(path), "index", str(second))
    assert done.returncode == 0, done.stderr
    with Engine.build(tmp_path / "local", [first], engine="xapian") as local:
        local.index([second])
        with Engine.open(path) as cluster:
            assert cluster.stats() == local.stats()
            for query in PROBES:
                assert top10(cluster, query) == top10(local, query), query
