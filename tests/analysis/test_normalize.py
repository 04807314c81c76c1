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
        ("Ðó là Ðảng ðó", "Đó là Đảng đó"),  # the eth of old encodings stands for Đ
    ],
)
def test_normalize(raw: str, expected: str) -> None:
    assert normalize(raw) == expected


def test_normalize_is_idempotent_on_seed_text(seeds) -> None:
    for path in seeds.glob("*.txt"):
        once = normalize(path.read_text("utf-8"))
        assert normalize(once) == once


def test_a_look_alike_of_d_is_indexed_as_the_letter() -> None:
    """Pages converted from old encodings write the eth (U+00D0) for Đ: a query typed
    with Đ, or without marks, must find them, so the analysed syllables are the same."""
    from search.analysis import analyze

    assert analyze("Ðó là Ðảng").fields()["syl"] == analyze("Đó là Đảng").fields()["syl"]
    assert analyze("Ðó là Ðảng").fields()["fold"] == ["do", "la", "dang"]
