"""The Whoosh backend: schema, writer, and the compiler from our AST.

Analysis is ours, not Whoosh's: documents arrive as term lists per field and
a tokenizer here only replays them with positions, so any other engine fed
the same lists sees identical terms.
"""

from __future__ import annotations

import itertools
import json
import pickle
import re
import shutil
import threading
import time
from array import array
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from whoosh import index as windex
from whoosh import query as wq
from whoosh.analysis import Composable, Token
from whoosh.codec.whoosh3 import W3Codec, W3FieldWriter
from whoosh.fields import ID, NUMERIC, STORED, TEXT, Schema
from whoosh.index import LockError
from whoosh.matching import NullMatcher, NullMatcherClass, WrappingMatcher
from whoosh.query.spans import SpanNear2
from whoosh.scoring import BM25F
from whoosh.writing import PostingPool

from search.analysis import fold
from search.backends.base import (
    COPIES_SLACK,
    FACETS,
    PassageDoc,
    RawHit,
    UnsupportedQuery,
    other_copies,
)
from search.errors import IndexBusyError
from search.indexing.lock import lock_timeout
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

# Ranking weights, tuned on tests/data/relevance (see bench/RESULTS.md).
W_EXACT = 1.0  # syllables as typed, accents included
W_FOLD = 0.45  # accent-folded syllables
W_WORD = 0.5  # a whole segmented word (optional: adds score, never matches alone)
W_TITLE = 0.3  # the article title (optional)
W_SPEAKER = 0.3  # the word names who speaks in the passage (optional)
W_DAY_MONTH = 0.5  # "ngày 7/12" for a query 7/12/2021
_FULL_DATE = re.compile(r"(\d{1,2}/\d{1,2})/\d{4}")


POOL_MB = 256  # postings held in memory before the writer spills a sorted run to disk
RUN_BATCH = 4096  # postings per pickle in a spilled run (a batch per open run in memory)
_GENERATION_FILE = re.compile(r"_?(G\d+|MAIN)[_.]")  # G1795…_x.pst, _G1795…_2.toc, G1795….tmp
SEP = "\x1f"  # joins pre-analysed terms into the one string Whoosh hands the analyzer


class PreAnalyzed(Composable):
    """Replays terms joined by ``SEP``, one per position; an empty one leaves a gap."""

    is_morph = False

    def __eq__(self, other: object) -> bool:
        return isinstance(other, PreAnalyzed)

    def __call__(self, value: Any, positions: bool = False, chars: bool = False,
                 start_pos: int = 0, mode: str = "", **kwargs: Any) -> Iterator[Token]:
        t = Token(positions, chars, mode=mode, **kwargs)
        for pos, term in enumerate(value.split(SEP), start_pos):
            if not term:
                continue
            t.text = term
            t.boost = 1.0
            t.stopped = False
            if positions:
                t.pos = pos
            yield t


class _Scaled(WrappingMatcher):
    def __init__(self, child: Any, factor: float) -> None:
        super().__init__(child)
        self.factor = factor

    def _replacement(self, newchild: Any) -> _Scaled:
        return _Scaled(newchild, self.factor)

    def supports_block_quality(self) -> bool:
        return bool(self.child.supports_block_quality())

    def max_quality(self) -> float:
        return float(self.child.max_quality()) * self.factor

    def block_quality(self) -> float:
        return float(self.child.block_quality()) * self.factor

    def score(self) -> float:
        return float(self.child.score()) * self.factor


class Scaled(wq.WrappingQuery):
    """Multiplies the child's score. Whoosh's own ``boost`` is lost on some
    compound queries (AndMaybe), and ConstantScoreQuery reads a weight of 0 as
    "unset", so boosts and filters both go through this."""

    def __init__(self, child: wq.Query, factor: float) -> None:
        super().__init__(child)
        self.factor = factor

    def _rewrap(self, child: wq.Query) -> Scaled:
        return Scaled(child, self.factor)

    def __repr__(self) -> str:
        return f"Scaled({self.child!r}, {self.factor:g})"

    def matcher(self, searcher: Any, context: Any = None) -> Any:
        m = self.child.matcher(searcher, context)
        return m if isinstance(m, NullMatcherClass) else _Scaled(m, self.factor)


