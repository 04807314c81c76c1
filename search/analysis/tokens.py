"""Cut raw text into tokens that keep their character offsets.

Offsets point into the *original* string (which may be NFD), so highlights
stay correct whatever form the article arrived in. Each token's ``text`` is
already normalised (NFC, canonical tones; case kept for the segmenter).

Numbers and dates are recognised here, before the segmenter sees the text,
because pyvi cuts ``7/12/2021`` into five meaningless pieces.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from search.analysis.normalize import normalize, retone


class Kind(StrEnum):
    SYLLABLE = "syl"  # an alphabetic syllable: segmentable
    NUMBER = "num"  # 175.000 -> 175000, 2,5 stays 2,5
    DATE = "date"  # 7/12/2021, 8.12, 8-12, 12/2021, 2021-12-07
    MIXED = "mixed"  # COVID-19, 20h10, F-16


@dataclass(frozen=True, slots=True)
class Token:
    text: str  # normalised surface form, case kept
    start: int  # offsets into the original text
    end: int
    kind: Kind


_L = r"(?:[^\W\d_]|[\u0300-\u036f])"  # a letter, or a combining mark of NFD text
_B = r"(?<![\w\u0300-\u036f.,/-])"  # not glued to a preceding word or number
_E = r"(?![\w\u0300-\u036f]|[.,/-]\d)"  # nor to a following one
_PATTERN = re.compile(
    "|".join(
        [
            rf"{_B}(?P<dmy>\d{{1,2}})[/.-](?P<dmy_m>\d{{1,2}})[/.-](?P<dmy_y>\d{{4}}){_E}",
            rf"{_B}(?P<iso>\d{{4}})-(?P<iso_m>\d{{2}})(?:-(?P<iso_d>\d{{2}}))?{_E}",
            rf"{_B}(?P<my_m>\d{{1,2}})/(?P<my_y>\d{{4}}){_E}",
            rf"{_B}(?P<thousands>\d{{1,3}}(?:\.\d{{3}})+(?:,\d+)?){_E}",
            rf"{_B}(?P<decimal>\d+,\d+){_E}",
            rf"{_B}(?P<dm>\d{{1,2}})[/.-](?P<dm_m>\d{{1,2}}){_E}",
            rf"(?P<mixed>{_L}+-\d+|\d+-{_L}+)(?![\w\u0300-\u036f])",
            r"(?P<word>(?:\w|[\u0300-\u036f])+)",
        ]
    )
)


def _valid(day: int | None, month: int) -> bool:
    return 1 <= month <= 12 and (day is None or 1 <= day <= 31)


def _classify(m: re.Match[str]) -> tuple[str, Kind] | None:
    word = m.group("word")
    if word is not None and word.isalpha():  # the common case: a plain syllable
        return retone(word), Kind.SYLLABLE
    g = m.groupdict()
    if g["dmy"] is not None:
        day, month, year = int(g["dmy"]), int(g["dmy_m"]), int(g["dmy_y"])
        if _valid(day, month):
            return f"{day}/{month}/{year}", Kind.DATE
        return None
    if g["iso"] is not None:
        month = int(g["iso_m"])
        day = int(g["iso_d"]) if g["iso_d"] else None
        if _valid(day, month):
            return m.group(0), Kind.DATE
        return None
    if g["my_m"] is not None:
        month = int(g["my_m"])
        return (f"{month}/{g['my_y']}", Kind.DATE) if _valid(None, month) else None
    if g["thousands"] is not None:
        return g["thousands"].replace(".", ""), Kind.NUMBER
    if g["decimal"] is not None:
        return g["decimal"], Kind.NUMBER
    if g["dm"] is not None:
        day, month = int(g["dm"]), int(g["dm_m"])
        return (f"{day}/{month}", Kind.DATE) if _valid(day, month) else None
    if g["mixed"] is not None:
        return normalize(g["mixed"]), Kind.MIXED
    word = g["word"]
    if word.isdigit():
        return word, Kind.NUMBER
    if any(ch.isdigit() for ch in word):
        return normalize(word), Kind.MIXED
    return normalize(word), Kind.SYLLABLE


_DIGIT = re.compile(r"\d")
_WORD = re.compile(r"(?:\w|[\u0300-\u036f])+")  # the last alternative of _PATTERN


def tokenize(text: str) -> list[Token]:
    """Tokens of ``text`` in order; punctuation is dropped, offsets kept."""
    if _DIGIT.search(text) is None:
        # without a digit only plain words can match: the same tokens, found by a
        # pattern that does not try seven number and date shapes at every letter
        syllable = Kind.SYLLABLE
        return [Token(retone(w) if w.isalpha() else normalize(w), m.start(), m.end(), syllable)
                for m in _WORD.finditer(text) for w in (m.group(),)]
    return _tokenize_all_shapes(text)


def _tokenize_all_shapes(text: str) -> list[Token]:
    tokens: list[Token] = []
    for m in _PATTERN.finditer(text):
        classified = _classify(m)
        if classified is None:
            # an impossible date such as 45/13: fall back to its digit runs
            for d in re.finditer(r"\d+", m.group(0)):
                tokens.append(Token(d.group(0), m.start() + d.start(), m.start() + d.end(),
                                    Kind.NUMBER))
        else:
            tokens.append(Token(classified[0], m.start(), m.end(), classified[1]))
    return tokens
