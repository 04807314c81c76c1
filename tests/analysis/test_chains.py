"""The analysis chain: the term lists of every field, sharing positions."""

from __future__ import annotations

from unicode_forms import nfd

from search.analysis import analyze


def test_fields_share_positions() -> None:
    a = analyze("Đáp lại cảnh báo của Tổng thống Biden")
    fields = a.fields()
    assert fields["syl"] == ["đáp", "lại", "cảnh", "báo", "của", "tổng", "thống", "biden"]
    assert fields["fold"] == ["dap", "lai", "canh", "bao", "cua", "tong", "thong", "biden"]
    assert "tổng thống" in fields["word"]
    assert "tong thong" in fields["wfold"]
    assert "của" not in fields["word"]  # one syllable: the syllable fields hold it


def test_nfd_and_old_tones_analyse_identically() -> None:
    assert analyze(nfd("thoả thuận hoà bình")).fields() == analyze("thỏa thuận hòa bình").fields()
