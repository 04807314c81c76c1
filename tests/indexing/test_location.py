"""Index locations: a folder of generations or a cluster file, each opening, building
and describing itself, so the engine object never asks which kind it holds."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from engines import copy_seeds, seed_files

from search import Engine
from search.errors import IndexNotFoundError, SearchError, UsageError
from search.indexing.location import Cluster, Folder, Work, locate


@pytest.mark.parametrize(("path", "kind", "sharded"), [
    ("index", Folder, False), ("some/where/cluster.toml", Cluster, True)])
def test_the_path_says_which_kind_of_location(path: str, kind: type, sharded: bool) -> None:
    location = locate(path)
    assert type(location) is kind and location.sharded is sharded
    assert str(location) == str(Path(path))


def test_a_folder_without_an_index_says_how_to_build_one(tmp_path: Path) -> None:
    with pytest.raises(IndexNotFoundError, match="vnsearch index --index"):
        locate(tmp_path / "none").open()
    assert not locate(tmp_path / "none").exists()


def test_a_file_is_not_an_index_folder(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(UsageError):
        locate(tmp_path / "notes.txt").check_openable()
    with pytest.raises(SearchError, match=r"not a cluster file"):
        locate(tmp_path / "notes.txt").status()


def test_a_rebuild_elsewhere_is_a_newer_generation_for_the_old_reader(tmp_path: Path) -> None:
    docs = copy_seeds(tmp_path / "docs", 1)
    location = locate(tmp_path / "ix")
    first, report = location.build([docs], rebuild=False, engine=None, work=Work(workers=1))
    assert report.added == 1 and location.exists()
    assert location.newer(first) is None  # nothing replaced it yet
    second, _ = location.build(None, rebuild=True, engine="tantivy", work=Work(workers=1))
    fresh = location.newer(first)
    assert fresh is not None and fresh.name == "tantivy"
    assert fresh.generation == second.generation != first.generation
    assert [str(r) for r in location.meta().roots] == [str(docs.resolve())]
    for backend in (first, second, fresh):
        backend.close()


def test_an_update_adds_and_records_and_a_removed_folder_is_said(tmp_path: Path) -> None:
    docs = copy_seeds(tmp_path / "docs", 1)
    with Engine.build(tmp_path / "ix", [docs], workers=1) as engine:
        assert engine.location.meta().roots
        second = seed_files()[1]
        shutil.copy(second, docs / second.name)
        report = engine.location.update(engine._backend, [docs], Work(workers=1))  # noqa: SLF001
        assert (report.added, report.unchanged) == (1, 1)
        assert not engine.location.vanished()
        shutil.rmtree(tmp_path / "ix")
        assert engine.location.vanished()


def test_an_update_goes_to_the_generation_another_process_built_meanwhile(
        tmp_path: Path) -> None:
    docs = copy_seeds(tmp_path / "docs", 1)
    location = locate(tmp_path / "ix")
    old, _ = location.build([docs], rebuild=False, engine=None, work=Work(workers=1))
    new, _ = location.build(None, rebuild=True, engine=None, work=Work(workers=1))
    second = seed_files()[1]
    shutil.copy(second, docs / second.name)
    report = location.update(old, [docs], Work(workers=1))  # opened before the rebuild
    assert report.added == 1
    assert location.meta().generation == new.generation
    assert new.generation in type(new).generations(tmp_path / "ix")  # not dropped
    with Engine.open(tmp_path / "ix") as engine:
        assert engine.stats()["articles"] == 2
    for backend in (old, new):
        backend.close()
