"""``vnsearch serve`` as a process: safe defaults (an open address needs a key, and
says so), Whoosh in worker processes, tantivy searched from threads at once, and
Ctrl-C stopping it cleanly."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest
from commands import cli
from serving import SEEDS, start_serve, stop, wait_until_answers

from search import Engine

pytestmark = pytest.mark.slow


def test_an_open_address_without_a_key_is_refused(tmp_path: Path) -> None:
    proc = cli("serve", "--index", str(tmp_path / "ix"), "--host", "0.0.0.0", timeout=60)
    assert proc.returncode == 2 and "--api-key" in proc.stderr
    assert not (tmp_path / "ix").exists()  # refused before anything was built


def test_whoosh_workers_with_a_key_and_ctrl_c(tmp_path: Path) -> None:
    index = tmp_path / "ix"
    Engine.build(index, [SEEDS]).close()
    log = tmp_path / "serve.log"
    # 127.0.0.2 is this machine too, but not an address the server takes as local
    url, proc = start_serve(index, "--host", "127.0.0.2", "--workers", "2",
                            "--api-key", "k3y", log=log)
    url = url.replace("127.0.0.1", "127.0.0.2")
    try:
        wait_until_answers(url, proc)
        assert httpx.get(f"{url}/api/search", params={"q": "Putin"}).status_code == 401
        good = {"Authorization": "Bearer k3y"}
        answer = httpx.get(f"{url}/api/search", params={"q": "Putin"}, headers=good)
        assert answer.status_code == 200 and answer.json()["total"] > 0
    finally:
        code = stop(proc)
    text = log.read_text()
    assert "warning: listening on 127.0.0.2" in text
    assert code == 0 and "vnsearch: stopped" in text and "Traceback" not in text


def test_tantivy_answers_searches_at_once(tmp_path: Path) -> None:
    index = tmp_path / "ix"
    Engine.build(index, [SEEDS], engine="tantivy").close()
    url, proc = start_serve(index, "--max-in-flight", "16")
    try:
        wait_until_answers(url, proc)
        queries = ["Putin", "Sullivan", '"đường ống"', "Nga", "Mỹ", "Ukraine", "NATO",
                   "Biden"] * 4
        with httpx.Client(base_url=url) as client, ThreadPoolExecutor(8) as pool:
            answers = list(pool.map(
                lambda q: client.get("/api/search", params={"q": q}), queries))
        assert [a.status_code for a in answers] == [200] * len(queries)
        with Engine.open(index) as engine:
            for q, a in zip(queries[:8], answers, strict=False):
                assert a.json()["total"] == engine.search(q).total
    finally:
        assert stop(proc) == 0
