"""Where an index may be created and what it may read, checked before anything is
written: only a missing path or an empty folder becomes an index, and an index
never reads itself."""

from __future__ import annotations

from pathlib import Path

import pytest

from search import Engine
from search.errors import UsageError
from search.indexing.lock import LOCK_FILE
from search.indexing.roots import check_index_folder, check_roots, is_index


def test_only_a_missing_path_or_an_empty_folder_becomes_an_index(tmp_path: Path) -> None:
    check_index_folder(tmp_path / "new")  # missing
    (tmp_path / "empty").mkdir()
    check_index_folder(tmp_path / "empty")
    (tmp_path / "locked").mkdir()
    (tmp_path / "locked" / LOCK_FILE).touch()  # a lock alone is no content
    check_index_folder(tmp_path / "locked")
    (tmp_path / "notes.txt").write_text("x", encoding="utf-8")
    with pytest.raises(UsageError, match="is a file, not an index folder"):
        check_index_folder(tmp_path / "notes.txt")
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "a.txt").write_text("x", encoding="utf-8")
    with pytest.raises(UsageError, match=r"not a vnsearch index \(1 other entries"):
        check_index_folder(tmp_path / "mine")


def test_an_index_is_recognised_by_its_record_or_its_files(engine: Engine,
                                                           tmp_path: Path) -> None:
    assert is_index(engine.path)
    check_index_folder(engine.path)  # an index may be opened and updated
    assert not is_index(tmp_path) and not is_index(tmp_path / "missing")


def test_an_index_never_reads_itself_nor_a_missing_path(tmp_path: Path) -> None:
    index, docs = tmp_path / "ix", tmp_path / "docs"
    (index / "inner").mkdir(parents=True)
    docs.mkdir()
    check_roots([docs, tmp_path], index)  # a folder holding the index is fine
    for inside in (index, index / "inner"):
        with pytest.raises(UsageError, match="an index does not index itself"):
            check_roots([inside], index)
    with pytest.raises(FileNotFoundError, match="nothing was indexed or created"):
        check_roots([tmp_path / "nope"], index)
