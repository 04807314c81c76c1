"""Normalisation: NFC and the traditional tone placement, on real sentences."""

from __future__ import annotations

import pytest
from unicode_forms import nfd

from search.analysis import normalize


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("hoà", "hòa"),
        ("thoả thuận", "thỏa thuận"),
        ("uỷ ban", "ủy ban"),
        ("khoẻ", "khỏe"),
        ("Hoà Bình", "Hòa Bình"),
        ("hoàng", "hoàng"),  # final consonant: tone stays on the second vowel
        ("quý", "quý"),  # qu: u is a consonant letter
        ("giá", "giá"),  # gi: i is a consonant letter
        ("người", "người"),  # ươ: the tone sits on ơ
        ("thuở", "thuở"),
        ("Sécurité", "Sécurité"),  # not a Vietnamese syllable: untouched
        (nfd("đảm bảo biên giới"), "đảm bảo biên giới"),  # NFD in, NFC out
        (nfd("thoả luận"), "thỏa luận"),
    ],
)
def test_normalize(raw: str, expected: str) -> None:
    assert normalize(raw) == expected


def test_normalize_is_idempotent_on_seed_text(seeds) -> None:
    for path in seeds.glob("*.txt"):
        once = normalize(path.read_text("utf-8"))
        assert normalize(once) == once
