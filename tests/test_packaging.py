"""The project's own hygiene: lint-clean, and a wheel that carries its data."""

from __future__ import annotations

import importlib.util
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