class _WithOptional(WrappingMatcher):
    """Iterates the required matcher only; adds the optional one's score where both
    stand on the same document. (Whoosh's AndMaybe loses required matches when
    collected without block-max optimisation: 2,629 of 61,416 on a 10k corpus.)"""

    def __init__(self, child: Any, optional: Any) -> None:
        super().__init__(child)
        self.optional = optional

    def _replacement(self, newchild: Any) -> _WithOptional:
        return _WithOptional(newchild, self.optional)

    def copy(self) -> _WithOptional:
        return _WithOptional(self.child.copy(), self.optional.copy())

    def replace(self, minquality: float = 0) -> Any:
        if not self.child.is_active():
            return NullMatcher()
        return self

    def supports_block_quality(self) -> bool:
        return False

    def max_quality(self) -> float:
        return float(self.child.max_quality()) + (
            float(self.optional.max_quality()) if self.optional.is_active() else 0.0)

    def score(self) -> float:
        score = float(self.child.score())
        opt, doc = self.optional, self.child.id()
        if opt.is_active() and opt.id() < doc:
            opt.skip_to(doc)
        if opt.is_active() and opt.id() == doc:
            score += float(opt.score())
        return score


class WithOptional(wq.WrappingQuery):
    """Matches what ``child`` matches; ``optional`` only adds to the score."""

    def __init__(self, child: wq.Query, optional: wq.Query) -> None:
        super().__init__(child)
        self.optional = optional

    def children(self) -> list[wq.Query]:
        return [self.child, self.optional]

    def leaves(self) -> Any:
        yield from self.child.leaves()
        yield from self.optional.leaves()

    def _rewrap(self, child: wq.Query) -> WithOptional:
        return WithOptional(child, self.optional)

    def __repr__(self) -> str:
        return f"WithOptional({self.child!r}, {self.optional!r})"

    def __eq__(self, other: object) -> bool:
        return (isinstance(other, WithOptional) and self.child == other.child
                and self.optional == other.optional)

    def __hash__(self) -> int:
        return hash(self.child) ^ hash(self.optional)

    def matcher(self, searcher: Any, context: Any = None) -> Any:
        m = self.child.matcher(searcher, context)
        if isinstance(m, NullMatcherClass):
            return m
        return _WithOptional(m, self.optional.matcher(searcher, context))


def Filter(child: wq.Query) -> Scaled:  # noqa: N802 - reads as a query type
    """Restricts matches without adding to the score (speaker:, source:, date:)."""
    return Scaled(child, 0.0)


class _FieldLengths:
    """Whoosh's postings writer asks the length of a document's field once per
    posting, each a read through the column file; this reads each field's lengths
    once. Measured, 1,000 articles in one process: the writer's time 1.63 -> 1.24 ms
    a passage."""

    def __init__(self, lengths: Any) -> None:
        self._lengths = lengths
        self._count = lengths.doc_count_all()
        self._fields: dict[str, array[int]] = {}

    def doc_field_length(self, docnum: int, fieldname: str, default: int = 0) -> int | None:
        if docnum >= self._count or default != 0:
            return self._lengths.doc_field_length(docnum, fieldname, default)  # type: ignore[no-any-return]
        column = self._fields.get(fieldname)
        if column is None:
            # length + 1, 0 for Whoosh's None (a zero length byte): 4 bytes a document
            column = self._fields[fieldname] = array("I", (
                0 if n is None else n + 1
                for n in map(self._lengths.doc_field_length, range(self._count),
                             itertools.repeat(fieldname))))
        n = column[docnum]
        return None if n == 0 else n - 1

    def __getattr__(self, name: str) -> Any:
        return getattr(self._lengths, name)


class _FieldWriter(W3FieldWriter):  # type: ignore[misc]
    def add_postings(self, schema: Schema, lengths: Any, items: Any) -> None:
        super().add_postings(schema, _FieldLengths(lengths) if lengths else lengths, items)


