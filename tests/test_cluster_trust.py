"""Issue 22 on a live cluster: real ``xapian-tcpsrv``, replication and Dask processes
on 127.0.0.1, each in its own session and stopped by PID. Runs that lose nothing,
readers that never see part of a run, figures that say when a shard is missing."""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from commands import cli
from engines import Indexes
from servers import HOST, Servers, cluster_file, free_port, replicate, require

from search import Engine

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parents[1]
PROBES = ["Putin", "Nord Stream", "speaker:Sullivan", "biên giới Ukraine", "date:2021",
          "Putin OR Ukraine OR NATO"]


def view(engine: Engine) -> tuple[object, ...]:
    """What a reader sees: every hit (a page that holds every match, so totals are
    exact), counts, speakers. Not scores: the term statistics BM25 reads count the
    passages still on disk, hidden or not (README, "Readers never see part of a run")."""
    engine.refresh()
    found = {q: engine.search(q, limit=1000) for q in PROBES}
    return ({q: sorted((h.article, h.passage) for h in r) for q, r in found.items()},
            {q: (r.total, r.copies) for q, r in found.items()}, engine.stats(),
            engine.speakers())


def on_disk(engine: Engine) -> int:
    """Passages the primaries hold, hidden ones included."""
    return sum(r["passages"] for r in engine._current.status()  # type: ignore[attr-defined]  # noqa: SLF001,E501
               if r["role"] == "primary")


def two_shards(servers: Servers, tmp_path: Path, replicas: bool = False,
               extra: str = "") -> tuple[Path, str, str]:
    a, _ = servers.tcpsrv(tmp_path / "primaries" / "s0", writable=True)
    b, _ = servers.tcpsrv(tmp_path / "primaries" / "s1", writable=True)
    path = cluster_file(tmp_path / "cluster.toml", [("s0", a, []), ("s1", b, [])])
    if extra:
        path.write_text(extra + "\n" + path.read_text(encoding="utf-8"), encoding="utf-8")
    return path, a, b


# item 9
def test_a_bad_address_in_the_cluster_file_is_named(tmp_path: Path) -> None:
    require()
    path = cluster_file(tmp_path / "cluster.toml", [("s0", "notaport", [])])
    for args in (["query", "Putin"], ["cluster", "status"], ["index"]):
        out = cli("--index", str(path), *args)
        assert out.returncode == 2, out.stderr
        assert "'notaport' is not an address HOST:PORT" in out.stderr
        assert "internal error" not in out.stderr


# item 8
def test_speakers_and_explain_with_a_shard_down_warn_and_exit_5(servers: Servers,
                                                                tmp_path: Path,
                                                                seeds: Path) -> None:
    path, _, _ = two_shards(servers, tmp_path)
    Engine.build(path, [seeds]).close()
    assert cli("--index", str(path), "speakers").returncode == 0
    assert cli("--index", str(path), "explain", "Putin").returncode == 0
    servers.stop(servers.procs[1])
    out = cli("--index", str(path), "speakers")
    assert out.returncode == 5 and "warning: partial figures: 1 of 2 shards" in out.stderr
    assert "s1" in out.stderr
    out = cli("--index", str(path), "speakers", "--format", "json")
    assert out.returncode == 5 and json.loads(out.stdout)["shards"]["successful"] == 1
    out = cli("--index", str(path), "explain", "Putin")
    assert out.returncode == 5 and "partial figures" in out.stderr


# items 15 and 3: readers never see part of a run, a killed one or a failed rebuild
KILL_AT_THE_LAST_FILE = """if True:
    import os, signal, sys
    from search.backends import open_cluster
    from search.indexing.indexer import update_index
    backend = open_cluster(sys.argv[1])
    backend.rebuilding = sys.argv[3] == "rebuild"
    def progress(done, total, label):
        if done >= total - 1:  # everything before the last file was sent to the shards
            os.kill(os.getpid(), signal.SIGKILL)
    update_index(backend, [sys.argv[2]], progress, workers=1)
"""


