"""Turn an article into the passage documents a backend stores.

This is where analysis meets ingest: every passage is analysed once and its
term lists are handed to the backend, which adds nothing of its own.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Sequence

from search.analysis import analyze, fold, syllable_terms
from search.backends.base import PassageDoc
from search.dates import parse_iso
from search.ingest.model import Article


def folded_names(names: Sequence[str]) -> list[str | None]:
    """Folded syllables of several names, with a gap between names so a
    phrase never spans two of them."""
    out: list[str | None] = []
    for name in names:
        if out:
            out.append(None)
        out.extend(fold(s) for s in syllable_terms(name))
    return out


def text_key(text: str) -> str:
    """The same words in the same order, whatever the Unicode form, tones or spacing:
    wire copy printed by two outlets shares this key."""
    canon = " ".join(analyze(text).syllables)  # the same tokens; cached by the indexer
    return hashlib.sha1(canon.encode("utf-8")).hexdigest()[:20]


def passage_docs(article: Article) -> Iterator[PassageDoc]:
    title = syllable_terms(article.title) if article.title else []
    title_fields = {"title_syl": title, "title_fold": [fold(s) for s in title]}
    source = folded_names([article.source]) if article.source else []
    date = parse_iso(article.date) if article.date else None
    lo, hi = date.bounds() if date else (None, None)
    for p in article.passages:
        terms: dict[str, Sequence[str | None]] = dict(analyze(p.text).fields())
        terms.update(title_fields)
        terms["speaker"] = folded_names(p.speakers)
        terms["source"] = source
        stored = {
            "article": article.id, "passage": p.ordinal, "text": p.text,
            "title": article.title, "source": article.source, "date": article.date,
            "speakers": list(p.speakers), "dates": list(p.dates),
            "path": article.path, "sha256": article.sha256, "url": article.url,
            "key": text_key(p.text),
        }
        yield PassageDoc(id=f"{article.id}#{p.ordinal}", article=article.id, ordinal=p.ordinal,
                         terms=terms, stored=stored, date_lo=lo, date_hi=hi)
