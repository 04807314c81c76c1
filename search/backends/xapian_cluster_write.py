"""Writing to a cluster's shards so that readers never see part of a run.

``xapian-tcpsrv`` commits what a writer had sent when its client disconnects, even
one killed by ``kill -9`` (a Xapian 1.4 transaction lives in the client only). So:

- every passage a run writes carries the run's id (a boolean term), and before the
  first one reaches a shard, the shard notes the run as *pending* (committed alone);
  readers leave out the passages of a pending run (:func:`hidden`);
- a run deletes nothing while it runs: the articles it replaces or removes are
  listed, and the commit that ends the run (clearing the pending mark) records them
  as the shard's *cleanup*; from that commit on, readers leave out every passage of
  those articles not written by that run, and the same writer then deletes them and
  clears the cleanup;
- the next run first finishes a cleanup left behind, then deletes the passages of a
  pending run (one that never committed), which readers never saw.

A shard a run does not change is not written at all: a run that changes nothing
commits nothing, and replicas do not fall behind for it.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import xapian

from search.backends.base import PassageDoc
from search.backends.xapian import document
from search.backends.xapian_query import term
from search.errors import ClusterError

META_KEY = "vnsearch"  # Xapian metadata: the index's own record, in every shard
REVISION_KEY = "vnsearch.revision"  # runs committed so far: remote databases hide Xapian's
PENDING_KEY = "vnsearch.pending"  # the id of a run under way (or killed) on this shard
CLEANUP_KEY = "vnsearch.cleanup"  # {"run", "articles": [...] or "*"}: a committed run's
# replaced articles, whose older passages are hidden until deleted
RUN_PREFIX = "XR:"  # boolean term: the run that wrote a passage
EVERY_ARTICLE = "*"  # a rebuild's cleanup: every passage not of the run


def _reason(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}"


def _cleanup_of(db: xapian.Database) -> dict[str, Any] | None:
    raw = db.get_metadata(CLEANUP_KEY)
    if not raw:
        return None
    data = json.loads(raw)
    return data if isinstance(data, dict) else None


def hidden(db: xapian.Database) -> list[xapian.Query]:
    """What readers of this shard must not see: the passages of a pending run, and
    those a committed run replaced but has not yet deleted."""
    parts = []
    pending = db.get_metadata(PENDING_KEY).decode()
    if pending:
        parts.append(xapian.Query(RUN_PREFIX + pending))
    cleanup = _cleanup_of(db)
    if cleanup:
        articles = cleanup.get("articles")
        old = xapian.Query.MatchAll if articles == EVERY_ARTICLE else xapian.Query(
            xapian.Query.OP_OR, [xapian.Query(term("article", a)) for a in articles or ()])
        parts.append(xapian.Query(xapian.Query.OP_AND_NOT, old,
                                  xapian.Query(RUN_PREFIX + str(cleanup["run"]))))
    return parts


def _finish_cleanup(w: xapian.WritableDatabase) -> None:
    """Delete the passages a committed run replaced (those not of the run), and say
    so in the same commit."""
    cleanup = _cleanup_of(w)
    if cleanup is None:
        return
    run = RUN_PREFIX + str(cleanup["run"])
    keep = {p.docid for p in w.postlist(run)} if w.term_exists(run) else set()
    articles = cleanup.get("articles")
    lists = [""] if articles == EVERY_ARTICLE else [term("article", a) for a in articles or ()]
    for name in lists:
        if name and not w.term_exists(name):
            continue
        for docid in [p.docid for p in w.postlist(name)]:
            if docid not in keep:
                w.delete_document(docid)
    w.set_metadata(CLEANUP_KEY, "")
    w.commit()


def recover(w: xapian.WritableDatabase) -> None:
    """Put right what an earlier run left on this shard: finish its cleanup if it
    committed, delete its passages if it did not (readers never saw them)."""
    _finish_cleanup(w)
    pending = w.get_metadata(PENDING_KEY).decode()
    if pending:
        w.delete_document(RUN_PREFIX + pending)
        w.set_metadata(PENDING_KEY, "")
        w.commit()


class ClusterWriter:
    """One remote writer per shard primary (see the module's docstring). Shards commit
    one after another; a run stopped between two commits leaves the committed shards
    whole, and the same command run again finishes the job (it compares hashes)."""

    def __init__(self, writers: list[tuple[Any, xapian.WritableDatabase]],
                 clear: bool = False) -> None:
        self._writers = writers
        self.meta: dict[str, Any] | None = None
        self.run = uuid.uuid4().hex
        self._begun: set[int] = set()  # shards this run writes to
        self._replaced: list[set[str]] = [set() for _ in writers]
        self._clear = clear
        with self._calls():
            for _, w in writers:
                recover(w)
        if clear:
            for n in range(len(writers)):
                self._begin(n)

    @contextmanager
    def _calls(self, shard: Any = None) -> Iterator[None]:
        """A shard that fails mid-run: cancel everything and name it, no traceback."""
        try:
            yield
        except xapian.Error as exc:
            name = shard.name if shard else "a shard"
            where = f" ({shard.primary})" if shard else ""
            self.cancel()
            raise ClusterError(f"{name}: its primary{where} failed during indexing "
                               f"({_reason(exc)}); this run was cancelled, and the next "
                               "run repairs what it left") from None

    def _begin(self, n: int) -> None:
        """The pending mark is durable before this run sends the shard anything."""
        if n in self._begun:
            return
        shard, w = self._writers[n]
        with self._calls(shard):
            w.set_metadata(PENDING_KEY, self.run)
            w.commit()
            w.begin_transaction(True)
        self._begun.add(n)

    def _route(self, article: str) -> int:
        from search.backends.xapian_cluster import shard_of

        return shard_of(article, len(self._writers))

    def add(self, doc: PassageDoc) -> None:
        n = self._route(doc.article)
        self._begin(n)
        d = document(doc)
        d.add_boolean_term(RUN_PREFIX + self.run)
        shard, w = self._writers[n]
        with self._calls(shard):
            w.add_document(d)

    def add_encoded(self, encoded: Any) -> None:
        self.add(encoded)

    def delete_article(self, article: str) -> None:
        n = self._route(article)
        self._begin(n)
        self._replaced[n].add(article)

    def commit(self) -> None:
        done: list[str] = []
        for n, (shard, w) in enumerate(self._writers):
            try:
                meta = json.dumps(self.meta, ensure_ascii=False) if self.meta else None
                if meta is not None and w.get_metadata(META_KEY).decode() != meta:
                    self._begin(n)
                if n not in self._begun:  # nothing changes here: nothing to commit
                    w.close()
                    continue
                revision = int(w.get_metadata(REVISION_KEY) or 0) + 1
                w.set_metadata(REVISION_KEY, str(revision))
                if meta is not None:
                    w.set_metadata(META_KEY, meta)
                if self._clear or self._replaced[n]:
                    w.set_metadata(CLEANUP_KEY, json.dumps({"run": self.run, "articles": (
                        EVERY_ARTICLE if self._clear else sorted(self._replaced[n]))}))
                w.set_metadata(PENDING_KEY, "")
                w.commit_transaction()
                _finish_cleanup(w)
                w.close()
            except (xapian.Error, ClusterError) as exc:
                self.cancel()
                raise ClusterError(
                    f"{shard.name}: its primary ({shard.primary}) failed while committing "
                    f"({_reason(exc)}); committed: {', '.join(done) or 'none'}; run the same "
                    "index command again when it is back to finish") from None
            done.append(shard.name)
        self._writers = []

    def cancel(self) -> None:
        """Discard the run where the primary still answers (the pending mark then
        goes too); a shard that does not is repaired by the next run."""
        for n, (_, w) in enumerate(self._writers):
            if n in self._begun:
                try:
                    w.cancel_transaction()
                    w.set_metadata(PENDING_KEY, "")
                    w.commit()
                except xapian.Error:
                    pass
            try:
                w.close()
            except xapian.Error:
                pass
        self._writers = []
