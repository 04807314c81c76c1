"""Accent folding, so that ``dam bao`` typed on a bare keyboard finds ``đảm bảo``.

NFD splits a letter from its marks, but ``đ`` is a letter of its own that NFD
leaves whole, so it is mapped explicitly.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

_LETTERS = str.maketrans({"đ": "d", "Đ": "D"})


@lru_cache(maxsize=1 << 17)
def fold(text: str) -> str:
    """Remove every tone and vowel mark; map ``đ`` to ``d``. Case is kept.
    Cached: it runs once per token at indexing, and syllables repeat (Zipf)."""
    return fold_text(text)


def fold_text(text: str) -> str:
    """:func:`fold` without the cache, for whole passages that would only fill it."""
    decomposed = unicodedata.normalize("NFD", text.translate(_LETTERS))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def has_marks(text: str) -> bool:
    """True when folding would change ``text``: the user typed accents."""
    return fold(text) != unicodedata.normalize("NFC", text)
