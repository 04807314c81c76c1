"""The date of an article, with its precision, and the dates each passage mentions.

Evidence, strongest first: metadata given with the file; a ``date YYYY-MM``
header, refined to a day by a dateline (``Ngày 8-12, …``); explicit dates in
the text (``7/12/2021``, ``tháng 12/2021``), of which the latest is taken, news
being written after the events it reports. A day-month with no year (``8.12``,
``ngày 12/2``) takes its year from the explicit dates of the same article;
after ``kể từ tháng 12/2021`` an earlier day-month (``12/2``) rolls into the
next year. With no evidence the date is None: never guessed.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from search.analysis.chains import analyze
from search.analysis.tokens import Kind
from search.dates import BadDate, DateValue, make_date, parse_iso
from search.ingest.model import Article

_SINCE = re.compile(r"(?:kể\s+)?từ\s+(?:ngày\s+|tháng\s+)?$", re.IGNORECASE)
_DATELINE = re.compile(r"^\s*Ngày\s+(\d{1,2})[-/.](\d{1,2})\b")


@dataclass(frozen=True)
class _Found:
    passage: int
    day: int | None
    month: int
    year: int | None
    since: bool


def _scan(passages: Sequence[str]) -> list[_Found]:
    found = []
    for i, text in enumerate(passages):
        for t in analyze(text).tokens:  # cached: attribution and the index reuse it
            if t.kind is not Kind.DATE:
                continue
            since = bool(_SINCE.search(text[max(0, t.start - 16) : t.start]))
            if "-" in t.text:  # ISO in running text
                v = parse_iso(t.text)
                if v and v.month:
                    found.append(_Found(i, v.day, v.month, v.year, since))
                continue
            parts = [int(x) for x in t.text.split("/")]
            if len(parts) == 3:
                found.append(_Found(i, parts[0], parts[1], parts[2], since))
            elif parts[1] > 12:  # 12/2021: month and year
                found.append(_Found(i, None, parts[0], parts[1], since))
            else:
                found.append(_Found(i, parts[0], parts[1], None, since))
    return found


def _value(f: _Found, year: int) -> DateValue | None:
    try:
        return make_date(year, f.month, f.day)
    except BadDate:
        return None


def _infer_year(f: _Found, refs: list[tuple[DateValue, bool]]) -> int | None:
    if not refs:
        return None
    ref, since = refs[-1]
    year = ref.year
    if since and (f.month, f.day or 1) < (ref.month or 1, ref.day or 1):
        year += 1
    return year


def article_dates(article: Article) -> tuple[str | None, list[list[str]]]:
    """(article date as YYYY[-MM[-DD]] or None, ISO dates mentioned per passage)."""
    texts = [p.text for p in article.passages]
    given = parse_iso(article.date) if article.date else None
    found = _scan(texts)
    refs: list[tuple[DateValue, bool]] = [(given, False)] if given else []
    resolved: list[tuple[_Found, DateValue]] = []
    for f in found:  # explicit years first, so they can anchor what comes before them
        if f.year is not None and (v := _value(f, f.year)):
            refs.append((v, f.since))
    for f in found:
        year = f.year if f.year is not None else _infer_year(f, refs)
        if year is not None and (v := _value(f, year)):
            resolved.append((f, v))
    mentioned: list[list[str]] = [[] for _ in texts]
    for f, v in resolved:
        iso = v.to_text()
        if iso not in mentioned[f.passage]:
            mentioned[f.passage].append(iso)
    if given is not None:
        date = given
        m = _DATELINE.match(texts[0]) if texts else None
        if m and given.day is None and given.month == int(m.group(2)):
            try:
                date = make_date(given.year, given.month, int(m.group(1)))
            except BadDate:
                pass
        return date.to_text(), mentioned
    if not resolved:
        return None, mentioned
    latest = max((v for _, v in resolved), key=lambda v: (v.bounds()[0], v.day is not None))
    return latest.to_text(), mentioned