class WriterCodec(W3Codec):  # type: ignore[misc]
    """Whoosh's own codec, with field lengths read once per segment while writing.
    Segments still record the plain codec, so the files are Whoosh's, unchanged."""

    def field_writer(self, storage: Any, segment: Any) -> _FieldWriter:
        return _FieldWriter(self, storage, segment)

    def new_segment(self, storage: Any, indexname: str) -> Any:
        return W3Codec().new_segment(storage, indexname)


class BatchedPool(PostingPool):  # type: ignore[misc]
    """Whoosh's posting pool, spilling sorted runs a batch of postings per pickle.

    A build larger than the pool's memory writes every posting to a run file and
    reads it back to merge; Whoosh pickles them one at a time. Measured, 1,000
    articles in one process: the writer's time 2.04 -> 1.63 ms a passage."""

    def _write_run(self, f: Any, items: Any) -> None:
        it = iter(items)  # a list, or a merge of runs when there are too many
        while batch := list(itertools.islice(it, RUN_BATCH)):
            pickle.dump(batch, f, pickle.HIGHEST_PROTOCOL)
        f.close()

    def _read_run(self, path: str) -> Iterator[Any]:
        f = self._open_run(path)
        try:
            while True:
                try:
                    batch = pickle.load(f)
                except EOFError:
                    return
                yield from batch
        finally:
            f.close()
            self._remove_run(path)


def _text(phrase: bool = True) -> TEXT:
    return TEXT(analyzer=PreAnalyzed(), phrase=phrase)


def schema() -> Schema:
    return Schema(
        id=ID(stored=True, unique=True),
        article=ID(stored=True),
        passage=NUMERIC(stored=True),
        # whole words only ever add score as single terms: no positions to write
        syl=_text(), fold=_text(), word=_text(phrase=False), wfold=_text(phrase=False),
        title_syl=_text(), title_fold=_text(),
        speaker=_text(), source=_text(),
        # canonical names, one term each: counted from postings, not stored documents
        speaker_name=_text(phrase=False), source_name=_text(phrase=False),
        date_lo=NUMERIC(bits=32), date_hi=NUMERIC(bits=32),
        key=ID,  # normalised text hash: the same passage in other articles
        data=STORED,  # everything a Hit needs, as one JSON-able dict
    )


