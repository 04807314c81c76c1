"""The project's own hygiene: lint-clean, and a wheel that carries its data."""

from __future__ import annotations

import importlib.util
import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.slow
@pytest.mark.skipif(importlib.util.find_spec("ruff") is None, reason="ruff is in the test extras")
def test_ruff_clean() -> None:
    proc = subprocess.run([sys.executable, "-m", "ruff", "check", "search", "tests", "bench"],
                          cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout


@pytest.mark.slow
def test_wheel_contains_seeds_and_grammar(tmp_path: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path), str(ROOT)],
        capture_output=True, text=True)
    if proc.returncode != 0:
        pytest.skip(f"cannot build a wheel here: {proc.stderr[-300:]}")
    wheel = next(tmp_path.glob("vnsearch-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    seeds = [n for n in names if n.startswith("search/_data/seeds/") and n.endswith(".txt")]
    assert len(seeds) == len(list((ROOT / "seeds").glob("*.txt")))
    assert any(n.startswith("search/_data/grammar/") for n in names)
    assert "search/analysis/name_blockers.txt" in names
    assert {f"search/server/page/{f}" for f in ("index.html", "app.js", "style.css")} <= set(names)


@pytest.mark.slow
def test_without_the_cluster_extra_the_doctests_still_collect() -> None:
    """The README's test command on a machine set up with ``.[test]`` only: the Xapian
    modules' doctests are left out, not collection errors (``xapian`` hidden here)."""
    script = ("import sys; sys.modules['xapian'] = None; import pytest; "
              "sys.exit(pytest.main(['--collect-only', '-q', '-p', 'no:cacheprovider', 'search']))")
    proc = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True,
                          text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout[-2000:]
    assert "search/engine.py::search.engine.Engine" in proc.stdout
    assert "xapian" not in proc.stdout


@pytest.mark.slow
def test_the_engine_doctest_leaves_nothing_in_the_temporary_folder(tmp_path: Path) -> None:
    temp = tmp_path / "temp"
    temp.mkdir()
    proc = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                           "search/engine.py"], cwd=ROOT, capture_output=True, text=True,
                          timeout=300, env={**os.environ, "TMPDIR": str(temp)})
    assert proc.returncode == 0, proc.stdout[-2000:]
    assert re.search(r"^1 passed", proc.stdout, re.M), proc.stdout  # -q keeps the summary
    assert list(temp.iterdir()) == []


def test_the_tests_never_write_the_users_console_history(state_home: Path) -> None:
    from search.repl.app import history_file

    assert history_file().is_relative_to(state_home)
