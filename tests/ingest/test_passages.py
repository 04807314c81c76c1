"""Cutting an article into passages: the text kept as written (NFD stays NFD)."""

from __future__ import annotations

from search.ingest.passages import build_article


def test_build_article_keeps_nfd_text() -> None:
    import unicodedata

    raw = unicodedata.normalize("NFD", "Đoạn một có dấu.\nĐoạn hai.")
    a = build_article("x", raw)
    assert a.passages[0].text == raw.splitlines()[0]
