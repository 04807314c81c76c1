"""The outlet of an article: its credit line, or the source its lead names."""

from __future__ import annotations

import pytest

from search.ingest.sources import credit_line, lead_source


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Theo Tuổi trẻ", "Tuổi trẻ"),
        ("Nguồn: VnExpress", "VnExpress"),
        ("Theo Bloomberg, ông Biden dự định sẽ thảo luận về kết quả.", None),
        ("Theo Điện Kremlin, Tổng thống Nga Vladimir Putin và người đồng cấp", None),
    ],
)
def test_credit_line(line: str, expected: str | None) -> None:
    assert credit_line(line) == expected


def test_lead_source() -> None:
    assert lead_source("(PLVN) - Không có đột phá nào") == "PLVN"
    assert lead_source("(giờ Việt Nam) là") is None
