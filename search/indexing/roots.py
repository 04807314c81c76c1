"""Where an index may be created, and what ``vnsearch index`` may read, checked
before anything is written: a typo in ``--index`` must not scatter index files
among a user's own, a path to index that does not exist is a mistake to name (exit
4), not an empty index to create, and an index never reads itself."""

from __future__ import annotations

import errno
import os
from collections.abc import Iterable
from pathlib import Path

from search.backends import installed_engines
from search.errors import UsageError
from search.indexing.lock import LOCK_FILE
from search.indexing.meta import META_FILE


def check_roots(roots: Iterable[Path], index: Path | None) -> None:
    """Raise :class:`FileNotFoundError` for a root that does not exist and
    :class:`UsageError` for one that is the index folder ``index`` or inside it (a
    folder that holds the index is fine: the index is left out of the walk)."""
    for root in roots:
        if not os.path.lexists(root):
            raise FileNotFoundError(errno.ENOENT, "No such file or directory "
                                    "(nothing was indexed or created)", str(root))
        if index is not None and Path(os.path.realpath(root)).is_relative_to(
                os.path.realpath(index)):
            raise UsageError(f"{root} is the index folder {index} or inside it: an index does "
                             "not index itself; give the folders of your articles")


def is_index(path: Path) -> bool:
    """Does ``path`` hold an index (or the remains of a build of one)?"""
    if not path.is_dir():
        return False
    if (path / META_FILE).exists():
        return True
    return any(cls.generations(path) for cls in installed_engines())


def check_index_folder(path: Path) -> None:
    """An index is created only where nothing exists yet (a missing path or an
    empty folder): a typo in ``--index`` must not scatter index files among a
    user's own (``--index /``, ``--index ~/Documents``). Raise :class:`UsageError`
    for anything else that is not an index."""
    if path.exists() and not path.is_dir():
        raise UsageError(f"{path} is a file, not an index folder; choose another --index")
    if path.is_dir() and not is_index(path):
        try:
            others = [p.name for p in path.iterdir() if p.name != LOCK_FILE]
        except OSError as exc:
            raise UsageError(f"cannot read {path} ({exc.strerror}); choose another --index") \
                from None
        if others:
            raise UsageError(
                f"{path} is a folder that is not a vnsearch index ({len(others)} other "
                "entries in it); nothing was written there: choose a new or empty folder "
                "with --index")
