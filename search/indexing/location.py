"""Where an index lives: a folder of generations of one engine, or a cluster file
naming shards. A location knows how to open, create, lock, update and describe
itself, so :mod:`search.engine` never asks which kind it holds.

A folder's new or rebuilt index is written beside the current one as a new
generation and switched to only when complete, so a failed or killed build leaves
the previous index as it was. A cluster has no generations: its shards are the
index, and its record (speaker names, roots) is kept in the shards."""

from __future__ import annotations

import dataclasses
import time
from abc import ABC, abstractmethod
from pathlib import Path
from typing import Any

from search.backends import engine_class, installed_engines, is_cluster, open_cluster
from search.backends.base import Backend, Sharded
from search.errors import IndexDamagedError, IndexNotFoundError, SearchError
from search.indexing.indexer import IndexReport, Progress, update_index
from search.indexing.lock import exclusive
from search.indexing.meta import FORMAT_VERSION, IndexMeta
from search.indexing.roots import check_index_folder, check_roots, is_index
from search.resources import seeds_dir


@dataclasses.dataclass
class Work:
    """How an update runs: analysis processes (None: cores), or a Dask scheduler."""

    progress: Progress | None = None
    workers: int | None = None
    dask: str | None = None


class Location(ABC):
    """One index location; :func:`locate` picks the kind from the path."""

    sharded = False  # its passages live in shards on other machines (``status`` lists them)

    def __init__(self, path: Path) -> None:
        self.path = path

    def __str__(self) -> str:
        return str(self.path)

    @abstractmethod
    def exists(self) -> bool:
        """Something here is (or was being built as) an index."""

    @abstractmethod
    def open(self) -> Backend:
        """The index here; IndexNotFoundError or IndexDamagedError with the command
        that fixes it."""

    @abstractmethod
    def meta(self, backend: Backend | None = None) -> IndexMeta: ...

    @abstractmethod
    def build(self, roots: list[Path] | None, *, rebuild: bool, engine: str | None,
              work: Work) -> tuple[Backend, IndexReport]:
        """Create, update or replace the index from ``roots`` (None: its own roots;
        a new index, the bundled seeds)."""

    @abstractmethod
    def update(self, backend: Backend, roots: list[Path], work: Work) -> IndexReport:
        """Add new or changed articles under ``roots``; drop vanished ones."""

    def newer(self, backend: Backend) -> Backend | None:
        """The backend of a generation that replaced ``backend``'s, if any."""
        return None

    def check_roots(self, roots: list[Path]) -> None:
        check_roots(roots, None)

    def check_openable(self) -> None:  # noqa: B027 - nothing to check but in a folder
        """Raise UsageError when this cannot be an index (a file, a folder of other
        files), before anything is said or written."""

    def vanished(self) -> bool:
        """The index was deleted under a running program (a folder removed)."""
        return False

    def status(self) -> list[dict[str, Any]]:
        """Every copy of every shard (a cluster); a folder has none to report."""
        raise SearchError(f"{self.path} is not a cluster file (*.toml)")

    def _roots(self, given: list[Path] | None, meta: IndexMeta) -> list[Path]:
        # no paths: the index's own roots again; only a new index gets the seeds
        return given if given is not None else ([Path(r) for r in meta.roots] or [seeds_dir()])


def _drop_generations(path: Path, keep: tuple[str, str]) -> None:
    """Delete every generation in ``path`` but ``keep`` (engine, generation), of
    any engine: a replaced index, or a rebuild killed before its switch."""
    for cls in installed_engines():
        for old in cls.generations(path) - ({keep[1]} if cls.name == keep[0] else set()):
            cls.drop(path, old)


def _damaged(path: Path, why: str) -> IndexDamagedError:
    return IndexDamagedError(f"the index at {path} {why}; rebuild it with: "
                             f"vnsearch index --rebuild --index {path}")


