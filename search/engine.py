"""The engine: the one object programs and the CLI talk to.

``query string -> parse -> AST -> rewrite (analysis) -> backend -> hits``.
Each search opens a fresh reader, so it sees one consistent commit, and
threads may search at once.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from types import TracebackType
from typing import Any

from search.backends.base import Backend
from search.errors import IndexDamagedError, ReadAgainError, StorageError, UsageError
from search.indexing.indexer import IndexReport, Progress
from search.indexing.location import Location, Work, locate
from search.plan.nodes import show
from search.query.ast import dump
from search.query.builder import Q
from search.query.parser import parse, parse_plain, validate
from search.query.rewrite import rewrite
from search.resources import seeds_dir
from search.retrieval import searcher as retrieval
from search.retrieval.explain import describe_rewrites
from search.retrieval.highlight import highlight, patterns
from search.retrieval.results import Hit, Results
from search.retrieval.suggest import suggest, worth_offering
from search.retrieval.view import View
from search.schema import StoredPassage

COPIES_LISTED = 20  # wire copy: article#passage ids listed per hit (all are counted)
FACET_READ = 2000  # matches whose metadata Engine.facets counts (a stored read each)


class Engine:
    """Search and update one index directory.

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as folder, Engine.build(folder) as engine:
    ...     hits = engine.search('"đường ống"')
    ...     sorted(h.article[:3] for h in hits)
    ['000', '003']
    """

    def __init__(self, path: Path, backend: Backend, location: Location | None = None) -> None:
        self.path = path
        self.location = location or locate(path)
        self._current = backend
        self._retired: list[Backend] = []
        self._meta_checked = time.monotonic()
        self._recheck = False
        self.last_report: IndexReport | None = None
        self.workers: int | None = None  # analysis processes when indexing (None: cores)
        self.dask: str | None = None  # a Dask scheduler to analyse on instead

    @property
    def _backend(self) -> Backend:
        """The backend of the generation in use; after a rebuild elsewhere (a new
        generation recorded in the location) the next refresh switches to it."""
        current = self._current
        now = time.monotonic()
        if self._recheck or now - self._meta_checked >= current.refresh_interval:
            self._meta_checked, self._recheck = now, False
            fresh = self.location.newer(current)
            if fresh is not None:
                self._retired.append(current)  # searches under way may still read it
                self._current = current = fresh
        return current

    # opening ---------------------------------------------------------------
    @classmethod
    def open(cls, path: str | Path) -> Engine:
        """Open an existing index; :class:`IndexNotFoundError` if there is none."""
        location = locate(path)
        return cls(location.path, location.open(), location)

    @classmethod
    def build(cls, path: str | Path, sources: Iterable[str | Path] | None = None, *,
              rebuild: bool = False, progress: Progress | None = None,
              workers: int | None = None, engine: str | None = None,
              dask: str | None = None) -> Engine:
        """Create, update or (``rebuild``) replace the index at ``path`` from
        ``sources`` (default: the folders the index was built from; for a new index,
        the bundled seeds). Only a missing path or an empty folder becomes a new
        index: anything else that is not one raises :class:`UsageError`. ``engine``
        (one of ``search.backends.ENGINES``) is chosen when the index is created and
        kept in it; queries pick it up. ``path`` may also name a cluster file
        (``cluster.toml``): an index in shards. ``dask`` (``tcp://HOST:8786``)
        analyses on a Dask cluster's workers.

        A new or rebuilt index is written beside the current one and switched to
        only when complete, so a failed or killed build leaves the previous
        index as it was."""
        location = locate(path)
        given = [Path(p) for p in sources] if sources is not None else None
        if given is not None:
            location.check_roots(given)
        backend, report = location.build(given, rebuild=rebuild, engine=engine,
                                         work=Work(progress, workers, dask))
        built = cls(location.path, backend, location)
        built.workers, built.dask = workers, dask
        built.last_report = report
        built.refresh()  # a reader opened before the first commit would not see it
        return built

    # writing ---------------------------------------------------------------
    def index(self, paths: Iterable[str | Path], progress: Progress | None = None) -> IndexReport:
        """Add new or changed files under ``paths``; drop vanished ones."""
        report = self.location.update(self._backend, [Path(p) for p in paths],
                                      Work(progress, self.workers, self.dask))
        self.refresh()
        return report

    def refresh(self) -> None:
        """See the latest commit (another process's too) from the next search on.

        Searches also look for one by themselves every ``refresh_interval`` seconds."""
        self._recheck = True
        self._current.refresh()

    @property
    def refresh_interval(self) -> float:
        return self._backend.refresh_interval

    @refresh_interval.setter
    def refresh_interval(self, seconds: float) -> None:
        self._current.refresh_interval = seconds

    # reading ---------------------------------------------------------------
    @contextmanager
    def _reading(self) -> Iterator[None]:
        """Turn a failure to read the index files into advice, not a traceback."""
        try:
            yield
        except StorageError as exc:
            raise IndexDamagedError(
                f"the index at {self.path} is damaged ({exc}); "
                f"rebuild it with: vnsearch index --rebuild --index {self.path}") from exc

    def search(self, query: str | Q, limit: int = 10, offset: int = 0, *,
               plain: bool = False) -> Results:
        """Ranked passages for ``query`` (text, or a :class:`Q` built in code);
        ``plain`` searches the text as words, operators, quotes and fields included
        (pasted text, programs); raises :class:`QuerySyntaxError` on a bad query,
        :class:`IndexDamagedError` when the index files cannot be read,
        :class:`UsageError` (a ``ValueError``) for a ``limit`` below 1 or a negative
        ``offset``."""
        if isinstance(limit, bool) or not isinstance(limit, int) or limit < 1:
            raise UsageError(f"limit must be a whole number of at least 1, not {limit!r}")
        if isinstance(offset, bool) or not isinstance(offset, int) or offset < 0:
            raise UsageError(f"offset must be a whole number of 0 or more, not {offset!r}")
        with self._reading():
            for attempt in (1, 2, 3):
                try:
                    return self._search(query, limit, offset, plain)
                except ReadAgainError:
                    # a writer moved on under this read, or a shard of a cluster died
                    # under it: again, on the latest revision and the live shards
                    if attempt == 3:
                        raise
                    self._current.refresh()
            raise AssertionError("unreachable")

    def _search(self, query: str | Q, limit: int, offset: int, plain: bool) -> Results:
        start = time.perf_counter()
        read = parse_plain if plain else parse
        if isinstance(query, Q):
            parsed, query = validate(query.node), query.to_text()
        else:
            parsed = read(query)
        with self._backend.snapshot() as raw:
            snap = View(raw)
            found = retrieval.search(snap, parsed, limit, offset)
            copies = [snap.copies(r.raw.stored["key"], r.raw.stored["article"], COPIES_LISTED)
                      for r in found.page]
            # nothing, or only partial matches: say why, and what to try
            tips = worth_offering(snap, suggest(snap, query, found.analysed,
                                                partial=found.partial > 0), parsed, read) \
                if found.total == found.partial else []
            shards = getattr(raw, "shards", None)  # a cluster says which shards answered
        # a plain query's function words are not highlighted: they decided nothing
        pats = patterns(retrieval.full_node(parsed, found.analysed)) \
            if found.analysed is not None else []
        hits = [Hit.from_stored(r.raw.stored, r.raw.score, highlight(r.raw.stored["text"], pats),
                                partial=r.partial, missing=list(r.missing), duplicates=dup,
                                duplicate_count=n)
                for r, (n, dup) in zip(found.page, copies, strict=True)]
        return Results(query, hits, found.total, (time.perf_counter() - start) * 1000,
                       partial=found.partial, suggestions=tips, copies=found.copies,
                       shards=shards, total_relation="eq" if found.exact else "gte")

    def explain(self, query: str | Q, hit: Hit | None = None, *,
                plain: bool = False) -> dict[str, Any]:
        """How ``query`` is read: the parsed tree, the rewrites (segmentation,
        folding, variants), the analysed tree, the plan and the engine query; with a
        ``hit``, its score broken down by clause and field."""
        if isinstance(query, Q):
            parsed, query = query.node, query.to_text()
        else:
            parsed = parse_plain(query) if plain else parse(query)
        with self._reading(), self._backend.snapshot() as raw:
            snap = View(raw)
            analysed = rewrite(parsed, vocab=snap.has_word)
            plan = snap.plan(analysed) if analysed is not None else None
            info: dict[str, Any] = {
                "query": query,
                "canonical": parsed.to_text(),
                "parsed": dump(parsed),
                "rewrites": describe_rewrites(parsed, analysed, snap.doc_frequency),
                "analysed": dump(analysed) if analysed is not None else "(nothing to search)",
                "plan": show(plan) if plan is not None else "",
                "backend": repr(self._backend.compile(plan)) if plan is not None else "",
            }
            shards = getattr(raw, "shards", None)
            if shards is not None:  # a cluster: which shards answered
                info["shards"] = shards
            if hit is not None and analysed is not None:
                info["hit"] = f"{hit.article}#{hit.passage}"
                info["score"] = hit.score
                info["clauses"] = snap.breakdown(analysed, f"{hit.article}#{hit.passage}")
        return info

    # serving (vnsearch serve) ------------------------------------------------
    def facets(self, query: str | Q, keys: Iterable[str] = ("speaker", "source", "date"),
               most: int = FACET_READ, *,
               plain: bool = False) -> tuple[dict[str, dict[str, int]], bool]:
        """Passages per speaker, outlet and month (``date`` gives ``YYYY-MM``) among the
        results of ``query`` (the passages ``search`` pages through, partial matches
        included, wire copies once), for a search page's filters. Counts the best
        ``most`` (reading a stored document each); the flag says whether that was all
        of them (exact counts) or the counts are over the best only."""
        wanted = list(keys)
        parsed = validate(query.node) if isinstance(query, Q) else (
            parse_plain(query) if plain else parse(query))
        counts: dict[str, dict[str, int]] = {k: {} for k in wanted}
        with self._reading(), self._backend.snapshot() as raw:
            found = retrieval.search(View(raw), parsed, most, 0)
        for ranked in found.page:
            stored = ranked.raw.stored
            source, date = stored.get("source"), stored.get("date")
            values = {"speaker": list(stored.get("speakers") or []),
                      "source": [source] if source else [],
                      "date": [str(date)[:7]] if date else []}
            for key in wanted:
                for value in values.get(key, []):
                    counts[key][value] = counts[key].get(value, 0) + 1
        return counts, found.exact and found.total <= len(found.page)

    def speakers(self, prefix: str = "") -> list[tuple[str, int]]:
        """Canonical speakers with their passage counts, most quoted first; ``prefix``
        matches the start of any word of the name, ignoring case and accents."""
        from search.analysis import fold

        want = fold(prefix.lower())
        counts = [(name, n) for name, n in self._backend.facet_counts("speakers")
                  if not want or any(w.startswith(want) for w in fold(name.lower()).split())
                  or fold(name.lower()).startswith(want)]
        return sorted(counts, key=lambda kv: (-kv[1], kv[0]))

    def article(self, article_id: str) -> list[StoredPassage]:
        """The passages of one article, in order (for reading a hit in context)."""
        return self._backend.passages_of(article_id)

    def sources(self) -> list[tuple[str, int]]:
        """Outlets with their passage counts, most frequent first."""

        return sorted(self._backend.facet_counts("source"), key=lambda kv: (-kv[1], kv[0]))

    def roots(self) -> list[str]:
        """The paths this index was built from (``:reindex`` goes over them again)."""
        return list(self.location.meta(self._current).roots) or [str(seeds_dir())]

    def iter_passages(self) -> Iterator[Mapping[str, Any]]:
        """Every indexed passage as stored (article, passage, text, metadata)."""
        return self._backend.iter_stored()

    def stats(self) -> dict[str, int]:
        return self._backend.stats()

    def shards(self) -> dict[str, Any] | None:
        """On a cluster, the shards this thread's last read reached (``total``,
        ``successful``, ``failed``), so figures missing a shard can say so; else None."""
        last = getattr(self._current, "last_shards", None)
        return last() if last is not None else None

    # lifecycle ---------------------------------------------------------------
    def close(self) -> None:
        for backend in [*self._retired, self._current]:
            backend.close()
        self._retired.clear()

    def __enter__(self) -> Engine:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()
