"""The tantivy engine: its schema, writer and snapshot, and the mapping from
plan nodes to tantivy queries, on the official bindings (Rust: far faster at scale).

Analysis stays ours: every field is fed as a pre-tokenised string (our terms,
our positions, gaps included), so every engine holds identical terms and
returns identical hit sets; only scores differ.
"""

from __future__ import annotations

import functools
import itertools
import json
import shutil
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any, TypeVar

import tantivy
from tantivy import Occur, Query

from search.backends.base import COPIES_SLACK, PassageDoc, RawHit, UnsupportedQuery, other_copies
from search.errors import StorageError
from search.plan import (
    All,
    AnyOf,
    Best,
    DateWithin,
    Filter,
    MatchAll,
    MatchNone,
    Phrase,
    Plan,
    Scale,
    Terms,
    WithExtra,
)
from search.schema import (
    ARTICLE,
    BAGS,
    DATA,
    DATE_HI,
    DATE_LO,
    FACETS,
    ID,
    KEY,
    POSITIONAL,
)

PREFIX = "tantivy-"
MAX_PERMUTED = 4  # "a b c"~N (any order) is the OR of its orders up to this many words
HEAP = 256 * 1024 * 1024
PAGE = 10_000  # stored documents read per search when going over all of them
FIRST_PASSAGES = ".*#1"  # ids of every article's first passage: one per article
AGGREGATION_BUCKETS = 65_000  # tantivy's own limit on the buckets of one aggregation
# what tantivy's messages say when its files cannot be read (it raises ValueError)
_STORAGE_MESSAGES = ("corrupt", "IO error", "open file", "does not exist")
_F = TypeVar("_F", bound=Callable[..., Any])


def storage_errors(method: _F) -> _F:
    """tantivy raises ValueError for unreadable files as for bad arguments; the
    ones about files become :class:`StorageError`."""

    @functools.wraps(method)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return method(*args, **kwargs)
        except OSError as exc:
            raise StorageError(f"{type(exc).__name__}: {exc}") from exc
        except ValueError as exc:
            if any(m in str(exc) for m in _STORAGE_MESSAGES):
                raise StorageError(str(exc)) from exc
            raise

    return wrapper  # type: ignore[return-value]


def schema() -> tantivy.Schema:
    """``search.schema``'s fields as tantivy fields."""
    sb = tantivy.SchemaBuilder()
    sb.add_text_field(ID, stored=True, tokenizer_name="raw")
    sb.add_text_field(ARTICLE, tokenizer_name="raw", fast=True)
    sb.add_text_field(KEY, stored=True, tokenizer_name="raw")
    for name in FACETS.values():  # canonical names, counted by aggregation
        sb.add_text_field(name, tokenizer_name="raw", fast=True, index_option="basic")
    for name in POSITIONAL:
        sb.add_text_field(name, tokenizer_name="raw", index_option="position")
    for name in BAGS:
        sb.add_text_field(name, tokenizer_name="raw", index_option="freq")
    sb.add_integer_field(DATE_LO, indexed=True, fast=True)
    sb.add_integer_field(DATE_HI, indexed=True, fast=True)
    sb.add_bytes_field(DATA, stored=True)
    return sb.build()


def _pretokenized(terms: Any) -> tantivy.PreTokenizedString:
    tokens = [tantivy.Token(t, pos, 0, 0) for pos, t in enumerate(terms) if t]
    return tantivy.PreTokenizedString(" ".join(t for t in terms if t), tokens)


