"""Whoosh's own extension points, used where its defaults work against us.

Each class names the Whoosh behaviour it works around. Nothing here knows our
schema or our queries: the Whoosh engine module (``whoosh.py``) uses them.
"""

from __future__ import annotations

import itertools
import os
import pickle
import struct
import zlib
from array import array
from collections.abc import Iterator
from typing import Any

from whoosh import query as wq
from whoosh.analysis import Composable, Token
from whoosh.codec.whoosh3 import W3Codec, W3FieldWriter
from whoosh.fields import Schema
from whoosh.matching import NullMatcher, NullMatcherClass, UnionMatcher, WrappingMatcher
from whoosh.writing import PostingPool

from search.backends.base import FileErrors
from search.errors import StorageError

RUN_BATCH = 4096  # postings per pickle in a spilled run (a batch per open run in memory)
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


def filtered(child: wq.Query) -> Scaled:
    """Restricts matches without adding to the score (speaker:, source:, date:)."""
    return Scaled(child, 0.0)


class _FieldLengths:
    """Whoosh's postings writer asks the length of a document's field once per
    posting, each a read through the column file; this reads each field's lengths
    once (figures in bench/RESULTS.md)."""

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


class _FieldWriter(W3FieldWriter):
    def add_postings(self, schema: Schema, lengths: Any, items: Any) -> None:
        super().add_postings(schema, _FieldLengths(lengths) if lengths else lengths, items)


class WriterCodec(W3Codec):
    """Whoosh's own codec, with field lengths read once per segment while writing.
    Segments still record the plain codec, so the files are Whoosh's, unchanged."""

    def field_writer(self, storage: Any, segment: Any) -> _FieldWriter:
        return _FieldWriter(self, storage, segment)

    def new_segment(self, storage: Any, indexname: str) -> Any:
        return W3Codec().new_segment(storage, indexname)


class BatchedPool(PostingPool):
    """Whoosh's posting pool, spilling sorted runs a batch of postings per pickle.

    A build larger than the pool's memory writes every posting to a run file and
    reads it back to merge; Whoosh pickles them one at a time, which made the
    runs four times larger and slower to write and read."""

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




class _Best(UnionMatcher):
    """Whoosh's DisjunctionMaxMatcher scores a sub-matcher that stands on another
    document (it never compares ids), and its ``replace`` drops both sides when one
    is exhausted: this one scores the best sub-matcher on the current document."""

    def copy(self) -> _Best:
        return _Best(self.a.copy(), self.b.copy())

    def replace(self, minquality: float = 0) -> Any:
        a_active, b_active = self.a.is_active(), self.b.is_active()
        if not (a_active or b_active):
            return NullMatcher()
        if not a_active:
            return self.b.replace(minquality)
        if not b_active:
            return self.a.replace(minquality)
        return self

    def supports_block_quality(self) -> bool:
        return False

    def max_quality(self) -> float:
        return max(float(self.a.max_quality()), float(self.b.max_quality()))

    def score(self) -> float:
        a, b = self.a, self.b
        if not a.is_active():
            return float(b.score())
        if not b.is_active():
            return float(a.score())
        if a.id() != b.id():
            return float(a.score() if a.id() < b.id() else b.score())
        return max(float(a.score()), float(b.score()))


class BestOf(wq.CompoundQuery):
    """Matches any subquery; scores the best one matching the document."""

    JOINT = " BEST "

    def matcher(self, searcher: Any, context: Any = None) -> Any:
        ms = [m for m in (q.matcher(searcher, context) for q in self.subqueries)
              if not isinstance(m, NullMatcherClass)]
        if not ms:
            return NullMatcher()
        while len(ms) > 1:
            ms = [_Best(ms[i], ms[i + 1]) if i + 1 < len(ms) else ms[i]
                  for i in range(0, len(ms), 2)]
        return ms[0]




def _in_whoosh(exc: BaseException) -> bool:
    tb, last = exc.__traceback__, None
    while tb is not None:
        last, tb = tb.tb_frame.f_code.co_filename, tb.tb_next
    return last is not None and f"{os.sep}whoosh{os.sep}" in last


def _file_error(exc: BaseException) -> StorageError | None:
    """Whoosh reports unreadable or cut files as whatever its reading code trips
    on (EOFError, struct.error, KeyError…): anything raised inside Whoosh while
    reading is the files' fault, and becomes :class:`StorageError`."""
    if isinstance(exc, OSError | EOFError | struct.error | zlib.error) or (
            isinstance(exc, Exception) and _in_whoosh(exc)):
        return StorageError(f"{type(exc).__name__}: {exc}")
    return None


storage_errors = FileErrors(_file_error)
