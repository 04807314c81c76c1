"""A cluster of Xapian shards served by ``xapian-tcpsrv``, named by a TOML file:

    timeout = 5                      # seconds per shard call (default 5)
    [[shard]]
    name = "s0"
    primary = "127.0.0.1:8100"       # xapian-tcpsrv --writable DIR
    replicas = ["127.0.0.1:8200"]    # optional: xapian-tcpsrv over a replica DIR

Writing routes each article by a stable hash of its id to one shard's primary.
Reading opens one copy of every shard (the primary, else a live replica) as one
combined ``xapian.Database``: its term statistics are global, so scores equal
those of one local index holding the same passages. A shard with no live copy
is left out and reported (partial results), never silently.

Everything the next indexing run needs (article -> path and hash, the speaker
names, the roots) is in the shards themselves, so any machine holding the
cluster file can run it.
"""

from __future__ import annotations

import hashlib
import json
import threading
import time
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import xapian

from search.backends.base import Sharded
from search.backends.xapian_cluster_write import (
    META_KEY,
    REVISION_KEY,
    ClusterWriter,
    _reason,
    hidden,
)
from search.backends.xapian_read import ReadSide, Storage, XapianSnapshot
from search.errors import ClusterError, IndexDamagedError, SearchError, ShardLostError
from search.plan import FirstPassages

DEFAULT_TIMEOUT = 5.0
DEFAULT_MAX_LAG = 1  # revisions a replica may be behind its primary before status warns


def shard_of(article: str, shards: int) -> int:
    """The shard an article lives on: stable across runs, machines and Python versions."""
    digest = hashlib.blake2b(article.encode("utf-8"), digest_size=8).digest()
    return int.from_bytes(digest, "big") % shards


@dataclass(frozen=True, slots=True)
class Shard:
    name: str
    primary: str
    replicas: tuple[str, ...] = ()

    @property
    def copies(self) -> tuple[str, ...]:
        return (self.primary, *self.replicas)


@dataclass(frozen=True, slots=True)
class ClusterConfig:
    path: Path
    shards: tuple[Shard, ...]
    timeout: float = DEFAULT_TIMEOUT
    max_lag: int = DEFAULT_MAX_LAG  # revisions; a replica further behind is flagged

    @classmethod
    def load(cls, path: str | Path) -> ClusterConfig:
        path = Path(path)
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise ClusterError(f"no cluster file at {path}") from None
        except (OSError, tomllib.TOMLDecodeError) as exc:
            raise ClusterError(f"cannot read the cluster file {path}: {exc}") from None
        shards = []
        for n, s in enumerate(data.get("shard") or [], 1):
            if not isinstance(s, dict) or not s.get("primary"):
                raise ClusterError(f"{path}: shard {n} needs a primary = \"HOST:PORT\"")
            shard = Shard(str(s.get("name") or f"s{n - 1}"), str(s["primary"]),
                          tuple(str(r) for r in s.get("replicas") or ()))
            for copy in shard.copies:
                check_address(copy, f"{path}: shard {shard.name}")
            shards.append(shard)
        if not shards:
            raise ClusterError(f"{path}: no [[shard]] listed")
        max_lag = data.get("max_lag", DEFAULT_MAX_LAG)
        if isinstance(max_lag, bool) or not isinstance(max_lag, int) or max_lag < 0:
            raise ClusterError(f"{path}: max_lag must be a whole number of revisions (0 or "
                               f"more), not {max_lag!r}")
        return cls(path, tuple(shards), float(data.get("timeout") or DEFAULT_TIMEOUT),
                   max_lag)


def check_address(copy: str, where: str) -> None:
    """``HOST:PORT`` with a port a server can listen on, or :class:`ClusterError`
    naming the bad address (a typo is the user's to fix, not a crash)."""
    host, colon, port = copy.rpartition(":")
    if not colon or not port.isdigit() or not 1 <= int(port) <= 65535:
        raise ClusterError(f"{where}: {copy!r} is not an address HOST:PORT (a port "
                           "from 1 to 65535, e.g. \"127.0.0.1:8100\")")