class Mapper:
    """Plan nodes -> tantivy queries: the only query code this engine has."""

    def __init__(self, schema: tantivy.Schema) -> None:
        self.s = schema

    def _weight(self, q: Query, factor: float) -> Query:
        return q if factor == 1.0 else Query.boost_query(q, factor)

    def _should(self, qs: list[Query], minimum: int | None = None) -> Query:
        if len(qs) == 1 and not minimum:
            return qs[0]
        return Query.boolean_query([(Occur.Should, q) for q in qs],
                                   minimum_number_should_match=minimum)

    def _range(self, field: str, lo: int | None, hi: int | None) -> Query:
        return Query.range_query(self.s, field, tantivy.FieldType.Integer, lo, hi)

    def __call__(self, plan: Plan) -> Query:
        if isinstance(plan, Terms):
            return self._should([self._weight(Query.term_query(self.s, plan.field, t),
                                              plan.weight) for t in plan.terms])
        if isinstance(plan, Phrase):
            terms = plan.terms
            if plan.slop:  # within slop positions, in any order
                orders = (itertools.permutations(terms) if len(terms) <= MAX_PERMUTED
                          else [terms, tuple(reversed(terms))])
                # a span slop counts the next position as 1, tantivy's phrase slop as 0
                return self._weight(self._should([
                    Query.phrase_query(self.s, plan.field, list(o), plan.slop - 1)
                    for o in orders]), plan.weight)
            return self._weight(Query.phrase_query(self.s, plan.field, list(terms)),
                                plan.weight)
        if isinstance(plan, DateWithin):
            lo = plan.start if plan.start is not None else (0 if plan.end is None else None)
            clauses = [self._range(DATE_LO, lo, None)] if lo is not None else []
            if plan.end is not None:
                clauses.append(self._range(DATE_HI, None, plan.end))
            return Query.boolean_query([(Occur.Must, c) for c in clauses])
        if isinstance(plan, All):
            parts = [(Occur.Must, self(c)) for c in plan.must if not isinstance(c, MatchAll)]
            parts += [(Occur.MustNot, self(c)) for c in plan.exclude]
            if not any(o == Occur.Must for o, _ in parts):
                parts.append((Occur.Must, Query.all_query()))
            return Query.boolean_query(parts)
        if isinstance(plan, AnyOf):
            return self._should([self(c) for c in plan.should],
                                plan.minimum if plan.minimum > 1 else None)
        if isinstance(plan, Best):
            return Query.disjunction_max_query([self(c) for c in plan.choices], 0.0)
        if isinstance(plan, WithExtra):
            return Query.boolean_query([(Occur.Must, self(plan.required)),
                                        (Occur.Should, self(plan.extra))])
        if isinstance(plan, Scale):
            return Query.boost_query(self(plan.child), plan.factor)
        if isinstance(plan, Filter):
            return Query.const_score_query(self(plan.child), 0.0)
        if isinstance(plan, MatchAll):
            return Query.all_query()
        if isinstance(plan, MatchNone):
            return Query.empty_query()
        raise UnsupportedQuery(f"the tantivy engine cannot run {type(plan).__name__}")


class Record(Mapping[str, Any]):
    """A stored passage whose JSON is parsed on first use: the matches read past the
    page (to list each wire copy once) need only their key, article and passage."""

    __slots__ = ("_doc", "_data")

    def __init__(self, doc: tantivy.Document) -> None:
        self._doc = doc
        self._data: dict[str, Any] | None = None

    def _full(self) -> dict[str, Any]:
        if self._data is None:
            self._data = json.loads(bytes(self._doc[DATA][0]))
        return self._data

    def __getitem__(self, name: str) -> Any:
        if self._data is None and name == KEY:
            return self._doc[KEY][0]
        if self._data is None and name in ("article", "passage"):
            article, _, passage = self._doc[ID][0].rpartition("#")
            return article if name == "article" else int(passage)
        return self._full()[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._full())

    def __len__(self) -> int:
        return len(self._full())


