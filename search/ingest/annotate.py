"""Attach what attribution and date extraction find to articles.

Per article (in worker processes): in-article speakers and dates. Across the
corpus (in the writer): a one-word name (``Putin``) becomes the one full name
(``Vladimir Putin``) the corpus uses, when there is exactly one.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable

from search.analysis import fold
from search.analysis.fold import has_marks
from search.ingest.article_dates import article_dates
from search.ingest.mentions import is_country, is_person_name
from search.ingest.model import Article
from search.ingest.names import family_names
from search.ingest.speakers import attribute


def annotate_one(article: Article) -> Article:
    speakers = attribute([p.text for p in article.passages], article.title)
    date, mentioned = article_dates(article)
    passages = tuple(
        dataclasses.replace(p, speakers=tuple(s), dates=tuple(d))
        for p, s, d in zip(article.passages, speakers, mentioned, strict=True))
    return dataclasses.replace(article, passages=passages, date=date)


class NameRegistry:
    """Persons' full names seen so far, by their last syllable (``Putin``, ``Chính``)
    and their first (``Tập`` for ``Tập Cận Bình``, ``Kishida`` for ``Kishida Fumio``:
    East Asian names keep the family name first), folded."""

    def __init__(self, names: Iterable[str] = ()) -> None:
        self.by_last: dict[str, set[str]] = {}
        self.by_first: dict[str, set[str]] = {}
        for n in names:
            self.add(n)

    def add(self, name: str) -> None:
        # a Vietnamese given name ("Tuấn") is shared by too many people to stand for
        # one of them corpus-wide: those are resolved within their article only
        if is_person_name(name) and name.split()[0].lower() not in family_names():
            parts = name.split()
            self.by_last.setdefault(fold(parts[-1].lower()), set()).add(name)
            # by its first syllable only where that may be a family name written first:
            # three syllables ("Tập Cận Bình") or none marked ("Kishida Fumio"); "Hồng"
            # of the actress "Hồng Vân" is not the defendant "Hồng" of another article
            if len(parts) >= 3 or not any(map(has_marks, parts)):
                self.by_first.setdefault(fold(parts[0].lower()), set()).add(name)

    def learn(self, article: Article) -> None:
        for p in article.passages:
            for s in p.speakers:
                self.add(s)

    def names(self) -> list[str]:
        return sorted(n for group in self.by_last.values() for n in group)

    @staticmethod
    def needs(speakers: Iterable[str]) -> bool:
        """A one-word name waits for the whole corpus before it is resolved."""
        return any(" " not in s for s in speakers)

    def resolve(self, speakers: Iterable[str]) -> tuple[str, ...]:
        out: list[str] = []
        for s in speakers:
            r = s
            if " " not in s and not is_country(s):
                key = fold(s.lower())
                cands = self.by_last.get(key) or self.by_first.get(key, set())
                r = next(iter(cands)) if len(cands) == 1 else s
            if r not in out:
                out.append(r)
        return tuple(out)


def annotate(articles: list[Article]) -> list[Article]:
    """A batch at once (tests, small inputs): per article, then across the batch."""
    done = [annotate_one(a) for a in articles]
    registry = NameRegistry()
    for a in done:
        registry.learn(a)
    return [dataclasses.replace(a, passages=tuple(
        dataclasses.replace(p, speakers=registry.resolve(p.speakers)) for p in a.passages))
        for a in done]
