"""The tantivy backend: the same documents and the same query tree as the
Whoosh backend, on the official tantivy bindings (Rust: far faster at scale).

Analysis stays ours: every field is fed as a pre-tokenised string (our terms,
our positions, gaps included), so both backends hold identical terms and
return identical hit sets; only scores differ.
"""

from __future__ import annotations

import itertools
import json
import re
import shutil
import threading
import time
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import tantivy
from tantivy import Occur, Query

from search.analysis import fold
from search.backends.base import (
    COPIES_SLACK,
    FACETS,
    PassageDoc,
    RawHit,
    UnsupportedQuery,
    other_copies,
)
from search.backends.whoosh import (
    _FULL_DATE,
    W_DAY_MONTH,
    W_EXACT,
    W_FOLD,
    W_SPEAKER,
    W_TITLE,
    W_WORD,
)
from search.query.ast import (
    And,
    AtLeast,
    DateRange,
    Field,
    Fuzzy,
    Must,
    Node,
    Not,
    Or,
    Phrase,
    Prefix,
    Term,
    Word,
)
from search.query.ast import Boost as BoostNode
from search.query.rewrite import fuzzy_term, phrase_word

POSITIONAL = ("syl", "fold", "title_syl", "title_fold", "speaker", "source")
WORDS = ("word", "wfold")
PREFIX = "tantivy-"
MAX_PERMUTED = 4  # "a b c"~N (any order) is the OR of its orders up to this many words
HEAP = 256 * 1024 * 1024
PAGE = 10_000  # stored documents read per search when going over all of them
FIRST_PASSAGES = ".*#1"  # ids of every article's first passage: one per article
AGGREGATION_BUCKETS = 65_000  # tantivy's own limit on the buckets of one aggregation


def schema() -> tantivy.Schema:
    sb = tantivy.SchemaBuilder()
    sb.add_text_field("id", stored=True, tokenizer_name="raw")
    sb.add_text_field("article", tokenizer_name="raw", fast=True)
    sb.add_text_field("key", tokenizer_name="raw")
    for name in FACETS.values():  # canonical names, counted by aggregation
        sb.add_text_field(name, tokenizer_name="raw", fast=True, index_option="basic")
    for name in POSITIONAL:
        sb.add_text_field(name, tokenizer_name="raw", index_option="position")
    for name in WORDS:
        sb.add_text_field(name, tokenizer_name="raw", index_option="freq")
    sb.add_integer_field("date_lo", indexed=True, fast=True)
    sb.add_integer_field("date_hi", indexed=True, fast=True)
    sb.add_bytes_field("data", stored=True)
    return sb.build()


def _pretokenized(terms: Any) -> tantivy.PreTokenizedString:
    tokens = [tantivy.Token(t, pos, 0, 0) for pos, t in enumerate(terms) if t]
    return tantivy.PreTokenizedString(" ".join(t for t in terms if t), tokens)