class TantivySnapshot:
    """One searcher, one commit: vocabulary look-ups and searches agree."""

    def __init__(self, searcher: Any, mapper: Mapper) -> None:
        self._s = searcher
        self._map = mapper

    def __enter__(self) -> TantivySnapshot:
        return self

    def __exit__(self, *exc: object) -> None:
        pass

    def docs(self, query: Query, limit: int | None = None,
             offset: int = 0) -> tuple[int, list[tuple[float, Mapping[str, Any]]]]:
        """The total and one page of (score, stored record); every match without a limit."""
        n = limit if limit is not None else max(1, self._s.num_docs)
        result = self._s.search(query, limit=max(1, n), count=True, offset=offset)
        hits = [(float(score), Record(self._s.doc(addr))) for score, addr in result.hits]
        return int(result.count or 0), hits

    @storage_errors
    def doc_frequency(self, fieldname: str, term: str) -> int:
        return int(self._s.doc_freq(fieldname, term))

    @storage_errors
    def terms_with_prefix(self, fieldname: str, prefix: str) -> list[tuple[str, int]]:
        return [(t, int(df)) for t, df in self._s.terms_with_prefix(fieldname, prefix)]

    @storage_errors
    def search(self, plan: Plan, limit: int, offset: int,
               exclude: set[str] | None = None) -> tuple[int, list[RawHit]]:
        compiled = self._map(plan)
        if exclude:
            compiled = Query.boolean_query([
                (Occur.Must, compiled),
                (Occur.MustNot, Query.term_set_query(self._map.s, ID, sorted(exclude)))])
        total, hits = self.docs(compiled, limit, offset)
        return total, [RawHit(data, score) for score, data in hits]

    @storage_errors
    def ids(self, plan: Plan) -> set[str]:
        _, hits = self.docs(self._map(plan))
        return {f"{d['article']}#{d['passage']}" for _, d in hits}

    @storage_errors
    def count(self, plan: Plan) -> int:
        return self.docs(self._map(plan), 1)[0]

    @storage_errors
    def articles(self, plan: Plan) -> set[str]:
        _, hits = self.docs(self._map(plan))
        return {d["article"] for _, d in hits}

    @storage_errors
    def copies(self, key: str, article: str, limit: int) -> tuple[int, list[str]]:
        total, hits = self.docs(Query.term_query(self._map.s, KEY, key), limit + COPIES_SLACK)
        return other_copies([d for _, d in hits], total, article, limit)

    @storage_errors
    def score(self, plan: Plan, doc_id: str) -> float:
        only = Query.const_score_query(Query.term_query(self._map.s, ID, doc_id), 0.0)
        _, hits = self.docs(Query.boolean_query([(Occur.Must, self._map(plan)),
                                                 (Occur.Must, only)]), 1)
        return hits[0][0] if hits else 0.0


