"""What an index records about itself: read leniently (a damaged or old record
takes the defaults), written whole, and roots kept once each in order."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from search.indexing.meta import META_FILE, IndexMeta


@pytest.mark.parametrize(("record", "expected"), [
    ({}, IndexMeta(recorded=True)),
    ({"engine": "tantivy", "format": 5, "generation": "G2", "speakers": ["Jake Sullivan"],
      "roots": ["/data/a"]},
     IndexMeta("tantivy", 5, "G2", ("Jake Sullivan",), ("/data/a",), recorded=True)),
    ({"engine": "", "format": "5", "generation": 7},  # malformed: each takes its default
     IndexMeta(format=None, recorded=True)),
    ({"generation": ""}, IndexMeta(generation="", recorded=True)),  # a build under way
    (["not", "a", "record"], IndexMeta()),
])
def test_a_record_is_read_leniently(record: object, expected: IndexMeta) -> None:
    meta = IndexMeta.from_dict(record)
    assert meta == expected and meta.recorded == expected.recorded


def test_written_then_read_is_the_same(tmp_path: Path) -> None:
    meta = IndexMeta("xapian", 5, "G1", ("Sergei Lavrov",), (str(tmp_path / "docs"),))
    meta.write(tmp_path)
    assert IndexMeta.read(tmp_path) == meta and IndexMeta.read(tmp_path).recorded
    assert [p.name for p in tmp_path.iterdir()] == [META_FILE]  # no temporary file left


@pytest.mark.parametrize("content", ["", "{", "null", "[1, 2]"])
def test_a_damaged_record_reads_as_the_defaults(tmp_path: Path, content: str) -> None:
    (tmp_path / META_FILE).write_text(content, encoding="utf-8")
    assert IndexMeta.read(tmp_path) == IndexMeta()
    assert IndexMeta.read(tmp_path / "missing") == IndexMeta()


def test_roots_are_added_once_in_order_as_absolute_paths(tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    meta = IndexMeta(roots=(str(tmp_path / "a"),))
    again = meta.with_roots([Path("b"), tmp_path / "a", Path("b"), Path("c")])
    assert again.roots == tuple(str(tmp_path / x) for x in ("a", "b", "c"))
    assert json.loads(json.dumps(again.to_dict()))["roots"] == list(again.roots)
