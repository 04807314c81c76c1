"""Finding the files to index: folders walked, missing paths reported."""

from __future__ import annotations

from pathlib import Path

from search.ingest.model import Skipped
from search.ingest.walk import discover


def test_discover_recurses_and_reports_missing(tmp_path: Path) -> None:
    (tmp_path / "a" / "b").mkdir(parents=True)
    (tmp_path / "a" / "b" / "x.txt").write_text("x", encoding="utf-8")
    (tmp_path / "a" / "y.md").write_text("y", encoding="utf-8")
    found = list(discover([tmp_path, tmp_path / "missing"]))
    assert found[0] == tmp_path / "a" / "b" / "x.txt"
    assert isinstance(found[1], Skipped) and "no such file" in found[1].reason
    assert len(found) == 2
