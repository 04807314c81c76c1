"""Where the bundled seeds and grammar are, installed or in a checkout.

A wheel carries them inside the package (``search/_data``); a checkout or an
editable install finds them at the top of the repository.
"""

from __future__ import annotations

import os
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def _find(name: str) -> Path:
    for candidate in (_PACKAGE / "_data" / name, _PACKAGE.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"the bundled {name}/ folder is missing from this installation")


def seeds_dir() -> Path:
    """The five bundled sample articles."""
    return _find("seeds")


def grammar_dir() -> Path:
    return _find("grammar")


def default_index_dir() -> Path:
    """``$VNSEARCH_INDEX``, else ``./index``."""
    return Path(os.environ.get("VNSEARCH_INDEX") or "index")
