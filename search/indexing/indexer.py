"""Bring an index up to date with a set of files.

Only new or changed files (by content hash) are analysed again; articles
whose files vanished from an indexed directory are removed. Everything is
committed at once at the end, so an interrupted run leaves the previous
commit as it was.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from search.backends.base import Backend
from search.indexing.documents import passage_docs
from search.ingest.annotate import annotate
from search.ingest.articles import discover, read_any
from search.ingest.model import Article, Skipped

Progress = Callable[[int, int, str], None]


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

    def summary(self) -> str:
        parts = [f"{self.added} added", f"{self.updated} updated",
                 f"{self.unchanged} unchanged", f"{self.removed} removed"]
        line = (f"indexed {self.passages} passages; articles: {', '.join(parts)}; "
                f"{len(self.skipped)} files skipped; {self.seconds:.1f}s")
        return line


def update_index(backend: Backend, paths: Iterable[Path],
                 progress: Progress | None = None) -> IndexReport:
    """Index ``paths`` into ``backend``; return what was done."""
    start = time.perf_counter()
    report = IndexReport()
    roots = [Path(p) for p in paths]
    found = list(discover(roots))
    files = [f for f in found if isinstance(f, Path)]
    report.skipped.extend(f for f in found if isinstance(f, Skipped))
    known = backend.articles()
    seen: set[str] = set()
    read_paths: set[str] = set()
    changed: list[Article] = []
    for n, path in enumerate(files, 1):
        if progress:
            progress(n, len(files), str(path))
        for article in read_any(path):
            if isinstance(article, Skipped):
                report.skipped.append(article)
                continue
            read_paths.add(article.path)
            report.notes.extend(article.notes)
            seen.add(article.id)
            previous = known.get(article.id)
            if previous and previous[1] == article.sha256:
                report.unchanged += 1
                continue
            changed.append(article)
    changed = annotate(changed)
    writer = backend.writer()
    try:
        for article in changed:
            if article.id in known:
                writer.delete_article(article.id)
                report.updated += 1
            else:
                report.added += 1
            for doc in passage_docs(article):
                writer.add(doc)
                report.passages += 1
        dirs = [r.resolve() for r in roots if r.is_dir()]
        for article_id, (stored_path, _) in known.items():
            if article_id in seen or not stored_path:
                continue
            p = Path(stored_path)
            gone = not p.exists() and any(p.is_relative_to(d) for d in dirs)
            if gone or stored_path in read_paths:  # deleted, or re-read without this article
                writer.delete_article(article_id)
                report.removed += 1
    except BaseException:
        writer.cancel()
        raise
    writer.commit()
    report.seconds = time.perf_counter() - start
    return report