class Folder(Location):
    """A folder: ``vnsearch.json`` names the engine and the generation in use."""

    def exists(self) -> bool:
        return is_index(self.path)

    def meta(self, backend: Backend | None = None) -> IndexMeta:
        return IndexMeta.read(self.path)

    def check_roots(self, roots: list[Path]) -> None:
        check_roots(roots, self.path)

    def check_openable(self) -> None:
        check_index_folder(self.path)

    def vanished(self) -> bool:
        return not self.path.exists()

    def open(self) -> Backend:
        path, meta = self.path, IndexMeta.read(self.path)
        if meta.recorded and not meta.generation:
            raise IndexNotFoundError(
                f"the first build of the index at {path} did not finish; finish it with: "
                f"vnsearch index --index {path} (it reads the same folders again)")
        cls = engine_class(meta.engine)
        if not cls.exists(path, meta.generation):
            if meta.recorded:  # written after a complete build only: its files have gone
                raise _damaged(path, "is missing its files")
            raise IndexNotFoundError(
                f"no index at {path}; build one with: vnsearch index --index {path} [PATH ...]")
        if meta.format != FORMAT_VERSION:
            raise _damaged(path, f"was built by another version of vnsearch (format "
                                 f"{meta.format}, this one reads {FORMAT_VERSION})")
        try:
            backend = cls.open(path, meta.generation)
            backend.check()
            return backend
        except Exception as exc:  # an engine opening damaged files raises many kinds
            raise _damaged(path, f"cannot be read ({exc})") from None

    def newer(self, backend: Backend) -> Backend | None:
        meta = IndexMeta.read(self.path)
        cls = engine_class(meta.engine)
        if meta.generation != backend.generation and cls.exists(self.path, meta.generation):
            fresh = cls.open(self.path, meta.generation)
            fresh.refresh_interval = backend.refresh_interval
            return fresh
        return None

    def build(self, roots: list[Path] | None, *, rebuild: bool, engine: str | None,
              work: Work) -> tuple[Backend, IndexReport]:
        path = self.path
        check_index_folder(path)
        path.mkdir(parents=True, exist_ok=True)
        with exclusive(path):
            meta = IndexMeta.read(path)
            roots = self._roots(roots, meta)
            old_cls = engine_class(meta.engine)
            existing = old_cls.exists(path, meta.generation)
            if not meta.recorded and not existing:  # the roots first: a first build
                # stopped halfway is finished from them, not from the seeds
                IndexMeta(engine=engine or meta.engine, format=FORMAT_VERSION,
                          generation="").with_roots(roots).write(path)
            if not rebuild and existing and engine in (None, old_cls.name):
                backend = self.open()
                return backend, self._update_locked(backend, roots, work)
            name = engine or meta.engine
            new_cls = engine_class(name)
            generation = f"G{time.time_ns()}"
            built = new_cls.create(path, generation)
            try:
                report = update_index(built, roots, work.progress, workers=work.workers,
                                      dask=work.dask, skip=[path], replacing=existing)
            except BaseException:
                built.close()
                new_cls.drop(path, generation)
                raise
            IndexMeta(engine=name, format=FORMAT_VERSION, generation=generation,
                      speakers=tuple(report.names)).with_roots(roots).write(path)
            _drop_generations(path, keep=(name, generation))  # the replaced index too
            return built, report

    def update(self, backend: Backend, roots: list[Path], work: Work) -> IndexReport:
        with exclusive(self.path):
            # another process may have rebuilt the index since ``backend`` was opened:
            # the update goes to the generation in use now, never to the replaced one
            fresh = self.newer(backend)
            try:
                return self._update_locked(fresh or backend, roots, work)
            finally:
                if fresh is not None:
                    fresh.close()

    def _update_locked(self, backend: Backend, roots: list[Path], work: Work) -> IndexReport:
        _drop_generations(self.path, keep=(backend.name, backend.generation))
        meta = IndexMeta.read(self.path)
        report = update_index(backend, roots, work.progress, workers=work.workers,
                              names=meta.speakers, dask=work.dask, skip=[self.path])
        dataclasses.replace(meta, speakers=tuple(report.names)).with_roots(roots).write(
            self.path)
        return report


class Cluster(Location):
    """A cluster file: one writer per shard is the servers' own rule (a second gets a
    lock error); the record lives in the shards."""

    sharded = True

    def exists(self) -> bool:
        return True

    def open(self) -> Backend:
        backend = open_cluster(self.path)
        backend.check()
        return backend

    def _sharded(self, backend: Backend | None) -> Sharded:
        if backend is None:
            return open_cluster(self.path)
        assert isinstance(backend, Sharded)
        return backend

    def meta(self, backend: Backend | None = None) -> IndexMeta:
        return IndexMeta.from_dict(self._sharded(backend).read_meta())

    def status(self) -> list[dict[str, Any]]:
        return open_cluster(self.path).status()

    def build(self, roots: list[Path] | None, *, rebuild: bool, engine: str | None,
              work: Work) -> tuple[Backend, IndexReport]:
        backend = open_cluster(self.path)
        if engine not in (None, backend.name):
            raise SearchError(f"a cluster ({self.path}) is a {backend.name} index; "
                              f"--engine {engine} needs an index folder")
        roots = self._roots(roots, self.meta(backend))
        backend.rebuilding = rebuild
        try:
            return backend, self.update(backend, roots, work)
        finally:
            backend.rebuilding = False

    def update(self, backend: Backend, roots: list[Path], work: Work) -> IndexReport:
        sharded = self._sharded(backend)
        meta = IndexMeta() if sharded.rebuilding else self.meta(sharded)
        report = update_index(sharded, roots, work.progress, workers=work.workers,
                              names=meta.speakers, dask=work.dask, replacing=sharded.rebuilding)
        meta = dataclasses.replace(meta, engine=sharded.name, format=FORMAT_VERSION,
                                   speakers=tuple(report.names)).with_roots(roots)
        sharded.write_meta(meta.to_dict())
        return report


def locate(path: str | Path) -> Location:
    """The location ``path`` names: a cluster file, else an index folder."""
    path = Path(path)
    return Cluster(path) if is_cluster(path) else Folder(path)