@pytest.mark.parametrize("mode", ["update", "rebuild"])
def test_a_run_killed_under_readers_is_invisible_until_repaired(
        servers: Servers, tmp_path: Path, mode: str) -> None:
    from test_reliability import write_corpus

    docs, other = tmp_path / "docs", tmp_path / "other"
    write_corpus(docs, 20, seed=1)
    write_corpus(other, 12, seed=2)
    path, _, _ = two_shards(servers, tmp_path)
    assert cli("--index", str(path), "index", str(docs)).returncode == 0
    with Engine.open(path) as reader:
        before = view(reader)
        # the killed run replaces 8 articles and adds 12
        for n, f in enumerate(sorted(docs.glob("*.txt"))[:8]):
            f.write_text(f"Ông Trần Văn Bình số {n} cho biết giá lúa tăng.\n", encoding="utf-8")
        for f in other.glob("*.txt"):
            shutil.copy(f, docs / f"new-{f.name}")
        killed = subprocess.run([sys.executable, "-c", KILL_AT_THE_LAST_FILE, str(path),
                                 str(docs), mode], cwd=ROOT, capture_output=True, timeout=300)
        assert killed.returncode == -signal.SIGKILL, killed.stderr
        # xapian-tcpsrv commits what the killed client had sent once it sees it gone
        deadline = time.monotonic() + 30
        while on_disk(reader) == before[2]["passages"]:  # type: ignore[index]
            assert time.monotonic() < deadline, "the server never committed the killed run"
            time.sleep(0.2)
        assert view(reader) == before  # nothing of the killed run, nothing lost
        with Engine.open(path) as fresh:
            assert view(fresh) == before
    done = cli("--index", str(path), "index", str(docs), *(["--rebuild"] if mode == "rebuild"
                                                           else []))
    assert done.returncode == 0, done.stderr
    with Engine.build(tmp_path / "local", [docs], engine="xapian") as local, \
            Engine.open(path) as cluster:
        assert view(cluster) == view(local)
        assert cluster.search("giá lúa").total == 8
    # a rebuild from files that all fail replaces nothing (item 3)
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "a.txt").write_bytes(bytes(range(256)))
    out = cli("--index", str(path), "index", "--rebuild", str(bad))
    assert out.returncode == 4 and "nothing was replaced" in out.stderr
    with Engine.build(tmp_path / "local", [docs], engine="xapian") as local, \
            Engine.open(path) as cluster:
        assert view(cluster) == view(local)


# item 16
def test_status_shows_each_replica_lag_and_runs_that_change_nothing_commit_nothing(
        servers: Servers, tmp_path: Path, seeds: Path) -> None:
    require("xapian-tcpsrv", "xapian-replicate", "xapian-replicate-server")
    from search.backends.xapian_cluster import shard_of

    path, a, b = two_shards(servers, tmp_path, extra="max_lag = 1")
    docs = tmp_path / "docs"
    shutil.copytree(seeds, docs)
    Engine.build(path, [docs]).close()
    port = free_port()
    servers.start(["xapian-replicate-server", "-I", HOST, "-p", str(port),
                   str(tmp_path / "primaries")], port)
    replica = tmp_path / "replica-s1"
    replicate(port, "s1", replica)
    r, _ = servers.tcpsrv(replica)
    cluster_file(path, [("s0", a, []), ("s1", b, [r])])
    path.write_text("max_lag = 1\n" + path.read_text(encoding="utf-8"), encoding="utf-8")

    def status() -> tuple[int, dict[tuple[str, str], dict[str, object]], str]:
        out = cli("--index", str(path), "cluster", "status", "--format", "json")
        rows = {(x["shard"], x["role"]): x for x in json.loads(out.stdout)["copies"]}
        return out.returncode, rows, out.stderr

    code, rows, _ = status()
    assert code == 0 and rows[("s1", "replica")]["lag"] == 0
    revisions = {k: v["revision"] for k, v in rows.items()}
    for _ in range(3):  # runs that change nothing commit nothing
        assert "5 unchanged" in cli("--index", str(path), "index", str(docs)).stderr
    assert {k: v["revision"] for k, v in status()[1].items()} == revisions
    # two runs that each change s1: its replica falls 2 behind, more than max_lag
    names = (f"lag-{n}" for n in range(1000) if shard_of(f"lag-{n}", 2) == 1)
    for name in list(names)[:2]:
        (docs / f"{name}.txt").write_text("Ông Putin nói về khí đốt.\n", encoding="utf-8")
        assert cli("--index", str(path), "index", str(docs)).returncode == 0
    code, rows, err = status()
    assert code == 5 and rows[("s1", "replica")]["lag"] == 2
    assert rows[("s1", "replica")]["behind"] is True
    assert f"s1's replica {r} is 2 revisions behind" in err
    text = cli("--index", str(path), "cluster", "status")
    assert re.search(r"s1 +replica .* 2 behind  BEHIND", text.stdout), text.stdout
    replicate(port, "s1", replica)
    code, rows, _ = status()
    assert code == 0 and rows[("s1", "replica")]["lag"] == 0