def _address(copy: str) -> tuple[str, int]:
    host, _, port = copy.rpartition(":")
    return host or "127.0.0.1", int(port)


def open_copy(copy: str, timeout: float) -> xapian.Database:
    host, port = _address(copy)
    ms = max(1, int(timeout * 1000))
    return xapian.remote_open(host, port, ms, ms)


def open_primary(shard: Shard, timeout: float) -> xapian.WritableDatabase:
    host, port = _address(shard.primary)
    ms = max(1, int(timeout * 1000))
    try:
        return xapian.remote_open_writable(host, port, ms, ms)
    except xapian.DatabaseLockError:
        raise ClusterError(f"shard {shard.name}: another run is writing through its primary "
                           f"{shard.primary}; try again when it has finished") from None
    except xapian.Error as exc:
        raise ClusterError(f"shard {shard.name}: its primary {shard.primary} does not answer "
                           f"({_reason(exc)}); indexing needs every primary, and nothing was "
                           "written") from None


class ClusterStorage(Storage):
    def error(self, exc: xapian.Error) -> SearchError:
        if isinstance(exc, xapian.NetworkError):  # NetworkTimeoutError too
            return ShardLostError(f"a shard of {self.location} stopped answering "
                                  f"({_reason(exc)})")
        return IndexDamagedError(f"a shard of {self.location} cannot be read ({_reason(exc)}); "
                                 f"rebuild it with: vnsearch index --rebuild --index "
                                 f"{self.location}")


@dataclass
class Opened:
    """One combined database over a copy of each live shard, and who was left out."""

    db: xapian.Database
    total: int
    failed: list[dict[str, str]] = field(default_factory=list)
    hidden: list[xapian.Query] = field(default_factory=list)  # see xapian_cluster_write
    used: dict[str, str] = field(default_factory=dict)  # shard -> the copy read

    def shards(self) -> dict[str, Any]:
        return {"total": self.total, "successful": self.total - len(self.failed),
                "failed": list(self.failed)}


class ClusterSnapshot(XapianSnapshot):
    def __init__(self, opened: Opened, storage: Storage) -> None:
        super().__init__(opened.db, storage, opened.hidden)
        self.opened = opened

    @property
    def shards(self) -> dict[str, Any]:
        return self.opened.shards()