class Compiler:
    """Walks our AST (never lark's tree) and builds a Whoosh query."""

    def compile(self, node: Node, field: str = "text") -> wq.Query:
        method = getattr(self, f"_{type(node).__name__.lower()}", None)
        if method is None:
            raise UnsupportedQuery(f"the Whoosh backend cannot run {type(node).__name__}")
        return method(node, field)

    # leaves -------------------------------------------------------------
    def _seq(self, fieldname: str, terms: tuple[str, ...], boost: float,
             slop: int | None = None) -> wq.Query:
        if len(terms) == 1:
            return wq.Term(fieldname, terms[0], boost=boost)
        if slop:  # ~0 is the exact phrase, as in tantivy
            near = SpanNear2([wq.Term(fieldname, t) for t in terms], slop=max(1, slop),
                             ordered=False)
            near.boost = boost
            return near
        return wq.Phrase(fieldname, list(terms), boost=boost)

    def _word(self, node: Word, field: str) -> wq.Query:
        if field == "text":
            # A word matches on its folded syllables, in sequence (one phrase: reading
            # positions is what costs); the exact-accent syllables, the whole segmented
            # word, the title and the speaker only add score. A word is one unit: it
            # scores as the mean of its syllables, so "cảnh báo" does not outweigh a
            # rarer one-syllable "Sullivan".
            n = len(node.syllables)
            match: wq.Query = self._seq("fold", node.folded, W_FOLD / n)
            if n == 1 and (m := _FULL_DATE.fullmatch(node.syllables[0])):
                match = wq.Or([match, wq.Term("syl", m.group(1), boost=W_DAY_MONTH)])
            extra: list[wq.Query] = [wq.Term("syl", s, boost=W_EXACT / n) for s in node.syllables]
            extra += [self._seq("title_syl", node.syllables, W_TITLE / n),
                      self._seq("speaker", node.folded, W_SPEAKER / n)]
            if n > 1:
                extra.append(wq.Term("word", " ".join(node.syllables), boost=W_WORD))
                extra.append(wq.Term("wfold", " ".join(node.folded), boost=W_WORD * W_FOLD))
            return WithOptional(match, wq.Or(extra))
        if field == "title":
            return wq.Or([self._seq("title_syl", node.syllables, W_EXACT),
                          self._seq("title_fold", node.folded, W_FOLD)])
        if field in ("speaker", "source"):
            return Filter(self._seq(field, node.folded, 1.0))
        if field == "article":
            return wq.Term("article", "".join(node.syllables))
        raise UnsupportedQuery(f"{field}: takes a date, not words")

    def _term(self, node: Term, field: str) -> wq.Query:
        if field == "article":
            return wq.Term("article", node.text)
        raise UnsupportedQuery("unanalysed term reached the backend")

    def _phrase(self, node: Phrase, field: str) -> wq.Query:
        word = phrase_word(node.text)
        if word is None:
            return wq.NullQuery
        syl = word.syllables
        if field in ("text", "title"):
            # every exact match is a folded match too: the exact phrase only adds score,
            # and is then checked only on the folded phrase's matches
            exact, loose = ("syl", "fold") if field == "text" else ("title_syl", "title_fold")
            return WithOptional(self._seq(loose, word.folded, W_FOLD, node.slop),
                                self._seq(exact, syl, W_EXACT, node.slop))
        return self._word(word, field)

    def _prefix(self, node: Prefix, field: str) -> wq.Query:
        text = node.text.lower()
        if field == "article":
            return wq.Prefix("article", node.text)
        if field in ("speaker", "source"):
            return Filter(wq.Prefix(field, fold(text)))
        exact, folded = ("syl", "fold") if field == "text" else ("title_syl", "title_fold")
        return wq.Or([wq.Prefix(exact, text, boost=W_EXACT),
                      wq.Prefix(folded, fold(text), boost=W_FOLD)])

    def _fuzzy(self, node: Fuzzy, field: str) -> wq.Query:
        term = fuzzy_term(node)
        dist = node.edits(term)
        if field in ("speaker", "source"):
            return Filter(wq.FuzzyTerm(field, fold(term), maxdist=dist))
        exact, folded = ("syl", "fold") if field == "text" else ("title_syl", "title_fold")
        return wq.Or([wq.FuzzyTerm(exact, term, maxdist=dist, boost=W_EXACT),
                      wq.FuzzyTerm(folded, fold(term), maxdist=dist, boost=W_FOLD)])

    def _daterange(self, node: DateRange, field: str) -> wq.Query:
        clauses: list[wq.Query] = []
        if node.start is not None:
            lo, hi = node.start.bounds()
            clauses.append(wq.NumericRange("date_lo", lo if node.include_start else hi + 1, None))
        if node.end is not None:
            lo, hi = node.end.bounds()
            clauses.append(wq.NumericRange("date_hi", None, hi if node.include_end else lo - 1))
        if not clauses:  # [* TO *]: any known date
            clauses.append(wq.NumericRange("date_lo", 0, None))
        return Filter(wq.And(clauses))

    # structure -----------------------------------------------------------
    def _field(self, node: Field, field: str) -> wq.Query:
        return self.compile(node.child, node.name)

    def _and(self, node: And, field: str) -> wq.Query:
        # proximity is not a clause here: reading positions for every match is what
        # makes Whoosh slow; the top passages are re-ranked for it instead
        return wq.And([self.compile(c, field) for c in node.children])

    def _atleast(self, node: AtLeast, field: str) -> wq.Query:
        # scores as the union; the snapshot restricts it to documents matching enough
        # children, since Whoosh's Or(minmatch=…) does not
        return wq.Or([self.compile(c, field) for c in node.children])

    def _or(self, node: Or, field: str) -> wq.Query:
        return wq.Or([self.compile(c, field) for c in node.children])

    def _not(self, node: Not, field: str) -> wq.Query:
        return wq.Not(self.compile(node.child, field))

    def _must(self, node: Must, field: str) -> wq.Query:
        return self.compile(node.child, field)

    def _boost(self, node: BoostNode, field: str) -> wq.Query:
        return Scaled(self.compile(node.child, field), node.factor)


