"""Real Xapian and Dask servers for the live cluster tests: each on 127.0.0.1, on a
free port, stopped by its own PID at teardown. Where ``xapian-tcpsrv`` is missing
the tests skip with the reason, except in CI (``CI=true``), where that is a failure."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

HOST = "127.0.0.1"


def require(*programs: str) -> None:
    """Skip (fail in CI) unless the servers and the bindings are installed."""
    missing = [p for p in programs if shutil.which(p) is None]
    try:
        import xapian  # noqa: F401
    except ImportError:
        missing.append("python module xapian (pip install 'vnsearch[cluster]')")
    if missing:
        reason = (f"needs {', '.join(missing)} (apt-get install xapian-tools; "
                  "pip install 'vnsearch[cluster]')")
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI must run the live cluster tests: {reason}")
        pytest.skip(reason)


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


def wait_for_port(port: int, proc: subprocess.Popen[bytes], seconds: float = 15.0) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server on port {port} exited with {proc.returncode}")
        try:
            with socket.create_connection((HOST, port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"nothing listens on {HOST}:{port} after {seconds}s")


class Servers:
    """Processes started by a test, each stopped by PID."""

    def __init__(self) -> None:
        self.procs: list[subprocess.Popen[bytes]] = []

    def start(self, args: list[str], port: int | None, env: dict[str, str] | None = None,
              log: Path | None = None) -> subprocess.Popen[bytes]:
        out = log.open("wb") if log else subprocess.DEVNULL
        # a session of its own: xapian-tcpsrv forks a child per connection, and
        # stopping the server means its process group (whose id is its PID)
        proc = subprocess.Popen(args, stdout=out, stderr=subprocess.STDOUT,
                                env={**os.environ, **(env or {})}, start_new_session=True)
        self.procs.append(proc)
        if port is not None:
            wait_for_port(port, proc)
        return proc

    def tcpsrv(self, folder: Path, writable: bool = False,
               port: int | None = None) -> tuple[str, subprocess.Popen[bytes]]:
        """``xapian-tcpsrv`` over ``folder``; returns its HOST:PORT and process."""
        port = port or free_port()
        folder.parent.mkdir(parents=True, exist_ok=True)
        args = ["xapian-tcpsrv", "--port", str(port), "--interface", HOST, "--quiet"]
        if writable:
            args.append("--writable")
        proc = self.start([*args, str(folder)], port,
                          env={"XAPIAN_MAX_CHANGESETS": "10"} if writable else None)
        return f"{HOST}:{port}", proc

    def signal(self, proc: subprocess.Popen[bytes], sig: int) -> None:
        """Send ``sig`` to the server and the children it forked for connections."""
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            pass

    def stop(self, proc: subprocess.Popen[bytes]) -> None:
        self.signal(proc, signal.SIGCONT)  # a paused (hung) server too
        self.signal(proc, signal.SIGKILL)
        proc.wait()

    def stop_all(self) -> None:
        for proc in reversed(self.procs):
            self.stop(proc)
        self.procs.clear()


def cluster_file(path: Path, shards: list[tuple[str, str, list[str]]],
                 timeout: float = 2.0) -> Path:
    lines = [f"timeout = {timeout}"]
    for name, primary, replicas in shards:
        lines += ["[[shard]]", f'name = "{name}"', f'primary = "{primary}"',
                  "replicas = [" + ", ".join(f'"{r}"' for r in replicas) + "]"]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def replicate(master_port: int, name: str, replica: Path) -> None:
    """One pass of ``xapian-replicate`` from the replication server into ``replica``."""
    subprocess.run(["xapian-replicate", "-h", HOST, "-p", str(master_port), "-m", name,
                    "-o", "-q", "-r", "0", "-t", "10", str(replica)], check=True, timeout=60)


ROOT = Path(__file__).resolve().parents[1]


def dask_cluster(servers: Servers, workers: int) -> str:
    """A Dask scheduler and ``workers`` single-threaded workers (no nanny: one process
    each, stopped by PID) that import this checkout; returns the scheduler address."""
    port = free_port()
    env = {"PYTHONPATH": str(ROOT)}
    servers.start([sys.executable, "-m", "distributed.cli.dask_scheduler", "--host", HOST,
                   "--port", str(port), "--no-dashboard"], port, env=env)
    address = f"tcp://{HOST}:{port}"
    for _ in range(workers):
        servers.start([sys.executable, "-m", "distributed.cli.dask_worker", address,
                       "--host", HOST, "--nthreads", "1", "--no-nanny", "--no-dashboard"],
                      None, env=env)
    from distributed import Client

    with Client(address, timeout=30, set_as_default=False) as client:
        client.wait_for_workers(workers, timeout=60)
    return address
