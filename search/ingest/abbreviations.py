"""Institutions written abbreviated and in full (``NHNN`` = ``Ngân hàng Nhà nước``).

One data file, ``abbreviations.txt``, read three ways: the abbreviations are
institutions for :mod:`search.ingest.mentions`; a speaker given by its short form
is shown by the fuller form its article uses (:func:`expanded`); and the index
stores every form of a speaker's name (:func:`forms`), so that a query by either
form finds both and no query code needs to know about abbreviations.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from importlib import resources

from search.analysis import fold

SPLIT = re.compile(r"[\s\-–&.,]+")


@lru_cache(maxsize=8192)
def words(name: str) -> tuple[str, ...]:
    """A name's words, lowercase and folded, its inner punctuation dropped: ``Bộ
    GD&ĐT`` and ``Bộ GD-ĐT`` are the same words."""
    return tuple(w for w in SPLIT.split(fold(name.lower())) if w)


@lru_cache(maxsize=1)
def table() -> tuple[tuple[tuple[str, ...], str, str], ...]:
    """(abbreviation's words, abbreviation as written, full name as written), the
    longest abbreviation first so ``VKSND`` is replaced before ``VKS``."""
    text = resources.files("search.ingest").joinpath("abbreviations.txt").read_text("utf-8")
    rows = []
    for line in text.splitlines():
        if not line.strip() or line.startswith("#") or "=" not in line:
            continue
        short, full = (s.strip() for s in line.split("=", 1))
        for s in short.split("|"):
            rows.append((words(s.strip()), s.strip(), full))
    return tuple(sorted(rows, key=lambda r: -len(r[0])))


def lexicon() -> list[str]:
    """Every form, for the institutions lexicon."""
    return sorted({s for _, s, _ in table()} | {full for _, _, full in table()})


def _replace(ws: tuple[str, ...], old: tuple[str, ...], new: tuple[str, ...]) -> tuple[str, ...]:
    out, k, n = [], 0, len(old)
    while k < len(ws):
        if ws[k:k + n] == old:
            out.extend(new)
            k += n
        else:
            out.append(ws[k])
            k += 1
    return tuple(out)


@lru_cache(maxsize=4096)
def expanded(name: str) -> tuple[str, ...]:
    """A name's words with every abbreviation written out: ``VKSND TP.HCM`` ->
    ``vien kiem sat nhan dan tp ho chi minh``."""
    ws = words(name)
    for short, _, full in table():
        if len(short) <= len(ws) and any(ws[k:k + len(short)] == short
                                         for k in range(len(ws) - len(short) + 1)):
            ws = _replace(ws, short, words(full))
    return ws


@lru_cache(maxsize=4096)
def forms(name: str) -> tuple[str, ...]:
    """The other ways to write a speaker's name, as written (marks kept, for the
    index's exact field): each abbreviation in it written out, each full name in it
    abbreviated (``UBND tỉnh Quảng Ninh`` <-> ``Ủy ban nhân dân tỉnh Quảng Ninh``).
    Empty for most names."""
    raw = tuple(w for w in SPLIT.split(name) if w)
    ws = words(name)
    if len(raw) != len(ws):
        return ()
    out: list[str] = []
    for short, written, full in table():
        for old, new in ((short, full), (words(full), written)):
            n = len(old)
            for k in range(len(ws) - n + 1):
                if ws[k:k + n] == old:
                    alt = " ".join(raw[:k] + tuple(SPLIT.split(new)) + raw[k + n:])
                    if alt not in out:
                        out.append(alt)
                    break
    return tuple(out)


def fuller(speaker: str, names: Iterable[str]) -> str:
    """The fullest name the article gives an institution that a speaker abbreviates:
    ``VKS`` -> ``VKSND TP.HCM``, ``NHNN`` -> ``Ngân hàng Nhà nước`` (a title's); a name
    without an abbreviation stays as written."""
    if speaker.istitle() or not names:
        return speaker  # "Vladimir Putin": no abbreviation in it
    ws = expanded(speaker)
    if ws == words(speaker):
        return speaker
    best, best_len, best_plain = speaker, len(ws), False
    for n in names:
        e = expanded(n)
        if len(e) < len(ws) or e[:len(ws)] != ws or n == speaker:
            continue
        plain = e == words(n)
        if len(e) > best_len or len(e) == best_len and plain and not best_plain:
            best, best_len, best_plain = n, len(e), plain
    return best