class WhooshBackend:
    """Each thread reads through its own searcher (Whoosh searchers are not
    shared safely across threads); a searcher is re-checked for newer commits
    every ``refresh_interval`` seconds, or at once after :meth:`refresh`."""

    name = "whoosh"
    pool_mb: float = POOL_MB  # the writer's memory for postings, before it spills

    def __init__(self, ix: windex.Index, refresh_interval: float = 1.0,
                 generation: str = "MAIN") -> None:
        self._ix = ix
        self.generation = generation
        self._compiler = Compiler()
        self.refresh_interval = refresh_interval
        self._local = threading.local()
        self._epoch = 0
        self._open: list[Any] = []
        self._lock = threading.Lock()

    def refresh(self) -> None:
        """Make every thread look for a newer commit before its next search."""
        self._epoch += 1

    def _searcher(self) -> Any:
        loc, now = self._local, time.monotonic()
        current = getattr(loc, "searcher", None)
        if current is None:
            fresh = self._ix.searcher(weighting=BM25F())
        elif loc.epoch != self._epoch or now - loc.checked >= self.refresh_interval:
            fresh = current.refresh()  # itself when no newer commit exists
        else:
            return current
        if fresh is not current:
            with self._lock:
                if current is not None:
                    # refresh() handed its still-needed segments to ``fresh`` and closed
                    # the rest: closing ``current`` too would close them under ``fresh``
                    self._open.remove(current)
                self._open.append(fresh)
        loc.searcher, loc.epoch, loc.checked = fresh, self._epoch, now
        return fresh

    @classmethod
    def create(cls, path: Path, generation: str = "MAIN") -> WhooshBackend:
        """A new, empty index named ``generation``; other generations in the folder
        are untouched (a rebuild writes beside the index it replaces)."""
        path.mkdir(parents=True, exist_ok=True)
        return cls(windex.create_in(str(path), schema(), indexname=generation),
                   generation=generation)

    @classmethod
    def open(cls, path: Path, generation: str = "MAIN") -> WhooshBackend:
        return cls(windex.open_dir(str(path), indexname=generation), generation=generation)

    @staticmethod
    def drop(path: Path, generation: str) -> None:
        """Delete the files of one generation (a replaced or abandoned one)."""
        for f in path.iterdir():
            if f.name.startswith((f"{generation}_", f"_{generation}_")):
                f.unlink(missing_ok=True)
        shutil.rmtree(path / f"{generation}.tmp", ignore_errors=True)  # spilled runs

    @staticmethod
    def generations(path: Path) -> set[str]:
        """Every generation with a file here, committed or not: a build killed before
        its first commit leaves segment files and its spilled runs (gigabytes)."""
        return {m.group(1) for f in path.iterdir() if (m := _GENERATION_FILE.match(f.name))}

    def check(self) -> None:
        """Touch every segment (its documents and each field's lexicon), so a
        missing or cut file is found at open, not in the middle of a search."""
        with self._ix.searcher() as s:
            for reader, _ in s.reader().leaf_readers():
                reader.doc_count_all()
                for fieldname in ("id", "syl"):
                    next(iter(reader.lexicon(fieldname)), None)
                reader.stored_fields(0) if reader.doc_count_all() else None

    @staticmethod
    def exists(path: Path, generation: str = "MAIN") -> bool:
        """A committed generation is here (its table of contents); whether it can be
        read is for :meth:`open` to find out, so damage is reported as damage."""
        return path.is_dir() and any(path.glob(f"_{generation}_*.toc"))

    # writing -------------------------------------------------------------
    def writer(self) -> WhooshWriter:
        """The one writer (callers hold the folder's lock: see indexing.lock)."""
        timeout = lock_timeout()
        try:
            # compound=False: Whoosh opens a file of a compound segment by copying it
            # whole into memory, at every searcher (at 1.58M passages: 20 s and 8 GB to
            # a first result); separate files are read where needed
            w = self._ix.writer(timeout=timeout, limitmb=self.pool_mb, codec=WriterCodec(),
                                compound=False)
            w.pool = BatchedPool(w.pool.tempstore, w.pool.segment, limitmb=self.pool_mb)
            return WhooshWriter(w)
        except LockError:
            raise IndexBusyError(
                f"another process is writing to this index (waited {timeout:g}s); "
                "try again when it has finished") from None

    # reading -------------------------------------------------------------
    def compile(self, query: Node) -> wq.Query:
        return self._compiler.compile(query)

    def snapshot(self) -> WhooshSnapshot:
        """One consistent view of a commit, for one search (this thread's searcher)."""
        return WhooshSnapshot(self._searcher(), self._compiler)

    def iter_stored(self) -> Iterator[Mapping[str, Any]]:
        with self._ix.searcher() as s:
            for fields in s.all_stored_fields():
                yield fields["data"]

    @staticmethod
    def _first_live(s: Any) -> Iterator[int]:
        """A live passage of every article, through the article postings (a term
        stays in the lexicon after its passages are deleted, until a merge)."""
        for article in s.reader().field_terms("article"):
            n = s.document_number(article=article)
            if n is not None:
                yield n

    def articles(self) -> dict[str, tuple[str, str]]:
        """One stored document per article, not every passage: this runs at the
        start of every incremental update."""
        out: dict[str, tuple[str, str]] = {}
        with self._ix.searcher() as s:
            for n in self._first_live(s):
                data = s.stored_fields(n)["data"]
                out[data["article"]] = (data.get("path", ""), data.get("sha256", ""))
        return out

    def facet_counts(self, key: str) -> list[tuple[str, int]]:
        """Passages per name, from the postings (deleted passages not counted)."""
        field = FACETS[key]
        with self._ix.searcher() as s:
            counts = [(name, sum(1 for _ in s.document_numbers(**{field: name})))
                      for name in s.reader().field_terms(field)]
        return [(name, n) for name, n in counts if n]

    def passages_of(self, article: str) -> list[Mapping[str, Any]]:
        with self._ix.searcher() as s:
            docs = [f["data"] for f in s.documents(article=article)]
        return sorted(docs, key=lambda d: d["passage"])

    def stats(self) -> dict[str, int]:
        with self._ix.searcher() as s:
            return {"passages": s.doc_count(), "articles": sum(1 for _ in self._first_live(s))}

    def close(self) -> None:
        with self._lock:
            for s in self._open:
                s.close()
            self._open.clear()
        self._epoch += 1
        self._local = threading.local()
        self._ix.close()


