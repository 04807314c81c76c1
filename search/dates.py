"""Calendar dates at a precision (year, month or day) in the notations of
Vietnamese news and of our query language. Shared by ingest and queries."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class DateValue:
    """A calendar date known to a precision: year, month or day."""

    year: int
    month: int | None = None
    day: int | None = None

    def to_text(self) -> str:
        out = f"{self.year:04d}"
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
FORMATS_HINT = "write it as 2021, 2021-12, 2021-12-07, 7/12/2021 or 12/2021"


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


def parse_date(text: str) -> DateValue:
    """Read ``2021``, ``2021-12``, ``2021-12-07``, ``7/12/2021`` or ``12/2021``."""
    for pattern, parts in _FORMATS:
        m = pattern.fullmatch(text.strip())
        if m:
            values = dict(zip(parts, (int(g) for g in m.groups()), strict=True))
            return make_date(values["y"], values.get("m"), values.get("d"))
    raise BadDate(f"not a date: '{text}'", FORMATS_HINT)


def parse_iso(text: str) -> DateValue | None:
    """``YYYY[-MM[-DD]]`` or None when impossible (metadata is never fatal)."""
    try:
        return parse_date(text) if re.fullmatch(r"\d{4}(-\d{2}){0,2}", text) else None
    except BadDate:
        return None