class Compiler:
    """Our AST -> tantivy queries, clause for clause as the Whoosh compiler."""

    def __init__(self, schema: tantivy.Schema) -> None:
        self.s = schema

    def compile(self, node: Node, field: str = "text") -> Query:
        method = getattr(self, f"_{type(node).__name__.lower()}", None)
        if method is None:
            raise UnsupportedQuery(f"the tantivy backend cannot run {type(node).__name__}")
        return method(node, field)

    # helpers ------------------------------------------------------------------------
    def _weight(self, q: Query, factor: float) -> Query:
        return q if factor == 1.0 else Query.boost_query(q, factor)

    def _any(self, qs: list[Query], minimum: int | None = None) -> Query:
        if len(qs) == 1 and not minimum:
            return qs[0]
        return Query.boolean_query([(Occur.Should, q) for q in qs],
                                   minimum_number_should_match=minimum)

    def _filter(self, q: Query) -> Query:
        return Query.const_score_query(q, 0.0)

    def _seq(self, field: str, terms: tuple[str, ...], boost: float,
             slop: int | None = None) -> Query:
        if len(terms) == 1:
            return self._weight(Query.term_query(self.s, field, terms[0]), boost)
        if slop:  # within slop positions, in any order
            orders = (itertools.permutations(terms) if len(terms) <= MAX_PERMUTED
                      else [terms, tuple(reversed(terms))])
            # Whoosh's span slop counts the next position as 1, tantivy's as 0
            return self._weight(self._any([Query.phrase_query(self.s, field, list(o), slop - 1)
                                          for o in orders]), boost)
        return self._weight(Query.phrase_query(self.s, field, list(terms)), boost)

    # leaves -------------------------------------------------------------------------
    def _word(self, node: Word, field: str) -> Query:
        if field == "text":
            n = len(node.syllables)
            match = self._seq("fold", node.folded, W_FOLD / n)
            if n == 1 and (m := _FULL_DATE.fullmatch(node.syllables[0])):
                match = self._any([match, self._weight(
                    Query.term_query(self.s, "syl", m.group(1)), W_DAY_MONTH)])
            extra = [self._weight(Query.term_query(self.s, "syl", x), W_EXACT / n)
                     for x in node.syllables]
            extra += [self._seq("title_syl", node.syllables, W_TITLE / n),
                      self._seq("speaker", node.folded, W_SPEAKER / n)]
            if n > 1:
                extra.append(self._weight(Query.term_query(self.s, "word",
                                                          " ".join(node.syllables)), W_WORD))
                extra.append(self._weight(Query.term_query(self.s, "wfold",
                                                          " ".join(node.folded)),
                                         W_WORD * W_FOLD))
            return Query.boolean_query([(Occur.Must, match), (Occur.Should, self._any(extra))])
        if field == "title":
            return self._any([self._seq("title_syl", node.syllables, W_EXACT),
                              self._seq("title_fold", node.folded, W_FOLD)])
        if field in ("speaker", "source"):
            return self._filter(self._seq(field, node.folded, 1.0))
        if field == "article":
            return Query.term_query(self.s, "article", "".join(node.syllables))
        raise UnsupportedQuery(f"{field}: takes a date, not words")

    def _term(self, node: Term, field: str) -> Query:
        if field == "article":
            return Query.term_query(self.s, "article", node.text)
        raise UnsupportedQuery("unanalysed term reached the backend")

    def _phrase(self, node: Phrase, field: str) -> Query:
        word = phrase_word(node.text)
        if word is None:
            return Query.empty_query()
        syl, folded = word.syllables, word.folded
        if field in ("text", "title"):
            # every exact match is a folded match too: the exact phrase only adds score,
            # and is then checked only on the folded phrase's matches
            exact, loose = ("syl", "fold") if field == "text" else ("title_syl", "title_fold")
            return Query.boolean_query([
                (Occur.Must, self._seq(loose, folded, W_FOLD, node.slop)),
                (Occur.Should, self._seq(exact, syl, W_EXACT, node.slop))])
        return self._word(Word(syl, folded, True), field)

    def _prefix(self, node: Prefix, field: str) -> Query:
        text = node.text.lower()
        if field == "article":
            return Query.regex_query(self.s, "article", re.escape(node.text) + ".*")
        if field in ("speaker", "source"):
            return self._filter(Query.regex_query(self.s, field, re.escape(fold(text)) + ".*"))
        exact, folded = ("syl", "fold") if field == "text" else ("title_syl", "title_fold")
        return self._any([
            self._weight(Query.regex_query(self.s, exact, re.escape(text) + ".*"), W_EXACT),
            self._weight(Query.regex_query(self.s, folded, re.escape(fold(text)) + ".*"),
                        W_FOLD)])

    def _fuzzy(self, node: Fuzzy, field: str) -> Query:
        term = fuzzy_term(node)
        dist = node.edits(term)
        # Levenshtein with transpositions counted as two edits, as Whoosh counts them
        if field in ("speaker", "source"):
            return self._filter(Query.fuzzy_term_query(self.s, field, fold(term), dist, False))
        exact, folded = ("syl", "fold") if field == "text" else ("title_syl", "title_fold")
        return self._any([
            self._weight(Query.fuzzy_term_query(self.s, exact, term, dist, False), W_EXACT),
            self._weight(Query.fuzzy_term_query(self.s, folded, fold(term), dist, False),
                        W_FOLD)])

    def _daterange(self, node: DateRange, field: str) -> Query:
        clauses = []
        if node.start is not None:
            lo, hi = node.start.bounds()
            clauses.append(Query.range_query(self.s, "date_lo", tantivy.FieldType.Integer,
                                             lo if node.include_start else hi + 1, None))
        if node.end is not None:
            lo, hi = node.end.bounds()
            clauses.append(Query.range_query(self.s, "date_hi", tantivy.FieldType.Integer,
                                             None, hi if node.include_end else lo - 1))
        if not clauses:
            clauses.append(Query.range_query(self.s, "date_lo", tantivy.FieldType.Integer, 0,
                                             None))
        return self._filter(Query.boolean_query([(Occur.Must, c) for c in clauses]))

    # structure ------------------------------------------------------------------------
    def _field(self, node: Field, field: str) -> Query:
        return self.compile(node.child, node.name)

    def _and(self, node: And, field: str) -> Query:
        parts = [(Occur.MustNot, self.compile(c.child, field)) if isinstance(c, Not)
                 else (Occur.Must, self.compile(c, field)) for c in node.children]
        if all(o == Occur.MustNot for o, _ in parts):
            parts.append((Occur.Must, Query.all_query()))
        return Query.boolean_query(parts)

    def _or(self, node: Or, field: str) -> Query:
        return self._any([self.compile(c, field) for c in node.children])

    def _not(self, node: Not, field: str) -> Query:
        return Query.boolean_query([(Occur.Must, Query.all_query()),
                                    (Occur.MustNot, self.compile(node.child, field))])

    def _must(self, node: Must, field: str) -> Query:
        return self.compile(node.child, field)

    def _boost(self, node: BoostNode, field: str) -> Query:
        return Query.boost_query(self.compile(node.child, field), node.factor)

    def _atleast(self, node: AtLeast, field: str) -> Query:
        return self._any([self.compile(c, field) for c in node.children], node.minimum)


