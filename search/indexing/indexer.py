"""Bring an index up to date with a set of files: streaming, in parallel.

Worker processes read, clean, attribute and analyse whole articles (the
costly part: pyvi) and encode passages for the engine where that is cheaper to
send (Whoosh); this process is the one writer (the part that cannot run in
parallel). Files whose content hash is already indexed are skipped before
any analysis. Memory stays bounded: articles flow through. A passage with a
bare one-word speaker (``Putin``) waits, up to ``MAX_WAITING`` of them, for the
full names of the whole run (and of earlier runs); past that, the oldest is
resolved with the names known so far and written.
Everything is committed at once at the end, so an interrupted run leaves the
previous commit as it was.
"""

from __future__ import annotations

import dataclasses
import os
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from search.analysis import analyze
from search.backends import DEFAULT_ENGINE, encoder
from search.backends.base import Backend, BackendWriter, PassageDoc
from search.errors import SearchError
from search.indexing.documents import name_terms, passage_docs
from search.ingest.annotate import NameRegistry, annotate_one
from search.ingest.articles import JsonlChunk, is_jsonl, jsonl_chunks, read_any, read_chunk, shown
from search.ingest.model import Article, Skipped
from search.ingest.walk import ARTICLE_KINDS, NotArticle, Source, sources
from search.processes import quiet_pool

Progress = Callable[[int, int, str], None]
Unit = Source | JsonlChunk  # what one worker call analyses: a .txt file, or .jsonl lines
SMALL_RUN = 40  # files; below this, starting worker processes costs more than it saves
IN_FLIGHT_PER_WORKER = 8  # files queued or analysed ahead of the writer, per worker
MAX_WAITING = 20_000  # passages held for corpus-wide name resolution (bounds memory)
DASK_CONNECT = 10  # seconds to reach a Dask scheduler


@dataclass
class IndexReport:
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    removed: int = 0
    passages: int = 0
    skipped: list[Skipped] = field(default_factory=list)  # files, and lines of .jsonl files
    not_read: list[NotArticle] = field(default_factory=list)  # files that are not articles
    notes: list[str] = field(default_factory=list)  # metadata problems, per article
    seconds: float = 0.0
    timings: dict[str, float] = field(default_factory=dict)  # seconds per stage, all workers
    names: list[str] = field(default_factory=list)  # full speaker names known after the run

    def summary(self) -> str:
        parts = [f"{self.added} added", f"{self.updated} updated",
                 f"{self.unchanged} unchanged", f"{self.removed} removed"]
        rate = self.passages / self.seconds if self.seconds > 0 else 0.0
        lines = sum(1 for s in self.skipped if s.line)
        left = [f"{len(self.skipped) - lines} files skipped"]
        if lines:
            left.append(f"{lines} lines of .jsonl files skipped")
        if self.not_read:
            left.append(f"{len(self.not_read)} other files not read (only {ARTICLE_KINDS} "
                        "files hold articles)")
        return (f"indexed {self.passages} passages; articles: {', '.join(parts)}; "
                f"{'; '.join(left)}; {self.seconds:.1f}s ({rate:.0f} passages/s)")

    @property
    def incomplete(self) -> bool:
        """Something given was not indexed: files or lines skipped, files not read."""
        return bool(self.skipped or self.not_read)


class NothingReadError(SearchError):
    """A run meant to replace an index read no article at all: the index was left as
    it was rather than replaced by an empty one."""

    def __init__(self, report: IndexReport) -> None:
        self.report = report
        super().__init__(f"no article could be read ({len(report.skipped)} files skipped, "
                         f"{len(report.not_read)} not articles); nothing was replaced: the "
                         "index is as it was")


@dataclass
class Prepared:
    """One article, analysed, ready for the writer (or known to be unchanged)."""

    article: Article
    docs: list[PassageDoc]  # passages whose speakers wait for corpus-wide names
    unchanged: bool = False
    ready: list[Any] = field(default_factory=list)  # the others, encoded for the engine


def _timed(timings: dict[str, float], stage: str, start: float) -> float:
    now = time.perf_counter()
    timings[stage] = timings.get(stage, 0.0) + now - start
    return now


