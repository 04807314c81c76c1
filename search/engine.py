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
from search.query.builder import Q
from search.query.parser import parse, validate
from search.query.rewrite import rewrite
from search.resources import seeds_dir
from search.retrieval import searcher as retrieval
from search.retrieval.explain import describe_rewrites
from search.retrieval.highlight import highlight, patterns
from search.retrieval.results import Hit, Results
from search.retrieval.suggest import suggest

META_FILE = "vnsearch.json"
FORMAT_VERSION = 2  # bump when the schema or stored data change


def _read_meta(path: Path) -> dict[str, Any]:
    try:
        data = json.loads((path / META_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _write_meta(path: Path, meta: dict[str, Any]) -> None:
    tmp = path / (META_FILE + ".tmp")
    tmp.write_text(json.dumps(meta, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    tmp.replace(path / META_FILE)  # atomic: a reader never sees half a file


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
        meta = _read_meta(path)
        if meta.get("format") != FORMAT_VERSION:
            raise IndexDamagedError(
                f"the index at {path} was built by another version of vnsearch (format "
                f"{meta.get('format')}, this one reads {FORMAT_VERSION}); rebuild it with: "
                f"vnsearch index --rebuild --index {path}")
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
            _write_meta(path, {"engine": backend.name, "format": FORMAT_VERSION})
            engine = cls(path, backend)
        else:
            engine = cls.open(path)
        engine.last_report = engine.index(sources if sources is not None else [seeds_dir()],
                                          progress=progress)
        return engine

    # writing ---------------------------------------------------------------
    def index(self, paths: Iterable[str | Path], progress: Progress | None = None) -> IndexReport:
        """Add new or changed files under ``paths``; drop vanished ones."""
        roots = [Path(p) for p in paths]
        report = update_index(self._backend, roots, progress)
        meta = _read_meta(self.path)
        known = list(meta.get("roots") or [])
        for r in roots:
            if str(r.resolve()) not in known:
                known.append(str(r.resolve()))
        _write_meta(self.path, {**meta, "roots": known})
        self.refresh()
        return report

    def refresh(self) -> None:
        """See the latest commit (another process's too) from the next search on.

        Searches also look for one by themselves every ``refresh_interval`` seconds."""
        self._backend.refresh()

    @property
    def refresh_interval(self) -> float:
        return self._backend.refresh_interval

    @refresh_interval.setter
    def refresh_interval(self, seconds: float) -> None:
        self._backend.refresh_interval = seconds

    # reading ---------------------------------------------------------------
    def search(self, query: str | Q, limit: int = 10, offset: int = 0) -> Results:
        """Ranked passages for ``query`` (text, or a :class:`Q` built in code);
        raises :class:`QuerySyntaxError` on a bad query."""
        start = time.perf_counter()
        if isinstance(query, Q):
            parsed, query = validate(query.node), query.to_text()
        else:
            parsed = parse(query)
        with self._backend.snapshot() as snap:
            found = retrieval.search(snap, parsed, limit, offset)
            copies = [snap.copies(r.raw.stored["key"], r.raw.stored["article"])
                      for r in found.page]
            # nothing, or only partial matches: say why, and what to try
            tips = suggest(snap, query, found.analysed) if found.total == found.partial else []
        pats = patterns(found.analysed) if found.analysed is not None else []
        hits = [Hit.from_stored(r.raw.stored, r.raw.score, highlight(r.raw.stored["text"], pats),
                                partial=r.partial, missing=list(r.missing), duplicates=dup)
                for r, dup in zip(found.page, copies, strict=True)]
        return Results(query, hits, found.total, (time.perf_counter() - start) * 1000,
                       partial=found.partial, suggestions=tips)

    def explain(self, query: str | Q, hit: Hit | None = None) -> dict[str, Any]:
        """How ``query`` is read: the parsed tree, the rewrites (segmentation,
        folding, variants), the analysed tree and the backend query; with a
        ``hit``, its score broken down by clause and field."""
        if isinstance(query, Q):
            parsed, query = query.node, query.to_text()
        else:
            parsed = parse(query)
        with self._backend.snapshot() as snap:
            analysed = rewrite(parsed, vocab=snap.has_word)
            info: dict[str, Any] = {
                "query": query,
                "canonical": parsed.to_text(),
                "parsed": dump(parsed),
                "rewrites": describe_rewrites(parsed, analysed, snap.doc_frequency),
                "analysed": dump(analysed) if analysed is not None else "(nothing to search)",
                "backend": repr(self._backend.compile(analysed)) if analysed is not None else "",
            }
            if hit is not None and analysed is not None:
                info["hit"] = f"{hit.article}#{hit.passage}"
                info["score"] = hit.score
                info["clauses"] = snap.breakdown(analysed, f"{hit.article}#{hit.passage}")
        return info

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

    def article(self, article_id: str) -> list[Mapping[str, Any]]:
        """The passages of one article, in order (for reading a hit in context)."""
        return self._backend.passages_of(article_id)

    def sources(self) -> list[tuple[str, int]]:
        """Outlets with their passage counts, most frequent first."""
        from collections import Counter

        counts = Counter(d["source"] for d in self._backend.iter_stored() if d.get("source"))
        return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))

    def roots(self) -> list[str]:
        """The paths this index was built from (``:reindex`` goes over them again)."""
        return list(_read_meta(self.path).get("roots") or [str(seeds_dir())])

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
