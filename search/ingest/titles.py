"""Titles, offices and institutions, as lookup tables built once.

Every table is keyed by a phrase's first syllable (lowercase), longest phrase
first, so recognising them costs a dictionary lookup per token, not a scan of
the lists. The lists live in ``titles.txt`` and ``institutions.txt`` beside this
module, one phrase a line, so they can grow without touching the rules.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import lru_cache
from importlib import resources

from search.ingest import abbreviations

_SPLIT = abbreviations.SPLIT
OFFICE, DESCRIPTOR, DOMAIN = "office", "descriptor", "domain"


class Phrases:
    """Phrases (tuples of lowercase syllables) with a value, matched at a position by
    walking a trie: one dictionary lookup per syllable, no slicing."""

    def __init__(self, phrases: Iterable[tuple[tuple[str, ...], str]]) -> None:
        self.trie: dict[str, tuple[dict, str | None]] = {}
        for p, value in phrases:
            level = self.trie
            for k, syllable in enumerate(p):
                child, old = level.get(syllable, ({}, None))
                level[syllable] = (child, value if k == len(p) - 1 else old)
                level = child
        self.by_first = self.trie  # the first syllables, for a quick membership test

    def match(self, low: Sequence[str], i: int, gaps: Sequence[str] | None = None,
              inner: frozenset[str] = frozenset({""})) -> tuple[int, str] | None:
        """(length, value) of the longest phrase starting at token ``i``; with ``gaps``
        (text between tokens), only the punctuation in ``inner`` may sit inside it."""
        node = self.trie.get(low[i])
        best = None
        k = i
        n = len(low)
        while node is not None:
            level, value = node
            k += 1
            if value is not None:
                best = (k - i, value)
            if k >= n or not level or gaps is not None and gaps[k - 1] not in inner:
                break
            node = level.get(low[k])
        return best


def _sections(name: str) -> dict[str, list[tuple[str, ...]]]:
    text = resources.files("search.ingest").joinpath(name).read_text("utf-8")
    out: dict[str, list[tuple[str, ...]]] = {}
    section = ""
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("["):
            section = line.strip("[]")
            continue
        out.setdefault(section, []).append(tuple(line.replace("-", " ").replace(",", " ")
                                                 .lower().split()))
    return out


@lru_cache(maxsize=1)
def titles() -> Phrases:
    """Titles before a name, valued ``office``, ``descriptor`` or ``domain``."""
    s = _sections("titles.txt")
    return Phrases([(p, OFFICE) for p in s["offices"]] + [(p, DESCRIPTOR) for p in
                   s["descriptors"]] + [(p, DOMAIN) for p in s["domains"]])


@lru_cache(maxsize=1)
def title_starts() -> frozenset[str]:
    """First syllables of offices and descriptors (a domain word never starts one)."""
    s = _sections("titles.txt")
    return frozenset(p[0] for p in s["offices"] + s["descriptors"])


@lru_cache(maxsize=1)
def institutions() -> Phrases:
    """Institution heads (value ``head``) and complete names (value ``name``)."""
    s = _sections("institutions.txt")
    # "NHNN", "Bộ GD&ĐT", "Sở Giáo dục và Đào tạo": heads, a place may follow them
    known = [tuple(_SPLIT.split(f.lower())) for f in abbreviations.lexicon()]
    heads = s["heads"] + [p for p in known if p not in s["names"]]
    return Phrases([(p, "head") for p in heads] + [(p, "name") for p in s["names"]])


COUNTRIES = Phrases([(tuple(c.split()), "country") for c in (
    "mỹ", "nga", "hoa kỳ", "ukraine", "pháp", "đức", "anh", "ý", "trung quốc", "nhật bản",
    "việt nam", "hàn quốc", "triều tiên", "ấn độ", "úc", "australia", "belarus", "ba lan", "eu",
    "lào", "campuchia", "thái lan", "singapore", "indonesia", "malaysia", "philippines",
    "myanmar", "brunei", "canada", "brazil", "israel", "iran", "thổ nhĩ kỳ", "tây ban nha",
    "hà lan", "bỉ", "thụy điển", "na uy", "phần lan", "đan mạch", "new zealand", "mexico",
    "argentina", "ai cập", "nam phi", "cuba", "venezuela", "palestine", "ả rập xê út",
    "qatar", "kazakhstan", "mông cổ", "đài loan", "asean", "nato",
    "timor leste", "đông timor", "hy lạp", "bồ đào nha", "thụy sĩ", "áo", "séc", "hungary",
    "romania", "bulgaria", "serbia", "croatia", "pakistan", "bangladesh", "sri lanka", "nepal",
    "afghanistan", "iraq", "syria", "jordan", "lebanon", "uae", "kuwait", "chile", "peru",
    "colombia", "nigeria", "kenya", "ethiopia", "algeria", "maroc", "uzbekistan", "azerbaijan",
    "armenia", "gruzia", "moldova", "litva", "latvia", "estonia", "ireland", "iceland",
    "slovakia", "slovenia", "luxembourg", "monaco", "panama", "bolivia", "ecuador", "uruguay",
    "triều tiên", "liên bang nga", "vương quốc anh", "anh quốc", "liên minh châu âu")])
