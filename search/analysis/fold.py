"""Accent folding, so that ``dam bao`` typed on a bare keyboard finds ``đảm bảo``.

NFD splits a letter from its marks, but ``đ`` is a letter of its own that NFD
leaves whole, so it is mapped explicitly.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

# đ and its look-alikes from old encodings (the eth Ð/ð, the African Ɖ/ɖ)
_LETTERS = {"đ": "d", "Đ": "D", "ð": "d", "Ð": "D", "ɖ": "d", "Ɖ": "D"}


class _FoldTable(dict[int, str]):
    """Each character's folded form, worked out the first time it is seen: NFD
    decomposes one character at a time and folding drops the combining marks it
    yields, so one ``str.translate`` over this table folds a whole passage (NFC or
    NFD) as decomposing and filtering it would, without a Python step a character."""

    def __missing__(self, cp: int) -> str:
        ch = chr(cp)
        out = _LETTERS.get(ch) or "".join(
            x for x in unicodedata.normalize("NFD", ch) if not unicodedata.combining(x))
        self[cp] = out
        return out


_TABLE = _FoldTable()


@lru_cache(maxsize=1 << 17)
def fold(text: str) -> str:
    """Remove every tone and vowel mark; map ``đ`` to ``d``. Case is kept.
    Cached: it runs once per token at indexing, and syllables repeat (Zipf)."""
    return fold_text(text)


def fold_text(text: str) -> str:
    """:func:`fold` without the cache, for whole passages that would only fill it."""
    return text.translate(_TABLE)


def has_marks(text: str) -> bool:
    """True when folding would change ``text``: the user typed accents."""
    return fold(text) != unicodedata.normalize("NFC", text)