# items 2, 3 and 12: the README's Dask commands, fresh two-thread workers, relative paths
def readme_block(start: str) -> list[str]:
    lines = (ROOT / "README.md").read_text(encoding="utf-8").splitlines()
    return [x.strip() for x in lines if x.strip().startswith(start)]


def readme_command(line: str, port: int) -> list[str]:
    """A README line ``setsid CMD ARGS &`` as an argument list, on ``port``."""
    words = shlex.split(line.replace("8786", str(port)))
    assert words[0] == "setsid" and words[-1] == "&", line
    return words[1:-1]


def test_the_readme_dask_cluster_listens_on_loopback_and_analyses_fresh(
        servers: Servers, tmp_path: Path, seeds: Path, indexes: Indexes) -> None:
    pytest.importorskip("distributed", reason="the cluster extra: pip install "
                        "'vnsearch[cluster]'")
    import psutil
    from distributed import Client

    port = free_port()
    bin_dir = Path(sys.executable).parent
    env = {"PYTHONPATH": str(ROOT), "PATH": f"{bin_dir}:{os.environ.get('PATH', '')}"}
    [scheduler] = readme_block("setsid dask scheduler")
    [worker] = readme_block("setsid dask worker")
    procs = [servers.start(readme_command(scheduler, port), port, env=env)]
    procs.append(servers.start(readme_command(worker, port), None, env=env))
    address = f"tcp://{HOST}:{port}"
    with Client(address, timeout=30, set_as_default=False) as client:
        client.wait_for_workers(1, timeout=60)
        assert next(iter(client.scheduler_info()["workers"].values()))["nthreads"] >= 2
    listening = set()
    for proc in procs:
        top = psutil.Process(proc.pid)
        for p in [top, *top.children(recursive=True)]:
            listening |= {c.laddr.ip for c in p.net_connections("inet") if c.status == "LISTEN"}
    assert listening == {"127.0.0.1"}
    # fresh workers (pyvi not loaded), two threads each, a path relative to this folder
    path, _, _ = two_shards(servers, tmp_path)
    shutil.copytree(seeds, tmp_path / "docs")
    out = cli("--index", str(path), "index", "docs", "--dask", address, cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    with Engine.open(path) as cluster:
        assert cluster.stats() == indexes.get("xapian", seeds).stats()


# item 14
def test_xapian_tcpsrv_stopped_takes_its_process_group_so_examples_use_setsid(
        tmp_path: Path) -> None:
    require("xapian-tcpsrv")
    script = tmp_path / "start.sh"
    pid_file = tmp_path / "srv.pid"
    port = free_port()
    script.write_text(
        f"xapian-tcpsrv --interface {HOST} --port {port} --writable {tmp_path / 'db'} "
        f"--quiet &\necho $! > {pid_file}\nsleep 60\n", encoding="utf-8")
    shell = subprocess.Popen(["bash", str(script)], start_new_session=True)
    try:
        deadline = time.monotonic() + 15
        while not pid_file.exists() or not pid_file.read_text().strip():
            assert time.monotonic() < deadline
            time.sleep(0.05)
        time.sleep(0.5)
        os.kill(int(pid_file.read_text()), signal.SIGTERM)
        assert shell.wait(timeout=10) == -signal.SIGTERM  # the script that started it died
    finally:
        if shell.poll() is None:
            os.killpg(shell.pid, signal.SIGKILL)
            shell.wait()
    servers_started = [x for x in readme_block("") if re.search(
        r"\b(xapian-tcpsrv|xapian-replicate-server|dask scheduler|dask worker)\b", x)
        and x.endswith("&")]
    assert len(servers_started) >= 5
    assert all(x.startswith(("setsid ", "XAPIAN_MAX_CHANGESETS=10 setsid "))
               for x in servers_started), servers_started
