"""Folding: tone and vowel marks dropped, đ -> d, for every character and form."""

from __future__ import annotations

import unicodedata

import pytest
from unicode_forms import nfd

from search.analysis import fold


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("đảm bảo", "dam bao"),
        ("Điện Kremlin", "Dien Kremlin"),
        ("láng giềng", "lang gieng"),
        (nfd("người đồng cấp"), "nguoi dong cap"),
        ("Matxcơva", "Matxcova"),
        ("Ðó", "Do"),  # the eth of old encodings, written for Đ
    ],
)
def test_fold(raw: str, expected: str) -> None:
    assert fold(raw) == expected


def test_folding_a_passage_is_decomposing_it_and_dropping_the_marks() -> None:
    """fold_text folds with one str.translate; it must equal the definition (NFD, then
    every combining mark dropped, đ and its look-alikes -> d) for every character and for
    NFD text."""
    from search.analysis.fold import fold_text

    def definition(text: str) -> str:
        for ds, d in (("đðɖ", "d"), ("ĐÐƉ", "D")):
            for c in ds:
                text = text.replace(c, d)
        return "".join(c for c in unicodedata.normalize("NFD", text)
                       if not unicodedata.combining(c))

    chars = [chr(cp) for cp in range(0x10000) if not 0xD800 <= cp <= 0xDFFF]
    assert [fold_text(c) for c in chars] == [definition(c) for c in chars]
    text = "Đảm bảo hòa bình, thoả thuận; 한국어 Ωμέγα ﬁ"
    for form in ("NFC", "NFD"):
        same = unicodedata.normalize(form, text)
        assert fold_text(same) == definition(same)
