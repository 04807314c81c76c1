"""Cut an article's text into passages and read the metadata it carries.

A passage is one paragraph (one line). Lines that are not prose are dropped:
media-player residue (``0:00 / 0:00``), a paragraph repeated verbatim (photo
captions printed twice), the title line and a final credit line. Metadata
found in the text itself: a ``date YYYY-MM[-DD]`` header, a title (a short
first line without final punctuation), the outlet (``(PLVN) -`` lead or a
closing ``Theo Tuổi trẻ``).
"""

from __future__ import annotations

import re

from search.analysis.controls import strip_controls
from search.analysis.normalize import normalize
from search.ingest.model import Article, Passage
from search.ingest.sources import credit_line, lead_source

_PLAYER = re.compile(r"^\d{1,2}:\d{2}(?::\d{2})?(?:\s*/\s*\d{1,2}:\d{2}(?::\d{2})?)?$")
_DATE_HEADER = re.compile(r"^\s*date\s+(\d{4}-\d{2}(?:-\d{2})?)\b\s*", re.IGNORECASE)
_FINAL_PUNCT = tuple('.!?…:;"”»)')
TITLE_MAX_CHARS = 160


def _looks_like_title(line: str, rest: list[str]) -> bool:
    return bool(rest) and len(line) <= TITLE_MAX_CHARS and not line.endswith(_FINAL_PUNCT)


def _same_title(a: str, b: str) -> bool:
    return " ".join(normalize(a).lower().split()) == " ".join(normalize(b).lower().split())


def build_article(article_id: str, text: str, *, path: str = "", sha256: str = "",
                  given_title: str | None = None) -> Article:
    """Passages and text-borne metadata of one article. With ``given_title`` (from
    metadata), a title-like first line is dropped only when it is that title:
    otherwise it is the article's first paragraph."""
    lines = [line.strip() for line in strip_controls(text).splitlines()]
    lines = [line for line in lines if line and not _PLAYER.match(line)]
    date = None
    if lines and (m := _DATE_HEADER.match(lines[0])):
        date = m.group(1)
        lines[0] = lines[0][m.end() :].strip()
        lines = [line for line in lines if line]
    title = None
    if lines and _looks_like_title(lines[0], lines[1:]) and (
            given_title is None or _same_title(lines[0], given_title)):
        title, lines = lines[0], lines[1:]
    source = None
    if lines and (credit := credit_line(lines[-1])):
        source, lines = credit, lines[:-1]
    for line in lines[:3]:
        if lead := lead_source(line):
            source = source or lead
            break
    seen: set[str] = set()
    passages: list[Passage] = []
    for line in lines:
        key = normalize(line)
        if key in seen:
            continue
        seen.add(key)
        passages.append(Passage(ordinal=len(passages) + 1, text=line))
    return Article(id=article_id, path=path, sha256=sha256, passages=tuple(passages),
                   title=title, source=source, date=date)
