"""The Xapian backend: schema, writer and lifecycle of one local Xapian database
(``xapian_read.py`` reads it, ``xapian_query.py`` maps plan nodes,
``xapian_cluster.py`` opens shards over the network through the same reads).

Analysis stays ours: every field's terms are fed with their positions (gaps
kept), filter fields as boolean terms (no weight, no document length), the
article's date interval as two value slots, and the stored record as the
document's data. A generation is a folder ``xapian-<generation>``.
"""

from __future__ import annotations

import json
import threading
import time
from pathlib import Path
from typing import Any

import xapian

from search.backends.base import GenerationFolders, PassageDoc
from search.backends.xapian_query import (
    FIRST,
    PREFIXES,
    SLOT_HI,
    SLOT_LO,
    SLOT_ORDER,
    sortable,
    term,
)
from search.backends.xapian_read import (
    MAX_TERM,
    ReadSide,
    Storage,
    XapianSnapshot,
    stored_record,
)
from search.schema import ARTICLE, ID, KEY, POSITIONAL


def document(doc: PassageDoc) -> xapian.Document:
    """The Xapian document of a passage."""
    d = xapian.Document()
    d.add_boolean_term(term(ID, doc.id))
    d.add_boolean_term(term(ARTICLE, doc.article))
    d.add_boolean_term(term(KEY, doc.stored["key"]))
    if doc.ordinal == 1:
        d.add_boolean_term(FIRST)
    for field, names in doc.facets().items():
        for name in names:
            t = term(field, name)
            if len(t.encode()) <= MAX_TERM:
                d.add_boolean_term(t)
    for field, terms in doc.terms.items():
        prefix = PREFIXES[field]
        positional = field in POSITIONAL
        for pos, text in enumerate(terms, 1):  # a None is a gap: its position stays empty
            if not text or len(text.encode()) + len(prefix) > MAX_TERM:
                continue
            if positional:
                d.add_posting(prefix + text, pos)
            else:
                d.add_term(prefix + text)
    if doc.date_lo is not None and doc.date_hi is not None:
        d.add_value(SLOT_LO, sortable(doc.date_lo))
        d.add_value(SLOT_HI, sortable(doc.date_hi))
    d.add_value(SLOT_ORDER, f"{doc.article}\x00{doc.ordinal:08d}".encode())
    d.set_data(json.dumps(dict(doc.stored), ensure_ascii=False).encode("utf-8"))
    return d


def encode(doc: PassageDoc) -> PassageDoc:
    """What the indexing workers hand the writer: a xapian.Document cannot be pickled."""
    return doc


class XapianBackend(GenerationFolders, ReadSide):
    """Each thread reads through its own database handle (Xapian's are not shared
    across threads); a handle is reopened at the latest revision every
    ``refresh_interval`` seconds, or at once after :meth:`refresh`."""

    name = "xapian"
    PREFIX, MARKER = "xapian-", "iamglass"

    def __init__(self, folder: Path, generation: str, fresh: bool = False,
                 refresh_interval: float = 1.0) -> None:
        self.folder = folder
        self.generation = generation
        self.refresh_interval = refresh_interval
        self.storage = Storage(str(folder.parent))
        self._fresh = fresh  # created by this process: nothing to keep atomic yet
        self._local = threading.local()
        self._epoch = 0

    @classmethod
    def create(cls, path: Path, generation: str = "MAIN") -> XapianBackend:
        folder = cls.generation_folder(path, generation)
        path.mkdir(parents=True, exist_ok=True)
        xapian.WritableDatabase(str(folder), xapian.DB_CREATE_OR_OVERWRITE).close()
        return cls(folder, generation, fresh=True)

    @classmethod
    def open(cls, path: Path, generation: str = "MAIN") -> XapianBackend:
        folder = cls.generation_folder(path, generation)
        xapian.Database(str(folder)).close()  # fails now, not at the first search
        return cls(folder, generation)

    def check(self) -> None:
        """Touch every table (documents, terms, positions, values, data), so a
        missing or cut file is found at open, not in the middle of a search."""
        db = xapian.Database(str(self.folder))
        try:
            if db.get_doccount() and not db.has_positions():
                # Xapian reads a missing position table as "no positions": phrases
                # would quietly match nothing
                raise xapian.DatabaseCorruptError("the position table is missing")
            for item in db.allterms():
                t = item.term
                break
            else:
                return
            for posting in db.postlist(t):
                doc = db.get_document(posting.docid)
                stored_record(doc.get_data())
                doc.get_value(SLOT_LO)
                for entry in doc.termlist():
                    if entry.term.startswith(b"S:"):
                        list(db.positionlist(posting.docid, entry.term))
                        break
                break
        finally:
            db.close()

    def refresh(self) -> None:
        self._epoch += 1

    def _db(self) -> xapian.Database:
        loc, now = self._local, time.monotonic()
        db = getattr(loc, "db", None)
        if db is None:
            db = loc.db = xapian.Database(str(self.folder))
        elif loc.epoch != self._epoch or now - loc.checked >= self.refresh_interval:
            db.reopen()
        else:
            return db
        loc.epoch, loc.checked = self._epoch, now
        return db

    def snapshot(self) -> XapianSnapshot:
        with self.storage.reading():
            return XapianSnapshot(self._db(), self.storage)

    def open_writer(self) -> XapianWriter:
        from search.errors import IndexBusyError

        try:
            db = xapian.WritableDatabase(str(self.folder), xapian.DB_OPEN)
        except xapian.DatabaseLockError:
            raise IndexBusyError("another process is writing to this index; try again "
                                 "when it has finished") from None
        return XapianWriter(db, atomic=not self._fresh)

    def close(self) -> None:
        db = getattr(self._local, "db", None)
        if db is not None:
            db.close()
        self._local = threading.local()


class XapianWriter:
    """Adds and deletes passages; :meth:`commit` makes them visible at once.

    Updating an existing index runs in one transaction (Xapian commits nothing
    before its end, so a killed run leaves the previous revision). A new
    generation may commit along the way, which bounds the writer's memory; no one
    reads it before the engine switches to it."""

    def __init__(self, db: xapian.WritableDatabase, atomic: bool = True) -> None:
        self._w = db
        self._atomic = atomic
        if atomic:
            db.begin_transaction(True)

    def add(self, doc: PassageDoc) -> None:
        self._w.add_document(document(doc))

    def add_encoded(self, encoded: Any) -> None:
        self._w.add_document(document(encoded))

    def delete_article(self, article: str) -> None:
        self._w.delete_document(term("article", article))

    def commit(self) -> None:
        if self._atomic:
            self._w.commit_transaction()
        else:
            self._w.commit()
        self._w.close()

    def cancel(self) -> None:
        try:
            if self._atomic:
                self._w.cancel_transaction()
        finally:
            self._w.close()