class ClusterBackend(ReadSide, Sharded):
    """The same reads as a local Xapian index, over every shard at once."""

    name = "xapian"
    cluster = True

    def __init__(self, config: ClusterConfig, refresh_interval: float = 1.0) -> None:
        self.config = config
        self.generation = "cluster"
        self.refresh_interval = refresh_interval
        self.storage = ClusterStorage(str(config.path))
        self.rebuilding = False
        self._local = threading.local()
        self._epoch = 0

    @classmethod
    def open(cls, path: str | Path) -> ClusterBackend:
        return cls(ClusterConfig.load(path))

    # reading ---------------------------------------------------------------------------
    def _combine(self, primaries_only: bool = False) -> Opened:
        combined = xapian.Database()
        opened = Opened(combined, len(self.config.shards))
        for shard in self.config.shards:
            reasons = []
            for copy in shard.copies[:1] if primaries_only else shard.copies:
                try:
                    db = open_copy(copy, self.config.timeout)
                    db.get_doccount()
                    hide = hidden(db)
                except (xapian.Error, ValueError) as exc:
                    reasons.append(f"{copy}: {_reason(exc)}")
                    continue
                combined.add_database(db)
                opened.hidden.extend(hide)
                opened.used[shard.name] = copy
                break
            else:
                opened.failed.append({"shard": shard.name, "reason": "; ".join(reasons)})
        if not opened.used:
            raise ClusterError(f"no shard of {self.config.path} answers: " + "; ".join(
                f"{f['shard']}: {f['reason']}" for f in opened.failed))
        return opened

    def refresh(self) -> None:
        self._epoch += 1

    def _opened(self) -> Opened:
        loc, now = self._local, time.monotonic()
        opened = getattr(loc, "opened", None)
        # a shard left out is tried again at the next refresh, not at every search (a
        # hung one costs the whole timeout each time)
        if opened is None or loc.epoch != self._epoch or \
                now - loc.checked >= self.refresh_interval:
            if opened is not None:
                opened.db.close()
            opened = loc.opened = self._combine()
            loc.epoch, loc.checked = self._epoch, now
        return opened

    def snapshot(self) -> ClusterSnapshot:
        return ClusterSnapshot(self._opened(), self.storage)

    def last_shards(self) -> dict[str, Any] | None:
        """Which shards the last read of this thread reached (None: no read yet)."""
        opened = getattr(self._local, "opened", None)
        return opened.shards() if opened is not None else None

    def check(self) -> None:
        self._opened()

    def close(self) -> None:
        opened = getattr(self._local, "opened", None)
        if opened is not None:
            opened.db.close()
        self._local = threading.local()

    # the cluster's own record, kept in every shard ------------------------------------------
    def read_meta(self) -> dict[str, Any]:
        opened = self._combine()
        try:
            raw = opened.db.get_metadata(META_KEY)  # the first live shard's copy
        finally:
            opened.db.close()
        try:
            data = json.loads(raw) if raw else {}
        except ValueError:
            data = {}
        return data if isinstance(data, dict) else {}

    def articles(self) -> dict[str, tuple[str, str]]:
        """What is indexed now, read from the primaries (replicas may lag): the start
        of an indexing run, which needs every primary anyway."""
        self.writer(clear=False).cancel()  # repairs what a killed run left, first
        if self.rebuilding:
            return {}
        opened = self._combine(primaries_only=True)
        try:
            if opened.failed:
                f = opened.failed[0]
                raise ClusterError(f"shard {f['shard']}: its primary does not answer "
                                   f"({f['reason']}); indexing needs every primary, and "
                                   "nothing was written")
            with self.storage.reading():
                snap = ClusterSnapshot(opened, self.storage)
                return {d["article"]: (d.get("path", ""), d.get("sha256", ""))
                        for d in snap.records(FirstPassages())}
        finally:
            opened.db.close()

    def status(self) -> list[dict[str, Any]]:
        """Every copy of every shard: reachable, passages, revision (runs committed so
        far); a replica also its ``lag`` behind its primary (when both answer) and
        ``behind``: more than ``max_lag`` revisions."""
        rows = []
        for shard in self.config.shards:
            primary: dict[str, Any] = {}
            for role, copy in [("primary", shard.primary)] + [("replica", r)
                                                               for r in shard.replicas]:
                row: dict[str, Any] = {"shard": shard.name, "role": role, "address": copy}
                try:
                    db = open_copy(copy, self.config.timeout)
                    row.update(reachable=True, passages=int(db.get_doccount()),
                               revision=int(db.get_metadata(REVISION_KEY) or 0))
                    db.close()
                except xapian.Error as exc:
                    row.update(reachable=False, reason=_reason(exc))
                if role == "primary":
                    primary = row
                elif row["reachable"] and primary.get("reachable"):
                    row["lag"] = max(0, primary["revision"] - row["revision"])
                    row["behind"] = row["lag"] > self.config.max_lag
                rows.append(row)
        return rows

    # writing ---------------------------------------------------------------------------------
    def open_writer(self) -> ClusterWriter:
        return self.writer()

    def writer(self, clear: bool | None = None) -> ClusterWriter:
        """One writer over every primary; with ``clear`` (default: a rebuild) the run
        replaces every passage: at its commit the older ones are hidden from readers,
        then deleted (``xapian_cluster_write``)."""
        writers: list[tuple[Shard, xapian.WritableDatabase]] = []
        try:
            for shard in self.config.shards:
                writers.append((shard, open_primary(shard, self.config.timeout)))
        except BaseException:
            for _, w in writers:
                w.close()
            raise
        return ClusterWriter(writers, clear=self.rebuilding if clear is None else clear)

    def write_meta(self, meta: dict[str, Any]) -> None:
        w = self.writer(clear=False)
        w.meta = meta
        w.commit()
