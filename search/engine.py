"""The engine: the one object programs and the CLI talk to.

``query string -> parse -> AST -> rewrite (analysis) -> backend -> hits``.
Each search opens a fresh reader, so it sees one consistent commit, and
threads may search at once.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from types import TracebackType
from typing import Any

from search.backends.whoosh import WhooshBackend
from search.errors import IndexDamagedError, IndexNotFoundError
from search.indexing.indexer import IndexReport, Progress, update_index
from search.query.ast import dump
from search.query.parser import parse
from search.query.rewrite import rewrite
from search.resources import seeds_dir
from search.retrieval import searcher as retrieval
from search.retrieval.highlight import highlight, patterns
from search.retrieval.results import Hit, Results

META_FILE = "vnsearch.json"
FORMAT_VERSION = 1


class Engine:
    """Search and update one index directory.

    >>> import tempfile
    >>> with Engine.build(tempfile.mkdtemp()) as engine:
    ...     hits = engine.search('"đường ống"')
    ...     sorted(h.article[:3] for h in hits)
    ['000', '003']
    """

    def __init__(self, path: Path, backend: WhooshBackend) -> None:
        self.path = path
        self._backend = backend
        self.last_report: IndexReport | None = None

    # opening ---------------------------------------------------------------
    @classmethod
    def open(cls, path: str | Path) -> Engine:
        """Open an existing index; :class:`IndexNotFoundError` if there is none."""
        path = Path(path)
        if not WhooshBackend.exists(path):
            raise IndexNotFoundError(
                f"no index at {path}; build one with: vnsearch index --index {path} [PATH ...]")
        try:
            return cls(path, WhooshBackend.open(path))
        except Exception as exc:  # whoosh raises many kinds on damaged files
            raise IndexDamagedError(
                f"the index at {path} cannot be read ({exc}); "
                f"rebuild it with: vnsearch index --rebuild --index {path}") from None

    @classmethod
    def build(cls, path: str | Path, sources: Iterable[str | Path] | None = None, *,
              rebuild: bool = False, progress: Progress | None = None) -> Engine:
        """Create (or update) the index at ``path`` from ``sources``
        (default: the bundled seeds)."""
        path = Path(path)
        if rebuild or not WhooshBackend.exists(path):
            backend = WhooshBackend.create(path)
            (path / META_FILE).write_text(json.dumps(
                {"engine": backend.name, "format": FORMAT_VERSION}) + "\n", encoding="utf-8")
            engine = cls(path, backend)
        else:
            engine = cls.open(path)
        engine.last_report = engine.index(sources if sources is not None else [seeds_dir()],
                                          progress=progress)
        return engine

    # writing ---------------------------------------------------------------
    def index(self, paths: Iterable[str | Path], progress: Progress | None = None) -> IndexReport:
        """Add new or changed files under ``paths``; drop vanished ones."""
        return update_index(self._backend, [Path(p) for p in paths], progress)

    # reading ---------------------------------------------------------------
    def search(self, query: str, limit: int = 10, offset: int = 0) -> Results:
        """Ranked passages for ``query``; raises QuerySyntaxError on a bad query."""
        start = time.perf_counter()
        parsed = parse(query)
        with self._backend.snapshot() as snap:
            analysed, total, ranked = retrieval.search(snap, parsed, limit, offset)
        pats = patterns(analysed) if analysed is not None else []
        hits = [Hit.from_stored(r.raw.stored, r.raw.score, highlight(r.raw.stored["text"], pats),
                                partial=r.partial, missing=list(r.missing))
                for r in ranked]
        return Results(query, hits, total, (time.perf_counter() - start) * 1000)

    def explain(self, query: str) -> dict[str, str]:
        """How ``query`` is read: the parsed tree, the analysed tree (segmentation,
        folding) and the backend query it compiles to."""
        parsed = parse(query)
        with self._backend.snapshot() as snap:
            analysed = rewrite(parsed, vocab=snap.has_word)
        return {
            "query": query,
            "canonical": parsed.to_text(),
            "parsed": dump(parsed),
            "analysed": dump(analysed) if analysed is not None else "(nothing to search)",
            "backend": repr(self._backend.compile(analysed)) if analysed is not None else "",
        }

    def speakers(self, prefix: str = "") -> list[tuple[str, int]]:
        """Canonical speakers with their passage counts, most quoted first; ``prefix``
        matches the start of any word of the name, ignoring case and accents."""
        from collections import Counter

        from search.analysis import fold

        want = fold(prefix.lower())
        counts: Counter[str] = Counter()
        for data in self._backend.iter_stored():
            for name in data.get("speakers") or []:
                if not want or any(w.startswith(want) for w in fold(name.lower()).split()) \
                        or fold(name.lower()).startswith(want):
                    counts[name] += 1
        return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))

    def iter_passages(self) -> Iterator[Mapping[str, Any]]:
        """Every indexed passage as stored (article, passage, text, metadata)."""
        return self._backend.iter_stored()

    def stats(self) -> dict[str, int]:
        return self._backend.stats()

    # lifecycle ---------------------------------------------------------------
    def close(self) -> None:
        self._backend.close()

    def __enter__(self) -> Engine:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()
