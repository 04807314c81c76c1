"""Text in the other Unicode form: pasted and crawled text arrives in NFD as often
as in NFC, and every step must treat both alike."""

from __future__ import annotations

import unicodedata


def nfd(text: str) -> str:
    """``text`` decomposed: base letters followed by their combining marks."""
    return unicodedata.normalize("NFD", text)