def prepare(unit: Unit, known: frozenset[str], engine: str) -> tuple[
        list[Prepared | Skipped], dict[str, float]]:
    """Everything a worker does for one unit; ``known`` holds "id:sha256" indexed."""
    encode = encoder(engine)
    timings: dict[str, float] = {}
    out: list[Prepared | Skipped] = []
    t = time.perf_counter()
    items = read_chunk(unit) if isinstance(unit, JsonlChunk) else read_any(unit.path, unit.base)
    for item in items:
        t = _timed(timings, "read+clean", t)
        if isinstance(item, Skipped):
            out.append(item)
            continue
        if f"{item.id}:{item.sha256}" in known:
            out.append(Prepared(item, [], unchanged=True))
            continue
        for passage in item.passages:  # pyvi, cached for attribution and the term lists:
            analyze(passage.text)  # charged to analysis, where the index needs it anyway
        t = _timed(timings, "analysis", t)
        article = annotate_one(item)
        t = _timed(timings, "attribution", t)
        docs = list(passage_docs(article))
        t = _timed(timings, "analysis", t)
        ready = [encode(d) for d in docs if not NameRegistry.needs(d.stored["speakers"])]
        docs = [d for d in docs if NameRegistry.needs(d.stored["speakers"])]
        t = _timed(timings, "encoding", t)
        out.append(Prepared(article, docs, ready=ready))
    return out, timings


_known: frozenset[str] = frozenset()
_engine = DEFAULT_ENGINE


def _init(known: frozenset[str], engine: str) -> None:
    global _known, _engine
    _known, _engine = known, engine


def _prepare_in_worker(unit: Unit) -> tuple[list[Prepared | Skipped], dict[str, float]]:
    return prepare(unit, _known, _engine)


def units(files: list[Source]) -> Iterator[Unit | Skipped]:
    """Work for the analysers: each ``.txt`` file, each run of lines of a ``.jsonl``
    (read here, lazily, so only the lines in flight are in memory)."""
    for f in files:
        if is_jsonl(f.path):
            yield from jsonl_chunks(f.path, f.base)
        else:
            yield f


Done = tuple[Unit | Skipped, list[Prepared | Skipped], dict[str, float]]


def windowed(todo: Iterator[Unit | Skipped], start: Callable[[Unit], Any],
             finish: Callable[[Any], tuple[list[Any], dict[str, float]]],
             size: int) -> Iterator[Done]:
    """Per unit, in order, with at most ``size`` units started ahead of the writer:
    when the writer is the slower side, analysed articles must not pile up in memory
    (``Pool.imap`` and Dask's ``map`` have no back-pressure)."""
    window: deque[tuple[Unit | Skipped, Any]] = deque()

    def submit(u: Unit | Skipped) -> None:
        window.append((u, None if isinstance(u, Skipped) else start(u)))

    for u in todo:
        submit(u)
        if len(window) >= size:
            break
    while window:
        unit, pending = window.popleft()
        result = ([unit], {}) if pending is None else finish(pending)
        nxt = next(todo, None)
        if nxt is not None:
            submit(nxt)
        yield (unit, *result)


def prepared(files: list[Source], known: frozenset[str], workers: int,
             engine: str) -> Iterator[Done]:
    """Per unit, in order; in worker processes when the run is big enough."""
    todo = units(files)
    if workers <= 1 or (len(files) < SMALL_RUN and not any(is_jsonl(f.path) for f in files)):
        for u in todo:
            yield (u, [u], {}) if isinstance(u, Skipped) else (u, *prepare(u, known, engine))
        return
    with quiet_pool(workers, initializer=_init, initargs=(known, engine)) as pool:
        yield from windowed(todo, lambda u: pool.apply_async(_prepare_in_worker, (u,)),
                            lambda pending: pending.get(), IN_FLIGHT_PER_WORKER * workers)


def _released(future: Any) -> tuple[list[Any], dict[str, float]]:
    result: tuple[list[Any], dict[str, float]] = future.result()
    future.release()
    return result


