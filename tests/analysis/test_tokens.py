"""Tokens: kinds (syllables, numbers, dates), offsets into the text as written."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from unicode_forms import nfd

from search.analysis import tokenize
from search.analysis.tokens import Kind


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("hội đàm ngày 7/12/2021.", [("hội", Kind.SYLLABLE), ("đàm", Kind.SYLLABLE),
                                     ("ngày", Kind.SYLLABLE), ("7/12/2021", Kind.DATE)]),
        ("rạng sáng 8.12 (giờ", [("rạng", Kind.SYLLABLE), ("sáng", Kind.SYLLABLE),
                                ("8/12", Kind.DATE), ("giờ", Kind.SYLLABLE)]),
        ("Ngày 8-12,", [("Ngày", Kind.SYLLABLE), ("8/12", Kind.DATE)]),
        ("kể từ tháng 12/2021", [("kể", Kind.SYLLABLE), ("từ", Kind.SYLLABLE),
                                 ("tháng", Kind.SYLLABLE), ("12/2021", Kind.DATE)]),
        ("hơn 175.000 quân", [("hơn", Kind.SYLLABLE), ("175000", Kind.NUMBER),
                             ("quân", Kind.SYLLABLE)]),
        ("COVID-19", [("COVID-19", Kind.MIXED)]),
        ("lúc 20h10 giờ", [("lúc", Kind.SYLLABLE), ("20h10", Kind.MIXED), ("giờ", Kind.SYLLABLE)]),
        ("Nga-Mỹ", [("Nga", Kind.SYLLABLE), ("Mỹ", Kind.SYLLABLE)]),
        ("2,5 triệu", [("2,5", Kind.NUMBER), ("triệu", Kind.SYLLABLE)]),
        ("ngày 45/13", [("ngày", Kind.SYLLABLE), ("45", Kind.NUMBER), ("13", Kind.NUMBER)]),
    ],
)
def test_tokenize_kinds(text: str, expected: list[tuple[str, Kind]]) -> None:
    assert [(t.text, t.kind) for t in tokenize(text)] == expected


def test_token_offsets_point_into_nfd_original() -> None:
    text = nfd("Điện Kremlin thông báo")
    tokens = tokenize(text)
    assert [text[t.start : t.end] for t in tokens] == [nfd("Điện"), "Kremlin", nfd("thông"),
                                                       nfd("báo")]
    assert [t.text for t in tokens] == ["Điện", "Kremlin", "thông", "báo"]


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(
    list("aăâeêioôơuưyđAĂÂĐEÊOƠƯ bcdghklmnqrstvx_,.;:/-()'\"\n")
    + ["\u0300", "\u0301", "\u0303", "\u0309", "\u0323", "ố", "ệ", "ữ", "Ả", "\u00a0"]),
    max_size=60))
def test_the_plain_text_fast_path_finds_the_same_tokens(text: str) -> None:
    from search.analysis.tokens import _tokenize_all_shapes

    assert tokenize(text) == _tokenize_all_shapes(text)