class WhooshSnapshot:
    """A searcher on one commit: vocabulary look-ups and searches agree."""

    def __init__(self, searcher: Any, compiler: Compiler) -> None:
        self._s = searcher
        self._compiler = compiler

    def __enter__(self) -> WhooshSnapshot:
        return self

    def __exit__(self, *exc: object) -> None:
        pass  # the searcher belongs to the backend's thread cache

    def has_word(self, folded: str) -> bool:
        """Is ``folded`` (syllables joined by spaces) a segmented word of the index?"""
        return self._s.reader().doc_frequency("wfold", folded) > 0

    def doc_frequency(self, fieldname: str, term: str) -> int:
        return int(self._s.reader().doc_frequency(fieldname, term))

    def _at_least(self, node: AtLeast) -> set[int]:
        """Documents matching at least ``node.minimum`` children. (Whoosh's
        ``Or(minmatch=…)`` ignores minmatch and returns every document matching one.)"""
        counts: dict[int, int] = {}
        for child in node.children:
            for doc in self._s.docs_for_query(self._compiler.compile(child)):
                counts[doc] = counts.get(doc, 0) + 1
        return {doc for doc, n in counts.items() if n >= node.minimum}

    def _run(self, query: Node, limit: int | None) -> Any:
        compiled = self._compiler.compile(query)
        allowed = self._at_least(query) if isinstance(query, AtLeast) else None
        # optimize=False: one pass that scores and counts; with Whoosh's block-max
        # skipping the exact total needs the whole query run a second time
        return self._s.search(compiled, limit=limit, optimize=False, filter=allowed)

    def search(self, query: Node, limit: int, offset: int,
               exclude: set[str] | None = None) -> tuple[int, list[RawHit]]:
        results = self._run(query, None if exclude else offset + limit)
        rows = [r for r in results if not exclude or r["id"] not in exclude]
        hits = [RawHit(dict(r["data"]), float(r.score)) for r in rows[offset:offset + limit]]
        return len(rows) if exclude else len(results), hits

    def copies(self, key: str, article: str, limit: int) -> tuple[int, list[str]]:
        """``article#passage`` of the same passage text in other articles: wire copy
        can be printed hundreds of times, so only ``limit`` stored documents are read."""
        numbers = list(self._s.document_numbers(key=key))
        loaded = [self._s.stored_fields(n) for n in numbers[: limit + COPIES_SLACK]]
        return other_copies(loaded, len(numbers), article, limit)

    def ids(self, query: Node) -> set[str]:
        return {r["id"] for r in self._run(query, None)}

    def count(self, query: Node) -> int:
        return len(self._run(query, None))

    def articles(self, query: Node) -> set[str]:
        return {r["article"] for r in self._run(query, None)}

    def similar(self, fieldname: str, text: str, maxdist: int) -> list[tuple[str, int]]:
        """Indexed terms within ``maxdist`` edits of ``text``, most frequent first."""
        reader = self._s.reader()
        found = {t for t in reader.terms_within(fieldname, text, maxdist) if t != text}
        return sorted(((t, reader.doc_frequency(fieldname, t)) for t in found),
                      key=lambda x: (-x[1], x[0]))

    def score_in(self, compiled: wq.Query, doc_id: str) -> float:
        """What ``compiled`` scores on one passage (0.0 when it does not match)."""
        hits = self._s.search(compiled, filter=wq.Term("id", doc_id), limit=1)
        return float(hits[0].score) if len(hits) else 0.0

    def breakdown(self, query: Node, doc_id: str) -> list[dict[str, Any]]:
        """Per top-level clause: its score on the passage, and the raw score of
        each field-level leaf under it."""
        units = query.children if isinstance(query, And) else (query,)
        out = []
        for unit in units:
            compiled = self._compiler.compile(unit)
            leaves = [{"field": leaf.field(), "query": repr(leaf),
                       "score": round(self.score_in(leaf, doc_id), 4)}
                      for leaf in compiled.leaves() if leaf.field()]
            score = round(self.score_in(compiled, doc_id), 4)
            out.append({"clause": unit.to_text(), "score": score,
                        "fields": [x for x in leaves if x["score"] > 0]})
        return out


def encode(doc: PassageDoc) -> dict[str, Any]:
    """The Whoosh fields of a passage, built in the indexing workers: one string
    per field crosses the process boundary instead of a list of terms."""
    fields: dict[str, Any] = {k: SEP.join(t or "" for t in v) for k, v in doc.terms.items()
                              if v}
    for field, names in doc.facets().items():
        fields[field] = SEP.join(names)
    fields.update(id=doc.id, article=doc.article, passage=doc.ordinal,
                  key=doc.stored["key"], data=json.loads(json.dumps(dict(doc.stored))))
    if doc.date_lo is not None and doc.date_hi is not None:
        fields.update(date_lo=doc.date_lo, date_hi=doc.date_hi)
    return fields


class WhooshWriter:
    def __init__(self, writer: Any) -> None:
        self._w = writer

    def add(self, doc: PassageDoc) -> None:
        self._w.add_document(**encode(doc))

    def add_encoded(self, encoded: Any) -> None:
        self._w.add_document(**encoded)

    def delete_article(self, article: str) -> None:
        self._w.delete_by_term("article", article)

    def commit(self) -> None:
        self._w.commit()

    def cancel(self) -> None:
        self._w.cancel()
