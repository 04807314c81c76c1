"""The server over a cluster of Xapian shards (real ``xapian-tcpsrv`` on 127.0.0.1):
answers say which shards answered, ``/health`` gives each shard copy's state."""

from __future__ import annotations

from pathlib import Path

import pytest
from servers import Servers, cluster_file, require
from serving import SEEDS
from starlette.testclient import TestClient

from search import Engine
from search.server import create_app

pytestmark = pytest.mark.slow


def test_a_cluster_reports_its_shards_and_a_dead_one(tmp_path: Path) -> None:
    require("xapian-tcpsrv")
    servers = Servers()
    try:
        a, _ = servers.tcpsrv(tmp_path / "s0", writable=True)
        b, pb = servers.tcpsrv(tmp_path / "s1", writable=True)
        path = cluster_file(tmp_path / "cluster.toml", [("s0", a, []), ("s1", b, [])])
        with Engine.build(path, [SEEDS]) as cluster:
            client = TestClient(create_app(cluster))
            health = client.get("/health").json()
            assert health["status"] == "available"
            assert sorted(s["shard"] for s in health["shards"]) == ["s0", "s1"]
            body = client.get("/api/search", params={"q": "Putin OR Ukraine"}).json()
            assert body["shards"]["successful"] == 2 and body["total"] > 0
            servers.stop(pb)
            health = client.get("/health").json()
            assert health["status"] == "degraded"
            assert [s["shard"] for s in health["shards"] if not s["reachable"]] == ["s1"]
            body = client.get("/api/search", params={"q": "Putin OR Ukraine"}).json()
            assert [f["shard"] for f in body["shards"]["failed"]] == ["s1"]
    finally:
        servers.stop_all()
