"""Attach what attribution and date extraction find to a batch of articles.

Done per batch, not per article, because short names (``Putin``) resolve to
the one full name (``Vladimir Putin``) the whole batch uses.
"""

from __future__ import annotations

import dataclasses

from search.ingest.dates import article_dates
from search.ingest.model import Article
from search.ingest.speakers import attribute, resolve_across


def annotate(articles: list[Article]) -> list[Article]:
    speakers = resolve_across([attribute([p.text for p in a.passages]) for a in articles])
    out = []
    for article, per_passage in zip(articles, speakers, strict=True):
        date, mentioned = article_dates(article)
        passages = tuple(
            dataclasses.replace(p, speakers=tuple(s), dates=tuple(d))
            for p, s, d in zip(article.passages, per_passage, mentioned, strict=True))
        out.append(dataclasses.replace(article, passages=passages, date=date))
    return out
