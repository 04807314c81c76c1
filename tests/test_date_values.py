"""Dates at a precision in our notations: a partial date is its whole month or
year, periods cover their months, and an impossible date is named."""

from __future__ import annotations

import pytest

from search.date_values import BadDate, parse_date


@pytest.mark.parametrize(("text", "canonical", "bounds"), [
    ("2021", "2021", (20210101, 20211231)),
    ("2021-12", "2021-12", (20211201, 20211231)),
    ("2021-12-07", "2021-12-07", (20211207, 20211207)),
    ("7/12/2021", "2021-12-07", (20211207, 20211207)),  # day first, as Vietnamese writes it
    ("12/2021", "2021-12", (20211201, 20211231)),
    ("2024-02", "2024-02", (20240201, 20240229)),  # a leap year's February
    ("2023-Q4", "2023-Q4", (20231001, 20231231)),
    ("2024-H1", "2024-H1", (20240101, 20240630)),
])
def test_a_date_is_the_interval_of_its_precision(text: str, canonical: str,
                                                 bounds: tuple[int, int]) -> None:
    date = parse_date(text)
    assert (date.to_text(), date.bounds()) == (canonical, bounds)
    assert parse_date(date.to_text()) == date  # the canonical text reads back the same


@pytest.mark.parametrize(("text", "message"), [
    ("2023-02-29", "impossible day 29"),
    ("2021-13", "impossible month 13"),
    ("2021-Q5", "impossible quarter 5"),
    ("x", "not a date"),
])
def test_an_impossible_date_is_named(text: str, message: str) -> None:
    with pytest.raises(BadDate, match=message):
        parse_date(text)