class TantivySnapshot:
    """One searcher, one commit: vocabulary look-ups and searches agree."""

    def __init__(self, searcher: Any, compiler: Compiler) -> None:
        self._s = searcher
        self._c = compiler

    def __enter__(self) -> TantivySnapshot:
        return self

    def __exit__(self, *exc: object) -> None:
        pass

    def _docs(self, query: Query, limit: int | None = None,
              offset: int = 0) -> tuple[int, list[tuple[float, Mapping[str, Any]]]]:
        n = limit if limit is not None else max(1, self._s.num_docs)
        result = self._s.search(query, limit=max(1, n), count=True, offset=offset)
        hits = [(float(score), json.loads(bytes(self._s.doc(addr)["data"][0])))
                for score, addr in result.hits]
        return int(result.count or 0), hits

    def has_word(self, folded: str) -> bool:
        return self._s.doc_freq("wfold", folded) > 0

    def doc_frequency(self, fieldname: str, term: str) -> int:
        return int(self._s.doc_freq(fieldname, term))

    def search(self, query: Node, limit: int, offset: int,
               exclude: set[str] | None = None) -> tuple[int, list[RawHit]]:
        compiled = self._c.compile(query)
        if exclude:
            compiled = Query.boolean_query([
                (Occur.Must, compiled),
                (Occur.MustNot, Query.term_set_query(self._c.s, "id", sorted(exclude)))])
        total, hits = self._docs(compiled, limit, offset)
        return total, [RawHit(data, score) for score, data in hits]

    def ids(self, query: Node) -> set[str]:
        _, hits = self._docs(self._c.compile(query))
        return {f"{d['article']}#{d['passage']}" for _, d in hits}

    def count(self, query: Node) -> int:
        return self._docs(self._c.compile(query), 1)[0]

    def articles(self, query: Node) -> set[str]:
        _, hits = self._docs(self._c.compile(query))
        return {d["article"] for _, d in hits}

    def similar(self, fieldname: str, text: str, maxdist: int) -> list[tuple[str, int]]:
        from search.retrieval.highlight import edit_distance

        if not text:
            return []
        found = [(t, int(df)) for t, df in self._s.terms_with_prefix(fieldname, text[0])
                 if t != text and edit_distance(t, text, maxdist) <= maxdist]
        return sorted(found, key=lambda x: (-x[1], x[0]))

    def copies(self, key: str, article: str, limit: int) -> tuple[int, list[str]]:
        total, hits = self._docs(Query.term_query(self._c.s, "key", key), limit + COPIES_SLACK)
        return other_copies([d for _, d in hits], total, article, limit)

    def breakdown(self, query: Node, doc_id: str) -> list[dict[str, Any]]:
        units = query.children if isinstance(query, And) else (query,)
        only = Query.const_score_query(Query.term_query(self._c.s, "id", doc_id), 0.0)
        out = []
        for unit in units:
            q = Query.boolean_query([(Occur.Must, self._c.compile(unit)), (Occur.Must, only)])
            _, hits = self._docs(q, 1)
            out.append({"clause": unit.to_text(), "score": round(hits[0][0], 4) if hits else 0.0,
                        "fields": []})
        return out