class TantivyBackend:
    """A generation is a folder ``tantivy-<generation>`` inside the index folder."""

    name = "tantivy"

    def __init__(self, index: tantivy.Index, folder: Path, generation: str,
                 refresh_interval: float = 1.0) -> None:
        self._ix = index
        self.folder = folder
        self.generation = generation
        self.refresh_interval = refresh_interval
        self._map = Mapper(index.schema)
        self._searcher: Any = None
        self._checked = 0.0
        self._stale = True
        self._lock = threading.Lock()

    @classmethod
    def create(cls, path: Path, generation: str = "MAIN") -> TantivyBackend:
        folder = path / f"{PREFIX}{generation}"
        folder.mkdir(parents=True, exist_ok=True)
        return cls(tantivy.Index(schema(), path=str(folder), reuse=False), folder, generation)

    @classmethod
    def open(cls, path: Path, generation: str = "MAIN") -> TantivyBackend:
        folder = path / f"{PREFIX}{generation}"
        return cls(tantivy.Index.open(str(folder)), folder, generation)

    @staticmethod
    def exists(path: Path, generation: str = "MAIN") -> bool:
        folder = path / f"{PREFIX}{generation}"
        return (folder / "meta.json").is_file()

    @staticmethod
    def drop(path: Path, generation: str) -> None:
        shutil.rmtree(path / f"{PREFIX}{generation}", ignore_errors=True)

    @staticmethod
    def generations(path: Path) -> set[str]:
        return {d.name[len(PREFIX):] for d in path.glob(f"{PREFIX}*") if d.is_dir()}

    @storage_errors
    def check(self) -> None:
        """Opening the segments is the check: a missing or cut file fails here."""
        self._searcher_now()

    def refresh(self) -> None:
        self._stale = True

    def _searcher_now(self) -> Any:
        now = time.monotonic()
        with self._lock:
            if self._searcher is None or self._stale or now - self._checked >= \
                    self.refresh_interval:
                self._ix.reload()
                self._searcher = self._ix.searcher()
                self._checked, self._stale = now, False
            return self._searcher

    @storage_errors
    def snapshot(self) -> TantivySnapshot:
        return TantivySnapshot(self._searcher_now(), self._map)

    def compile(self, plan: Plan) -> Query:
        return self._map(plan)

    def writer(self) -> TantivyWriter:
        return TantivyWriter(self._ix.writer(heap_size=HEAP, num_threads=1))

    def iter_stored(self) -> Iterator[Mapping[str, Any]]:
        """Every passage, a page at a time from one searcher: an archive of a
        million passages never sits in memory at once."""
        s = self._searcher_now()
        for offset in range(0, s.num_docs, PAGE):
            for _, addr in s.search(Query.all_query(), limit=PAGE, offset=offset).hits:
                yield json.loads(bytes(s.doc(addr)[DATA][0]))

    def _first_passages(self) -> Query:
        return Query.regex_query(self._ix.schema, ID, FIRST_PASSAGES)

    def articles(self) -> dict[str, tuple[str, str]]:
        # one stored document per article, not every passage
        _, hits = self.snapshot().docs(self._first_passages())
        return {d["article"]: (d.get("path", ""), d.get("sha256", "")) for _, d in hits}

    def facet_counts(self, key: str) -> list[tuple[str, int]]:
        field = FACETS[key]
        result = self._searcher_now().aggregate(Query.all_query(), {
            "names": {"terms": {"field": field, "size": AGGREGATION_BUCKETS}}})
        return [(b["key"], int(b["doc_count"])) for b in result["names"]["buckets"]]

    def passages_of(self, article: str) -> list[Mapping[str, Any]]:
        _, hits = self.snapshot().docs(Query.term_query(self._ix.schema, ARTICLE, article))
        return sorted((d for _, d in hits), key=lambda d: d["passage"])

    def stats(self) -> dict[str, int]:
        s = self._searcher_now()
        articles = s.search(self._first_passages(), limit=1, count=True).count
        return {"passages": int(s.num_docs), "articles": int(articles or 0)}

    def close(self) -> None:
        with self._lock:
            self._searcher = None


def encode(doc: PassageDoc) -> PassageDoc:
    """What the indexing workers hand the writer: the analysed passage itself. A
    tantivy Document pickles far larger and slower than the passage, which costs
    the writer process more than building the Document there (bench/RESULTS.md)."""
    return doc


def document(doc: PassageDoc) -> tantivy.Document:
    """The tantivy document of a passage."""
    d = tantivy.Document(**{ID: doc.id, ARTICLE: doc.article, KEY: doc.stored["key"]})
    for field, names in doc.facets().items():
        for name in names:
            d.add_text(field, name)
    for name, terms in doc.terms.items():
        if terms and any(terms):
            d.add_pre_tokenized_text(name, _pretokenized(terms))
    if doc.date_lo is not None and doc.date_hi is not None:
        d.add_integer(DATE_LO, doc.date_lo)
        d.add_integer(DATE_HI, doc.date_hi)
    d.add_bytes(DATA, json.dumps(dict(doc.stored), ensure_ascii=False).encode("utf-8"))
    return d


class TantivyWriter:
    def __init__(self, writer: Any) -> None:
        self._w = writer

    def add(self, doc: PassageDoc) -> None:
        self._w.add_document(document(doc))

    def add_encoded(self, encoded: Any) -> None:
        self._w.add_document(document(encoded))

    def delete_article(self, article: str) -> None:
        self._w.delete_documents_by_term(ARTICLE, article)

    def commit(self) -> None:
        self._w.commit()
        self._w.wait_merging_threads()

    def cancel(self) -> None:
        self._w.rollback()
