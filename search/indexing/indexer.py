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
import multiprocessing
import os
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from multiprocessing.pool import AsyncResult
from pathlib import Path
from typing import Any

from search.analysis import analyze
from search.backends import encoder
from search.backends.base import Backend, BackendWriter, PassageDoc
from search.indexing.documents import folded_names, passage_docs
from search.ingest.annotate import NameRegistry, annotate_one
from search.ingest.articles import discover, read_any
from search.ingest.model import Article, Skipped

Progress = Callable[[int, int, str], None]
SMALL_RUN = 40  # files; below this, starting worker processes costs more than it saves
IN_FLIGHT_PER_WORKER = 8  # files queued or analysed ahead of the writer, per worker
MAX_WAITING = 20_000  # passages held for corpus-wide name resolution (bounds memory)


@dataclass
class IndexReport:
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    removed: int = 0
    passages: int = 0
    skipped: list[Skipped] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # metadata problems, per article
    seconds: float = 0.0
    timings: dict[str, float] = field(default_factory=dict)  # seconds per stage, all workers
    names: list[str] = field(default_factory=list)  # full speaker names known after the run

    def summary(self) -> str:
        parts = [f"{self.added} added", f"{self.updated} updated",
                 f"{self.unchanged} unchanged", f"{self.removed} removed"]
        rate = self.passages / self.seconds if self.seconds > 0 else 0.0
        return (f"indexed {self.passages} passages; articles: {', '.join(parts)}; "
                f"{len(self.skipped)} files skipped; {self.seconds:.1f}s ({rate:.0f} passages/s)")


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


def prepare(path: Path, known: frozenset[str], engine: str) -> tuple[
        list[Prepared | Skipped], dict[str, float]]:
    """Everything a worker does for one file; ``known`` holds "id:sha256" indexed."""
    encode = encoder(engine)
    timings: dict[str, float] = {}
    out: list[Prepared | Skipped] = []
    t = time.perf_counter()
    for item in read_any(path):
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
_engine = "whoosh"


def _init(known: frozenset[str], engine: str) -> None:
    global _known, _engine
    _known, _engine = known, engine


def _prepare_in_worker(path: Path) -> tuple[list[Prepared | Skipped], dict[str, float]]:
    return prepare(path, _known, _engine)


def prepared(files: list[Path], known: frozenset[str], workers: int,
             engine: str) -> Iterator[tuple[list[Prepared | Skipped], dict[str, float]]]:
    """Per file, in order; in worker processes when the run is big enough."""
    if workers <= 1 or len(files) < SMALL_RUN:
        for f in files:
            yield prepare(f, known, engine)
        return
    ctx = multiprocessing.get_context("spawn")  # no inherited locks or open index files
    with ctx.Pool(workers, initializer=_init, initargs=(known, engine)) as pool:
        # a bounded window of files in flight: when the writer is the slower side,
        # analysed articles must not pile up in memory (Pool.imap has no back-pressure)
        window: deque[AsyncResult[tuple[list[Prepared | Skipped], dict[str, float]]]] = deque()
        todo = iter(files)
        for f in todo:
            window.append(pool.apply_async(_prepare_in_worker, (f,)))
            if len(window) >= IN_FLIGHT_PER_WORKER * workers:
                break
        while window:
            result = window.popleft().get()
            nxt = next(todo, None)
            if nxt is not None:
                window.append(pool.apply_async(_prepare_in_worker, (nxt,)))
            yield result


def _with_speakers(doc: PassageDoc, speakers: tuple[str, ...]) -> PassageDoc:
    terms = dict(doc.terms)
    terms["speaker"] = folded_names(speakers)
    stored = dict(doc.stored)
    stored["speakers"] = list(speakers)
    return dataclasses.replace(doc, terms=terms, stored=stored)


def update_index(backend: Backend, paths: Iterable[Path], progress: Progress | None = None,
                 *, workers: int | None = None, names: Iterable[str] = ()) -> IndexReport:
    """Index ``paths`` into ``backend``; ``names`` are full speaker names already
    indexed (so a new article's ``Putin`` finds ``Vladimir Putin``)."""
    start = time.perf_counter()
    report = IndexReport()
    roots = [Path(p) for p in paths]
    found = list(discover(roots))
    files = [f for f in found if isinstance(f, Path)]
    report.skipped.extend(f for f in found if isinstance(f, Skipped))
    known = backend.articles()
    known_keys = frozenset(f"{a}:{sha}" for a, (_, sha) in known.items())
    seen: set[str] = set()
    read_paths: set[str] = set()
    registry = NameRegistry(names)
    waiting: deque[PassageDoc] = deque()
    workers = workers if workers is not None else (os.cpu_count() or 1)
    writer: BackendWriter = backend.writer()
    try:
        for n, (items, timings) in enumerate(prepared(files, known_keys, workers,
                                                      backend.name), 1):
            for stage, seconds in timings.items():
                report.timings[stage] = report.timings.get(stage, 0.0) + seconds
            if progress:
                progress(n, len(files), str(files[n - 1]))
            t = time.perf_counter()
            for item in items:
                if isinstance(item, Skipped):
                    report.skipped.append(item)
                    continue
                article = item.article
                read_paths.add(article.path)
                report.notes.extend(article.notes)
                seen.add(article.id)
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
                        old = waiting.popleft()
                        writer.add(_with_speakers(old, registry.resolve(old.stored["speakers"])))
            _timed(report.timings, "engine", t)
        t = time.perf_counter()
        for doc in waiting:
            writer.add(_with_speakers(doc, registry.resolve(doc.stored["speakers"])))
        dirs = [r.resolve() for r in roots if r.is_dir()]
        for article_id, (stored_path, _) in known.items():
            if article_id in seen or not stored_path:
                continue
            p = Path(stored_path)
            gone = not p.exists() and any(p.is_relative_to(d) for d in dirs)
            if gone or stored_path in read_paths:  # deleted, or re-read without this article
                writer.delete_article(article_id)
                report.removed += 1
        writer.commit()
        _timed(report.timings, "engine", t)
    except BaseException:
        writer.cancel()
        raise
    report.seconds = time.perf_counter() - start
    report.names = registry.names()
    return report