class TantivyBackend:
    """A generation is a folder ``tantivy-<generation>`` inside the index folder."""

    name = "tantivy"

    def __init__(self, index: tantivy.Index, folder: Path, generation: str,
                 refresh_interval: float = 1.0) -> None:
        self._ix = index
        self.folder = folder
        self.generation = generation
        self.refresh_interval = refresh_interval
        self._compiler = Compiler(index.schema)
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

    def check(self) -> None:
        self._searcher_now().num_docs  # noqa: B018 - opening the segments is the check

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

    def snapshot(self) -> TantivySnapshot:
        return TantivySnapshot(self._searcher_now(), self._compiler)

    def compile(self, query: Node) -> Query:
        return self._compiler.compile(query)

    def writer(self) -> TantivyWriter:
        return TantivyWriter(self._ix.writer(heap_size=HEAP, num_threads=1), self._ix.schema)

    def iter_stored(self) -> Iterator[Mapping[str, Any]]:
        """Every passage, a page at a time from one searcher: an archive of a
        million passages never sits in memory at once."""
        s = self._searcher_now()
        for offset in range(0, s.num_docs, PAGE):
            for _, addr in s.search(Query.all_query(), limit=PAGE, offset=offset).hits:
                yield json.loads(bytes(s.doc(addr)["data"][0]))

    def _first_passages(self) -> Query:
        return Query.regex_query(self._ix.schema, "id", FIRST_PASSAGES)

    def articles(self) -> dict[str, tuple[str, str]]:
        # one stored document per article, not every passage
        _, hits = self.snapshot()._docs(self._first_passages())  # noqa: SLF001 - same module
        return {d["article"]: (d.get("path", ""), d.get("sha256", "")) for _, d in hits}

    def facet_counts(self, key: str) -> list[tuple[str, int]]:
        field = FACETS[key]
        result = self._searcher_now().aggregate(Query.all_query(), {
            "names": {"terms": {"field": field, "size": AGGREGATION_BUCKETS}}})
        return [(b["key"], int(b["doc_count"])) for b in result["names"]["buckets"]]

    def passages_of(self, article: str) -> list[Mapping[str, Any]]:
        snap = self.snapshot()
        _, hits = snap._docs(Query.term_query(self._ix.schema, "article", article))  # noqa: SLF001
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
    tantivy Document pickles ten times larger and twenty times slower (measured:
    17 passages, 307 KB and 7.5 ms against 33 KB and 0.4 ms), which cost more in
    the writer process than building it there (1,000 articles: 847 against 1,567
    passages/s)."""
    return doc


def document(doc: PassageDoc) -> tantivy.Document:
    """The tantivy document of a passage."""
    d = tantivy.Document(id=doc.id, article=doc.article, key=doc.stored["key"])
    for field, names in doc.facets().items():
        for name in names:
            d.add_text(field, name)
    for name, terms in doc.terms.items():
        if terms and any(terms):
            d.add_pre_tokenized_text(name, _pretokenized(terms))
    if doc.date_lo is not None and doc.date_hi is not None:
        d.add_integer("date_lo", doc.date_lo)
        d.add_integer("date_hi", doc.date_hi)
    d.add_bytes("data", json.dumps(dict(doc.stored), ensure_ascii=False).encode("utf-8"))
    return d


class TantivyWriter:
    def __init__(self, writer: Any, schema: tantivy.Schema) -> None:
        self._w = writer

    def add(self, doc: PassageDoc) -> None:
        self._w.add_document(document(doc))

    def add_encoded(self, encoded: Any) -> None:
        self._w.add_document(document(encoded))

    def delete_article(self, article: str) -> None:
        self._w.delete_documents_by_term("article", article)

    def commit(self) -> None:
        self._w.commit()
        self._w.wait_merging_threads()

    def cancel(self) -> None:
        self._w.rollback()
