"""An update in three steps on a real index: choose the work, write what is new or
changed, remove what vanished; and the one bounded window of analysis in flight."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from engines import copy_seeds, seed_files

from search.backends import engine_class
from search.indexing.indexer import (
    IndexReport,
    Read,
    choose_work,
    remove_vanished,
    update_index,
    windowed,
)


def test_the_work_is_every_article_file_and_what_is_not_one_is_reported(tmp_path: Path) -> None:
    docs = copy_seeds(tmp_path / "docs", 2)
    (docs / "photo.jpg").write_bytes(b"\xff\xd8\xff")
    backend = engine_class("whoosh").create(tmp_path / "ix")
    report = IndexReport()
    chosen = choose_work(backend, [docs], [], report)
    first_two = [p.name for p in seed_files()[:2]]
    assert sorted(f.path.name for f in chosen.files) == first_two
    assert [Path(n.path).name for n in report.not_read] == ["photo.jpg"]
    assert chosen.known == {} and chosen.roots == [docs.resolve()]
    backend.close()


def test_only_articles_whose_file_went_from_a_root_read_are_removed(tmp_path: Path) -> None:
    docs = copy_seeds(tmp_path / "docs", 2)
    backend = engine_class("whoosh").create(tmp_path / "ix")
    update_index(backend, [docs], workers=1)
    gone, kept = sorted(docs.glob("*.txt"))
    gone.unlink()
    report = IndexReport()
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    # a run over another folder does not remove what vanished from this one
    writer = backend.writer()
    remove_vanished(writer, choose_work(backend, [elsewhere], [], report), Read(), report)
    assert report.removed == 0
    remove_vanished(writer, choose_work(backend, [docs], [], report), Read(), report)
    writer.commit()
    assert report.removed == 1
    assert set(backend.articles()) == {kept.stem}
    backend.close()


def test_the_window_keeps_order_and_never_starts_more_than_its_size() -> None:
    started: list[int] = []
    finished: list[int] = []

    def units() -> Iterator[int]:
        yield from range(10)

    def start(u: int) -> int:
        started.append(u)
        assert len(started) - len(finished) <= 3  # at most the window ahead of the writer
        return u

    def finish(u: int) -> tuple[list[int], dict[str, float]]:
        finished.append(u)
        return [u * 2], {}

    out = [(unit, items) for unit, items, _ in windowed(units(), start, finish, 3)]  # type: ignore[arg-type]
    assert out == [(u, [u * 2]) for u in range(10)]
