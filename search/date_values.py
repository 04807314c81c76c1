"""Calendar dates at a precision (year, month or day) in the notations of
Vietnamese news and of our query language. Shared by ingest and queries."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class DateValue:
    """A calendar date known to a precision: year, month or day; or a run of
    months within a year (``last_month``): a quarter ``2023-Q4`` or a half
    ``2024-H1``, as Vietnamese news reports figures (``quý IV/2023``)."""

    year: int
    month: int | None = None
    day: int | None = None
    last_month: int | None = None  # a quarter or half: months month..last_month

    def to_text(self) -> str:
        out = f"{self.year:04d}"
        if self.last_month is not None and self.month is not None:
            span = self.last_month - self.month + 1
            if span == 3:
                return f"{out}-Q{(self.month - 1) // 3 + 1}"
            return f"{out}-H{(self.month - 1) // 6 + 1}"
        if self.month is not None:
            out += f"-{self.month:02d}"
            if self.day is not None:
                out += f"-{self.day:02d}"
        return out

    def bounds(self) -> tuple[int, int]:
        """First and last day covered, as yyyymmdd integers."""
        y = self.year * 10000
        if self.month is None:
            return y + 101, y + 1231
        m = self.month * 100
        if self.last_month is not None:
            last = calendar.monthrange(self.year, self.last_month)[1]
            return y + m + 1, y + self.last_month * 100 + last
        if self.day is None:
            return y + m + 1, y + m + calendar.monthrange(self.year, self.month)[1]
        return y + m + self.day, y + m + self.day


class BadDate(ValueError):
    """A date that cannot exist or cannot be read, with a hint."""

    def __init__(self, message: str, hint: str) -> None:
        super().__init__(message)
        self.message, self.hint = message, hint


_FORMATS = [
    (re.compile(r"(\d{4})"), ("y",)),
    (re.compile(r"(\d{4})-(\d{1,2})"), ("y", "m")),
    (re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})"), ("y", "m", "d")),
    (re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})"), ("d", "m", "y")),
    (re.compile(r"(\d{1,2})/(\d{4})"), ("m", "y")),
]
_PERIOD = re.compile(r"(\d{4})-([QqHh])(\d)")
FORMATS_HINT = ("write it as 2021, 2021-12, 2021-12-07, 7/12/2021, 12/2021,"
                " or a quarter or half: 2023-Q4, 2024-H1")


def make_date(year: int, month: int | None = None, day: int | None = None) -> DateValue:
    """A checked DateValue; :class:`BadDate` if no such day exists."""
    if not 1 <= year <= 9999:
        raise BadDate(f"impossible year {year}", "years run from 1 to 9999")
    if month is not None and not 1 <= month <= 12:
        raise BadDate(f"impossible month {month}", "months run from 1 to 12")
    if day is not None:
        last = calendar.monthrange(year, month or 1)[1]
        if not 1 <= day <= last:
            raise BadDate(f"impossible day {day}", f"{year}-{month:02d} has {last} days")
    return DateValue(year, month, day)


def make_period(year: int, kind: str, number: int) -> DateValue:
    """Quarter (``kind`` "Q", 1-4) or half ("H", 1-2) of ``year``."""
    size = {"Q": 3, "H": 6}[kind.upper()]
    if not 1 <= number <= 12 // size:
        raise BadDate(f"impossible {'quarter' if size == 3 else 'half'} {number}",
                      "quarters run from Q1 to Q4, halves are H1 and H2")
    first = (number - 1) * size + 1
    make_date(year, first)
    return DateValue(year, first, None, first + size - 1)


def parse_date(text: str) -> DateValue:
    """Read ``2021``, ``2021-12``, ``2021-12-07``, ``7/12/2021``, ``12/2021``,
    ``2023-Q4`` or ``2024-H1``."""
    if m := _PERIOD.fullmatch(text.strip()):
        return make_period(int(m.group(1)), m.group(2), int(m.group(3)))
    for pattern, parts in _FORMATS:
        m = pattern.fullmatch(text.strip())
        if m:
            values = dict(zip(parts, (int(g) for g in m.groups()), strict=True))
            return make_date(values["y"], values.get("m"), values.get("d"))
    raise BadDate(f"not a date: '{text}'", FORMATS_HINT)


def parse_iso(text: str) -> DateValue | None:
    """``YYYY[-MM[-DD]]``, ``YYYY-Qn`` or ``YYYY-Hn``; None when impossible
    (metadata is never fatal)."""
    try:
        return (parse_date(text) if re.fullmatch(r"\d{4}(?:(-\d{2}){0,2}|-[QH]\d)", text)
                else None)
    except BadDate:
        return None
