"""Dates at a precision in our notations: periods cover their months."""

from __future__ import annotations

from search.date_values import parse_date

# One article per written form; each sentence is ours, in the register of domestic news.


def test_periods_parse_and_cover_their_months() -> None:
    assert parse_date("2023-Q4").bounds() == (20231001, 20231231)
    assert parse_date("2024-H1").bounds() == (20240101, 20240630)
    assert parse_date("2024-H1").to_text() == "2024-H1"
