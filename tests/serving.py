"""What the server tests share: a small corpus (the seeds, dated articles from two
outlets, and one article written to attack the page) and a real ``vnsearch serve``
process on a free port of 127.0.0.1, stopped by its PID."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
from commands import environment, vnsearch
from servers import HOST, free_port

SEEDS = Path(__file__).resolve().parents[1] / "seeds"
HOSTILE_ID = "crawl/doc-hai"
HOSTILE_TEXT = ('Bài kiểm thử độc hại: <script>window.pwned = 1</script> và '
                '<img src="x" onerror="window.pwned = 2"> không được chạy.')
WIRE_TEXT = "Tàu chở hàng đã cập cảng Seychelles sau ba tuần trên biển."
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


def write_corpus(folder: Path) -> Path:
    """The seeds plus a crawl: fourteen short dated articles from two outlets (for
    facets and pages), a wire story both print, and the hostile article."""
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copytree(SEEDS, folder / "seeds")
    lines = [{"id": "doc-hai", "title": "<script>window.pwned = 3</script> Bài độc hại",
              "source": "Báo <b>Thử</b>", "date": "2024-03-01", "url": "javascript:alert(1)",
              "text": HOSTILE_TEXT}]
    for outlet in ("Tin Kinh Tế", "Báo Năng Lượng"):  # one wire story, printed by both
        lines.append({"id": f"wire-{len(lines)}", "title": "Tin nhanh", "source": outlet,
                      "date": "2024-02-02", "text": WIRE_TEXT})
    for i in range(14):
        lines.append({"id": f"gas-{i:02d}", "title": f"Đường ống khí đốt, phần {i + 1}",
                      "source": "Báo Năng Lượng" if i % 2 else "Tin Kinh Tế",
                      "date": f"2024-{1 + i % 3:02d}-{10 + i:02d}",
                      "url": f"https://example.org/gas/{i}",
                      "text": f"Giá khí đốt tăng lần thứ {i + 1} trong năm nay.\n"
                              f"Đường ống mới đã chở khí đốt qua biển Baltic {i + 2} tuần."})
    (folder / "crawl.jsonl").write_text(
        "\n".join(json.dumps(x, ensure_ascii=False) for x in lines) + "\n", encoding="utf-8")
    return folder


def chromium_or_skip() -> str:
    """Debian's chromium; skip without it, except in CI (``CI=true``), where the
    browser tests must run."""
    if not os.access(CHROMIUM, os.X_OK):
        reason = f"needs {CHROMIUM} (apt-get install chromium)"
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI must run the browser tests: {reason}")
        pytest.skip(reason)
    return CHROMIUM


def wait_until_answers(url: str, proc: subprocess.Popen[bytes], seconds: float = 60.0) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"vnsearch serve exited with {proc.returncode}")
        try:
            if httpx.get(url + "/health", timeout=1.0).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    raise RuntimeError(f"{url} did not answer within {seconds}s")


def start_serve(index: Path, *args: str, port: int | None = None,
                env: dict[str, str] | None = None,
                log: Path | None = None) -> tuple[str, subprocess.Popen[bytes]]:
    port = port or free_port()
    out = log.open("wb") if log else subprocess.DEVNULL
    proc = subprocess.Popen(
        vnsearch("serve", "--index", str(index), "--port", str(port), *args), stdout=out,
        stderr=subprocess.STDOUT, start_new_session=True,
        env=environment({**os.environ, **(env or {})}))
    return f"http://{HOST}:{port}", proc


def stop(proc: subprocess.Popen[bytes], sig: int = signal.SIGINT, seconds: float = 15) -> int:
    """Ctrl-C (SIGINT) to the server's process group, then SIGKILL if it hangs."""
    if proc.poll() is None:
        os.killpg(proc.pid, sig)
        try:
            proc.wait(seconds)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    return proc.returncode


@contextmanager
def serving(index: Path, *args: str, log: Path | None = None) -> Iterator[str]:
    url, proc = start_serve(index, *args, log=log)
    try:
        wait_until_answers(url, proc)
        yield url
    finally:
        stop(proc)