def prepared_on_dask(files: list[Source], known: frozenset[str], engine: str,
                     address: str) -> Iterator[Done]:
    """Per unit, in order, analysed on the workers of a Dask cluster. The workers read
    the files themselves (the same paths must reach them: a shared file system), and
    as locally only a window of units is in flight, so memory stays bounded."""
    try:
        from distributed import Client
    except ImportError:
        raise SearchError("--dask needs the cluster extra: pip install 'vnsearch[cluster]'"
                          ) from None
    try:
        client = Client(address, timeout=DASK_CONNECT, set_as_default=False)
    except (OSError, TimeoutError) as exc:
        raise SearchError(f"cannot reach the Dask scheduler at {address} ({exc})") from None
    with client:
        workers = max(1, len(client.scheduler_info()["workers"]))
        # once to every worker, not with every file (a list: scatter splits a set)
        [known_on_workers] = client.scatter([known], broadcast=True)
        yield from windowed(
            units(files), lambda u: client.submit(prepare, u, known_on_workers, engine,
                                                  pure=False),
            _released, IN_FLIGHT_PER_WORKER * workers)


def _with_speakers(doc: PassageDoc, speakers: tuple[str, ...]) -> PassageDoc:
    terms = dict(doc.terms)
    terms.update(name_terms(speakers))
    stored = doc.stored.copy()
    stored["speakers"] = list(speakers)
    return dataclasses.replace(doc, terms=terms, stored=stored)


def _label(unit: Unit | Skipped) -> str:
    if isinstance(unit, JsonlChunk):
        return f"{unit.path}:{unit.first}"
    return str(unit.path)


@dataclass
class Chosen:
    """What a run will read, decided before anything is written."""

    roots: list[Path]  # absolute: Dask workers do not share this process's working folder
    known: dict[str, tuple[str, str]]  # indexed now: article id -> (path, sha256)
    files: list[Source]


@dataclass
class Read:
    """What a run read, so what vanished can be told from what was only not re-read."""

    seen: dict[str, str] = field(default_factory=dict)  # article id -> the source giving it
    paths: set[str] = field(default_factory=set)
    partly: set[str] = field(default_factory=set)  # .jsonl files not read to the end


def choose_work(backend: Backend, paths: Iterable[Path], skip: Iterable[Path],
                report: IndexReport) -> Chosen:
    """The files to read under ``paths`` (what is not an article is reported, not
    read), each under the id it is indexed with already."""
    roots = [Path(os.path.abspath(p)) for p in paths]
    known = backend.articles()
    by_path: dict[str, list[str]] = {}
    for article_id, (stored_path, _) in known.items():
        by_path.setdefault(stored_path, []).append(article_id)
    files: list[Source] = []
    for found in sources(roots, skip):
        if isinstance(found, Skipped):
            report.skipped.append(found)
            continue
        if isinstance(found, NotArticle):
            report.not_read.append(found)
            continue
        try:
            ids = by_path.get(str(found.path.resolve()), [])
        except (OSError, RuntimeError):  # a symlink loop: reported when it is read
            ids = []
        if len(ids) == 1 and not is_jsonl(found.path) and ids[0] != found.base:
            found = Source(found.path, ids[0])  # indexed before under this id: keep it
        files.append(found)
    return Chosen(roots, known, files)


