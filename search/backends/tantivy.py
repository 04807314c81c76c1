"""The tantivy engine: its schema, writer and snapshot, and the mapping from
plan nodes to tantivy queries, on the official bindings (Rust: far faster at scale).

Analysis stays ours: every field is fed as a pre-tokenised string (our terms,
our positions, gaps included), so every engine holds identical terms and
returns identical hit sets; only scores differ.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator, Mapping
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any, cast

import tantivy
from tantivy import Occur, Query

from search.backends.base import (
    Backend,
    FileErrors,
    GenerationFolders,
    PassageDoc,
    Record,
    Snapshot,
)
from search.backends.mapping import PlanMapper
from search.errors import StorageError
from search.plan import Plan
from search.plan import nodes as n
from search.schema import ARTICLE, BAGS, DATA, DATE_HI, DATE_LO, FACETS, ID, KEY, POSITIONAL

HEAP = 256 * 1024 * 1024
FIRST_PASSAGES = ".*#1"  # ids of every article's first passage: one per article
AGGREGATION_BUCKETS = 65_000  # tantivy's own limit on the buckets of one aggregation
# what tantivy's messages say when its files cannot be read (it raises ValueError)
_STORAGE_MESSAGES = ("corrupt", "IO error", "open file", "does not exist")


def _file_error(exc: BaseException) -> StorageError | None:
    """tantivy raises ValueError for unreadable files as for bad arguments; the
    ones about files become :class:`StorageError`."""
    if isinstance(exc, OSError):
        return StorageError(f"{type(exc).__name__}: {exc}")
    if isinstance(exc, ValueError) and any(m in str(exc) for m in _STORAGE_MESSAGES):
        return StorageError(str(exc))
    return None


storage_errors = FileErrors(_file_error)


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


class Mapper(PlanMapper[Query]):
    """Plan nodes -> tantivy queries: the only query code this engine has."""

    engine = "tantivy"

    def __init__(self, schema: tantivy.Schema) -> None:
        self.s = schema

    @staticmethod
    def _weight(q: Query, factor: float) -> Query:
        return q if factor == 1.0 else Query.boost_query(q, factor)

    @staticmethod
    def _should(qs: list[Query], minimum: int | None = None) -> Query:
        if len(qs) == 1 and not minimum:
            return qs[0]
        return Query.boolean_query([(Occur.Should, q) for q in qs],
                                   minimum_number_should_match=minimum)

    def terms(self, node: n.Terms) -> Query:
        return self._should([self._weight(Query.term_query(self.s, node.field, t), node.weight)
                             for t in node.terms])

    def phrase(self, node: n.Phrase) -> Query:
        return self._weight(Query.phrase_query(self.s, node.field, list(node.terms)),
                            node.weight)

    def near(self, node: n.Near) -> Query:  # both orders; tantivy's slop counts the next as 0
        pair: list[str | tuple[int, str]] = [node.first, node.second]
        return self._weight(self._should([
            Query.phrase_query(self.s, node.field, order, node.within - 1)
            for order in (pair, pair[::-1])]), node.weight)

    def range(self, node: n.Range) -> Query:
        return self.filter(Query.range_query(self.s, node.field, tantivy.FieldType.Integer,
                                             node.lo, node.hi))

    def passages(self, node: n.Passages) -> Query:
        return self.filter(Query.term_set_query(self.s, ID, sorted(node.ids)))

    def first_passages(self) -> Query:
        return Query.regex_query(self.s, ID, FIRST_PASSAGES)

    def match_all(self) -> Query:
        return Query.all_query()

    def match_none(self) -> Query:
        return Query.empty_query()

    def all_of(self, must: list[Query], exclude: list[Query]) -> Query:
        return Query.boolean_query([(Occur.Must, q) for q in must or [Query.all_query()]]
                                   + [(Occur.MustNot, q) for q in exclude])

    def any_of(self, should: list[Query], minimum: int) -> Query:
        return self._should(should, minimum if minimum > 1 else None)

    def best(self, choices: list[Query]) -> Query:
        return Query.disjunction_max_query(choices, 0.0)

    def with_extra(self, required: Query, extra: Query) -> Query:
        return Query.boolean_query([(Occur.Must, required), (Occur.Should, extra)])

    def scale(self, child: Query, factor: float) -> Query:
        return Query.boost_query(child, factor)

    def filter(self, child: Query) -> Query:
        return Query.const_score_query(child, 0.0)


class Lazy(Mapping[str, Any]):
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


class TantivySnapshot(Snapshot):
    """One searcher, one commit: vocabulary look-ups and searches agree."""

    native_at_least = True  # a boolean query's minimum_number_should_match, at any depth

    def __init__(self, searcher: Any, mapper: Mapper) -> None:
        self._s = searcher
        self._map = mapper

    def reading(self) -> AbstractContextManager[None]:
        return storage_errors

    def compile(self, plan: Plan) -> Query:
        return self._map(plan)

    def matches(self, query: Query, limit: int | None, offset: int = 0,
                scored: bool = True) -> tuple[int, list[tuple[float, Record]]]:
        n = limit if limit is not None else max(1, self._s.num_docs)
        result = self._s.search(query, limit=max(1, n), count=True, offset=offset)
        hits = [(float(score), cast(Record, Lazy(self._s.doc(addr))))
                for score, addr in result.hits]
        return int(result.count or 0), hits

    def count_compiled(self, query: Query) -> int:
        return int(self._s.search(query, limit=1, count=True).count or 0)

    def size(self) -> int:
        return int(self._s.num_docs)

    @storage_errors
    def doc_frequency(self, fieldname: str, term: str) -> int:
        return int(self._s.doc_freq(fieldname, term))

    @storage_errors
    def terms_with_prefix(self, fieldname: str, prefix: str) -> list[tuple[str, int]]:
        return [(t, int(df)) for t, df in self._s.terms_with_prefix(fieldname, prefix)]


class TantivyBackend(GenerationFolders, Backend):
    """A generation is a folder ``tantivy-<generation>`` inside the index folder."""

    name = "tantivy"
    PREFIX, MARKER = "tantivy-", "meta.json"

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
        folder = cls.generation_folder(path, generation)
        folder.mkdir(parents=True, exist_ok=True)
        return cls(tantivy.Index(schema(), path=str(folder), reuse=False), folder, generation)

    @classmethod
    def open(cls, path: Path, generation: str = "MAIN") -> TantivyBackend:
        folder = cls.generation_folder(path, generation)
        return cls(tantivy.Index.open(str(folder)), folder, generation)

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

    def open_writer(self) -> TantivyWriter:
        return TantivyWriter(self._ix.writer(heap_size=HEAP, num_threads=1))

    def facet_counts(self, key: str) -> list[tuple[str, int]]:
        field = FACETS[key]
        result = self._searcher_now().aggregate(Query.all_query(), {
            "names": {"terms": {"field": field, "size": AGGREGATION_BUCKETS}}})
        return [(b["key"], int(b["doc_count"])) for b in result["names"]["buckets"]]

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
