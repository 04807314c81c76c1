"""What ``vnsearch index`` may read, checked before anything is written: a path
that does not exist is a mistake to name (exit 4), not an empty index to create,
and an index never reads itself."""

from __future__ import annotations

import errno
import os
from collections.abc import Iterable
from pathlib import Path

from search.errors import UsageError


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