def write_articles(writer: BackendWriter, chosen: Chosen, analysed: Iterator[Done],
                   registry: NameRegistry, report: IndexReport,
                   progress: Progress | None) -> Read:
    """Add what is new or changed, in order. Passages whose speakers wait for names
    found later in the run are held back (at most ``MAX_WAITING``)."""
    read = Read()
    known = chosen.known
    waiting: deque[PassageDoc] = deque()
    files_done = 0
    for unit, items, timings in analysed:
        for stage, seconds in timings.items():
            report.timings[stage] = report.timings.get(stage, 0.0) + seconds
        if isinstance(unit, JsonlChunk) and unit.error:
            read.partly.add(str(unit.path.resolve()))
        if not isinstance(unit, JsonlChunk) or unit.last:
            files_done += 1
        if progress:
            progress(files_done, len(chosen.files), _label(unit))
        t = time.perf_counter()
        for item in items:
            if isinstance(item, Skipped):
                report.skipped.append(item)
                continue
            article = item.article
            where = article.origin or shown(article.path)
            owner = read.seen.get(article.id)
            if owner is None and article.id in known:
                old = known[article.id][0]
                if old and old != article.path and Path(old).exists() and old not in read.paths:
                    owner = shown(old)
            if owner is not None:
                line = int(where.rsplit(":", 1)[1]) if article.origin else 0
                report.skipped.append(Skipped(where, (
                    f"article id {shown(article.id)!r} is already taken by {owner}; "
                    "rename one of them (nothing was overwritten)"), line=line))
                continue
            read.seen[article.id] = where
            read.paths.add(article.path)
            report.notes.extend(article.notes)
            if item.unchanged:
                report.unchanged += 1
                continue
            if article.id in known:
                writer.delete_article(article.id)
                report.updated += 1
            else:
                report.added += 1
            registry.learn(article)
            for encoded in item.ready:
                writer.add_encoded(encoded)
            report.passages += len(item.ready)
            for doc in item.docs:
                report.passages += 1
                waiting.append(doc)
                if len(waiting) > MAX_WAITING:
                    old_doc = waiting.popleft()
                    writer.add(_with_speakers(old_doc,
                                              registry.resolve(old_doc.stored["speakers"])))
        _timed(report.timings, "engine", t)
    t = time.perf_counter()
    for doc in waiting:
        writer.add(_with_speakers(doc, registry.resolve(doc.stored["speakers"])))
    _timed(report.timings, "engine", t)
    return read


def remove_vanished(writer: BackendWriter, chosen: Chosen, read: Read,
                    report: IndexReport) -> None:
    """Delete articles whose file was deleted under a root read, or that a file read
    again no longer holds; a .jsonl file not read to the end keeps its articles."""
    dirs = [r.resolve() for r in chosen.roots if r.is_dir()]
    for article_id, (stored_path, _) in chosen.known.items():
        if article_id in read.seen or not stored_path or stored_path in read.partly:
            continue
        p = Path(stored_path)
        gone = not p.exists() and any(p.is_relative_to(d) for d in dirs)
        if gone or stored_path in read.paths:
            writer.delete_article(article_id)
            report.removed += 1


def update_index(backend: Backend, paths: Iterable[Path], progress: Progress | None = None,
                 *, workers: int | None = None, names: Iterable[str] = (),
                 dask: str | None = None, skip: Iterable[Path] = (),
                 replacing: bool = False) -> IndexReport:
    """Index ``paths`` into ``backend``; ``names`` are full speaker names already
    indexed (so a new article's ``Putin`` finds ``Vladimir Putin``); ``dask`` is a
    scheduler's address to analyse on instead of local worker processes; the
    folders in ``skip`` (the index's own) are never read. A run ``replacing`` an
    index that reads no article while files were skipped commits nothing and raises
    :class:`NothingReadError`: a rebuild whose every file failed must not empty it.

    An article's id comes from its path under the root it was found in; a file
    already indexed keeps the id it has (an index written before ids had folders
    in them keeps working). Two sources claiming one id is an error naming both:
    the first keeps it, the second is skipped, nothing is overwritten."""
    start = time.perf_counter()
    report = IndexReport()
    chosen = choose_work(backend, paths, skip, report)
    known_keys = frozenset(f"{a}:{sha}" for a, (_, sha) in chosen.known.items())
    registry = NameRegistry(names)
    workers = workers if workers is not None else (os.cpu_count() or 1)
    writer: BackendWriter = backend.writer()
    try:
        analysed = (prepared_on_dask(chosen.files, known_keys, backend.name, dask) if dask
                    else prepared(chosen.files, known_keys, workers, backend.name))
        read = write_articles(writer, chosen, analysed, registry, report, progress)
        t = time.perf_counter()
        remove_vanished(writer, chosen, read, report)
        if replacing and not (report.added or report.updated or report.unchanged) and \
                report.incomplete:
            raise NothingReadError(report)
        writer.commit()
        _timed(report.timings, "engine", t)
    except BaseException:
        writer.cancel()
        raise
    report.seconds = time.perf_counter() - start
    report.names = registry.names()
    return report
