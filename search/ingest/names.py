"""Vietnamese personal names: where one starts, how the press shortens it.

A Vietnamese name is a family name, an optional middle part and a given name,
two to four syllables (``Tô Lâm``, ``Phạm Minh Chính``, ``Lê Thị Thu Hằng``).
After an office (``Giám đốc Sở Y tế Hà Nội Trần Thị Nhị Hà``) the family name
is the clue for where the office ends and the person begins. Later mentions use
the given name with an honorific (``ông Chính``); East Asian names keep their
press order and are shortened to the family name, which comes first
(``Tập Cận Bình`` -> ``ông Tập``, ``Kishida Fumio`` -> ``ông Kishida``); Western
names to the last one (``Lavrov``).
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from importlib import resources

# honorifics before a name; as subjects on their own most of them are pronouns
HONORIFICS = {"ông": "m", "bà": "f", "anh": "m", "chị": "f", "cô": "f", "chú": "m",
              "bác": None, "cụ": None, "em": None, "ngài": "m", "cháu": None, "thầy": "m"}
# academic and professional prefixes, as written: "PGS.TS Nguyễn Văn A", "BS. B"
PREFIXES = {"GS", "PGS", "TS", "ThS", "TSKH", "BS", "BSCKI", "BSCKII", "BSCK", "LS", "KS",
            "KTS", "NSƯT", "NSND", "NGƯT", "NGND", "NSUT", "DS", "CN", "TTND", "TTƯT"}
# middle syllables that make a four-syllable name likely ("Lê Thị Thu Hằng")
MIDDLES = {"thị", "văn", "hữu", "đức", "công", "quang", "minh", "ngọc", "kim", "xuân",
           "thanh", "hoàng", "quốc", "đình", "bá", "trọng", "thế", "tiến", "anh", "thu"}


def _lines(name: str) -> list[str]:
    text = resources.files("search.ingest").joinpath(name).read_text("utf-8")
    return [s.strip() for s in text.splitlines() if s.strip() and not s.startswith("#")]


@lru_cache(maxsize=1)
def family_names() -> frozenset[str]:
    """The family names segmentation also reads (one list: ``search/analysis``)."""
    text = resources.files("search.analysis").joinpath("family_names.txt").read_text("utf-8")
    return frozenset(s.strip().lstrip("!") for s in text.splitlines()
                     if s.strip() and not s.startswith("#"))


@lru_cache(maxsize=1)
def places() -> frozenset[tuple[str, ...]]:
    return frozenset(tuple(s.replace("-", " ").split()) for s in _lines("places.txt"))


def person_start(low: Sequence[str]) -> int | None:
    """Where a Vietnamese name starts at the end of ``low`` (lowercase syllables, all
    written capitalised), or None: three syllables are the common length, four when
    a middle syllable such as ``Thị`` follows the family name, then two; a place
    (``Lâm Đồng``) is never a name."""
    fam, n = family_names(), len(low)

    def ok(s: int) -> bool:  # nor the end of a place ("Bắc Giang Mai Sơn": not "Giang")
        return 0 <= s and low[s] in fam and tuple(low[s:]) not in places() and not any(
            tuple(low[s:s + k]) in places() or s >= k - 1 and tuple(low[s - k + 1:s + 1])
            in places() for k in (2, 3))

    if n >= 4 and ok(n - 4) and (low[n - 3] in MIDDLES or low[n - 3] not in fam and not ok(
            n - 3)):
        return n - 4  # "Lê Thị Thu Hằng", "Võ Tấn Hoàng Văn"
    for s in (n - 3, n - 2):
        if ok(s):
            return s
    return None


def short_forms(name: Sequence[str]) -> set[str]:
    """The one-syllable forms a full name is referred back by (lowercase): the given
    name (last) for Vietnamese and Western names, the family name (first) for
    East Asian ones written family name first."""
    if len(name) < 2:
        return set()
    return {name[-1].lower(), name[0].lower()}
