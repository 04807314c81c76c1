"""Turn an article into the passage documents a backend stores.

This is where analysis meets ingest: every passage is analysed once and its
term lists are handed to the backend, which adds nothing of its own.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Sequence

from search.analysis import analyze, fold, syllable_terms
from search.backends.base import PassageDoc
from search.date_values import parse_iso
from search.ingest.abbreviations import forms
from search.ingest.model import Article
from search.schema import (
    SOURCE_FOLD,
    SOURCE_SYL,
    SPEAKER_FOLD,
    SPEAKER_SYL,
    TITLE_FOLD,
    TITLE_SYL,
    StoredPassage,
)


def name_terms(names: Sequence[str]) -> dict[str, list[str | None]]:
    """Exact and folded syllables of the speakers' names, with a gap between names
    so a phrase never spans two of them. An institution's other forms (``NHNN`` for
    ``Ngân hàng Nhà nước`` and the reverse) are indexed as names of their own, so a
    query by either form finds it."""
    exact: list[str | None] = []
    for name in [form for n in names for form in (n, *forms(n))]:
        if exact:
            exact.append(None)
        exact.extend(syllable_terms(name))
    return {SPEAKER_SYL: exact, SPEAKER_FOLD: [fold(s) if s else None for s in exact]}


def text_key(text: str) -> str:
    """The same words in the same order, whatever the Unicode form, tones or spacing:
    wire copy printed by two outlets shares this key."""
    canon = " ".join(analyze(text).syllables)  # the same tokens; cached by the indexer
    return hashlib.sha1(canon.encode("utf-8")).hexdigest()[:20]


def passage_docs(article: Article) -> Iterator[PassageDoc]:
    title = syllable_terms(article.title) if article.title else []
    title_fields = {TITLE_SYL: title, TITLE_FOLD: [fold(s) for s in title]}
    source = syllable_terms(article.source) if article.source else []
    source_fields = {SOURCE_SYL: source, SOURCE_FOLD: [fold(s) for s in source]}
    date = parse_iso(article.date) if article.date else None
    lo, hi = date.bounds() if date else (None, None)
    for p in article.passages:
        terms: dict[str, Sequence[str | None]] = dict(analyze(p.text).fields())
        terms.update(title_fields)
        terms.update(name_terms(p.speakers))
        terms.update(source_fields)
        stored: StoredPassage = {
            "article": article.id, "passage": p.ordinal, "text": p.text,
            "title": article.title, "source": article.source, "date": article.date,
            "speakers": list(p.speakers), "dates": list(p.dates),
            "path": article.path, "sha256": article.sha256, "url": article.url,
            "key": text_key(p.text),
        }
        yield PassageDoc(id=f"{article.id}#{p.ordinal}", article=article.id, ordinal=p.ordinal,
                         terms=terms, stored=stored, date_lo=lo, date_hi=hi)
