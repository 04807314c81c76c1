"""The date of an article, with its precision, and the dates each passage mentions.

Evidence, strongest first: metadata given with the file, or a ``date YYYY-MM``
header, either refined to a day by the dateline; the dateline itself
(``Hà Nội, ngày 15/3/2024 -``, ``(Chinhphu.vn) - Ngày 5/9/2023,``, ``Sáng 20/6,``);
else the latest date the text states, news being written after the events it
reports. Dates are read in the forms of Vietnamese news: ``7/12/2021``,
``ngày 15 tháng 3 năm 2024``, ``tháng 12/2021``, ``tháng 3 năm 2024``, a day and
month with no year (``ngày 12/2``, ``sáng 20/6``, ``tối 12-1``), and periods as
intervals (``quý IV/2023``, ``6 tháng đầu năm 2024``, ``nửa đầu năm 2024``).

A day and month with no year is a date only after a word that announces one
(``ngày``, ``sáng``, ``từ``…) or in the dateline: bare, ``3-1`` is a score,
``8.12`` a version, ``2/3`` a fraction. It takes its year from the dates the
article states; after ``kể từ tháng 12/2021`` an earlier one (``12/2``) rolls
into the next year. Document numbers (``Nghị định 15/2024/NĐ-CP``,
``Thông tư số 03/2024``) are not dates. With no evidence the date is None:
never guessed.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from search.analysis.chains import analyze
from search.analysis.normalize import normalize
from search.analysis.tokens import Kind, Token
from search.date_values import BadDate, DateValue, make_date, make_period, parse_iso
from search.ingest.model import Article

_SINCE = re.compile(r"(?:kể\s+)?từ\s+(?:ngày\s+|tháng\s+)?$", re.IGNORECASE)
# words after which a bare day-month (20/6) is a date
_DAY_CUES = frozenset({"ngày", "hôm", "sáng", "trưa", "chiều", "tối", "đêm", "khuya", "từ",
                       "đến", "tới", "trước", "hết", "mùng", "mồng", "nay", "qua"})
# words after which d/m/yyyy or m/yyyy is a document's number, not a date
_DOCUMENT = frozenset({"số", "định", "tư", "quyết", "lệnh", "thị", "luật", "văn", "điều",
                       "khoản", "hiệu"})
_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}
_DIGIT = re.compile(r"\d")
# the syllables a date can start with; any other syllable is passed over
_OPENERS = frozenset({"tháng", "quý", "sáu", "nửa"})
_WORD_NUMBERS = {"sáu": 6, "6": 6}
# what may stand before the dateline's date: an outlet, a place, a time of day
_DATELINE_PREFIX = re.compile(
    r"^\s*(?:\(?[^\s()]{1,30}(?:\s[^\s()]{1,15})?\)?\s*[-–—]\s*)?"  # (Chinhphu.vn) - / TPO -
    r"(?:(?P<place>[^\W\d_][\w.]*(?:\s[^\W\d_]+){0,3}),\s*)?"  # Hà Nội,
    r"(?:(?:rạng\s+)?(?:sáng|trưa|chiều|tối|đêm|khuya)(?:\s+nay)?\s+)?"
    r"(?:(?:thứ\s+\S+|chủ\s+nhật)\s+\(?)?"  # sáng thứ Hai (20/6)
    r"(?:(?:ngày|hôm|mùng|mồng)\s+)?\(?$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class _Found:
    passage: int
    day: int | None
    month: int
    year: int | None
    since: bool
    last_month: int | None = None  # a quarter or a half
    dateline: bool = False


def _glued(text: str, tokens: Sequence[Token], i: int) -> bool:
    """Only white space between tokens i and i + 1."""
    return text[tokens[i].end : tokens[i + 1].start].strip() == ""


def _word(tokens: Sequence[Token], i: int) -> str:
    return tokens[i].text.lower() if 0 <= i < len(tokens) else ""


def _year(t: Token) -> int | None:
    return int(t.text) if t.kind is Kind.NUMBER and len(t.text) == 4 else None


def _number(t: Token) -> int | None:
    return int(t.text) if t.kind is Kind.NUMBER and t.text.isdigit() else None


class _Reader:
    """The dates of one passage, read over its tokens."""

    def __init__(self, passage: int, text: str) -> None:
        self.passage, self.text = passage, text
        self.tokens = analyze(text).tokens  # cached: attribution and the index reuse it
        self.found: list[tuple[int, _Found]] = []  # (first token, what it says)

    def seq(self, i: int, *words: str) -> bool:
        """Tokens from i on are ``words`` ("#" is any number), only spaces between."""
        toks = self.tokens
        if i + len(words) > len(toks):
            return False
        for k, w in enumerate(words):
            t = toks[i + k]
            if w == "#" and t.kind is not Kind.NUMBER:
                return False
            if w != "#" and t.text.lower() != w:
                return False
            if k and not _glued(self.text, toks, i + k - 1):
                return False
        return True

    def add(self, i: int, day: int | None, month: int, year: int | None,
            last_month: int | None = None) -> None:
        since = bool(_SINCE.search(self.text[max(0, self.tokens[i].start - 16) :
                                             self.tokens[i].start]))
        self.found.append((i, _Found(self.passage, day, month, year, since, last_month)))

    def read(self) -> list[tuple[int, _Found]]:
        if _DIGIT.search(self.text) is None:  # every form has a number in it
            return self.found
        toks = self.tokens
        i = 0
        while i < len(toks):
            t = toks[i]
            if t.kind is Kind.SYLLABLE and t.text.lower() not in _OPENERS:
                i += 1
                continue
            i = self._at(i)
        return self.found

    def _at(self, i: int) -> int:  # one branch per written form
        toks, t = self.tokens, self.tokens[i]
        before = _word(toks, i - 1)
        # ngày 15 tháng 3 năm 2024 / 15 tháng 3 / tháng 3 năm 2024
        if t.kind is Kind.NUMBER and self.seq(i, "#", "tháng", "#"):
            day, month = _number(t), _number(toks[i + 2])
            if day and month and 1 <= month <= 12 and 1 <= day <= 31:
                if self.seq(i + 3, "năm", "#") and _year(toks[i + 4]):
                    self.add(i, day, month, _year(toks[i + 4]))
                    return i + 5
                if before in _DAY_CUES and not self.seq(i + 3, "năm"):
                    self.add(i, day, month, None)
                    return i + 3
        if t.text.lower() == "tháng" and self.seq(i, "tháng", "#", "năm", "#"):
            month, year = _number(toks[i + 1]), _year(toks[i + 3])
            if month and 1 <= month <= 12 and year:
                self.add(i + 1, None, month, year)
                return i + 4
        # quý IV/2023, quý 4/2023, quý I năm 2024
        if t.text.lower() == "quý" and i + 1 < len(toks) and _glued(self.text, toks, i):
            return self._quarter(i)
        # 6 tháng đầu năm 2024, sáu tháng cuối năm 2023, nửa đầu năm 2024
        low = t.text.lower()
        if low in _WORD_NUMBERS and self.seq(i + 1, "tháng") and _WORD_NUMBERS[low] == 6:
            return self._half(i, i + 2)
        if low == "nửa":
            return self._half(i, i + 1)
        if t.kind is Kind.DATE:
            self._date_token(i)
        return i + 1

    def _quarter(self, i: int) -> int:
        toks = self.tokens
        q_tok = toks[i + 1]
        if q_tok.kind is Kind.DATE and q_tok.text.count("/") == 1:  # quý 4/2023
            n, year = (int(x) for x in q_tok.text.split("/"))
            if year > 31 and 1 <= n <= 4:
                self.add(i, None, (n - 1) * 3 + 1, year, (n - 1) * 3 + 3)
            return i + 2
        n = _ROMAN.get(q_tok.text.lower()) if q_tok.kind is Kind.SYLLABLE else _number(q_tok)
        if not n or not 1 <= n <= 4 or i + 2 >= len(toks):
            return i + 1
        gap = self.text[q_tok.end : toks[i + 2].start].strip()
        if gap == "/" and _year(toks[i + 2]):
            year, end = _year(toks[i + 2]), i + 3
        elif not gap and self.seq(i + 2, "năm", "#") and _year(toks[i + 3]):
            year, end = _year(toks[i + 3]), i + 4
        else:
            return i + 2
        assert year is not None
        self.add(i, None, (n - 1) * 3 + 1, year, (n - 1) * 3 + 3)
        return end

    def _half(self, i: int, k: int) -> int:
        """At ``k``: ``đầu|cuối năm YYYY`` after ``6 tháng`` or ``nửa``."""
        for which, first in (("đầu", 1), ("cuối", 7)):
            if self.seq(k, which, "năm", "#") and (year := _year(self.tokens[k + 2])):
                self.add(i, None, first, year, first + 5)
                return k + 3
        return i + 1

    def _date_token(self, i: int) -> None:
        toks, t = self.tokens, self.tokens[i]
        after = self.text[t.end : t.end + 2]
        if after[:1] == "/" and after[1:2].isalpha():  # 15/2024/NĐ-CP: a document number
            return
        before = _word(toks, i - 1)
        if before in _DOCUMENT:
            return
        if "-" in t.text:  # ISO in running text
            v = parse_iso(t.text)
            if v and v.month:
                self.add(i, v.day, v.month, v.year)
            return
        parts = [int(x) for x in t.text.split("/")]
        if len(parts) == 3:
            self.add(i, parts[0], parts[1], parts[2])
        elif parts[1] > 12:  # 12/2021: month and year
            self.add(i, None, parts[0], parts[1])
        elif before in _DAY_CUES or self._in_dateline(i):
            self.add(i, parts[0], parts[1], None)

    def _in_dateline(self, i: int) -> bool:
        return self.passage == 0 and _is_dateline_prefix(self.text[: self.tokens[i].start])


def _is_dateline_prefix(prefix: str) -> bool:
    """What stands before a date is an outlet, a place written in capitals
    (``Hà Nội,``, ``TP.HCM,``), a time of day, ``ngày``: the article's dateline."""
    m = _DATELINE_PREFIX.match(normalize(prefix))
    return bool(m) and all(w[:1].isupper() for w in (m.group("place") or "").split())


def _scan(passages: Sequence[str]) -> list[_Found]:
    found: list[_Found] = []
    for n, text in enumerate(passages):
        for i, f in _Reader(n, text).read():
            if n == 0 and not any(x.passage == 0 for x in found) and f.last_month is None:
                if _is_dateline_prefix(text[: analyze(text).tokens[i].start]):
                    f = _Found(f.passage, f.day, f.month, f.year, f.since, None, True)
            found.append(f)
    return found


def _value(f: _Found, year: int) -> DateValue | None:
    try:
        if f.last_month is not None:
            size = f.last_month - f.month + 1
            return make_period(year, "Q" if size == 3 else "H", (f.month - 1) // size + 1)
        return make_date(year, f.month, f.day)
    except BadDate:
        return None


def _infer_year(f: _Found, refs: list[tuple[DateValue, bool]]) -> int | None:
    if not refs:
        return None
    ref, since = refs[-1]
    year = ref.year
    if since and (f.month, f.day or 1) < (ref.month or 1, ref.day or 1):
        year += 1
    return year


def _refine(given: DateValue, dateline: DateValue | None) -> DateValue:
    """A header or metadata known to the month takes the dateline's day when
    they agree (``date 2021-12`` + ``Ngày 8-12``)."""
    if (dateline is None or given.day is not None or given.last_month is not None
            or dateline.year != given.year or dateline.last_month is not None):
        return given
    if given.month is None or given.month == dateline.month:
        return dateline
    return given


def article_dates(article: Article) -> tuple[str | None, list[list[str]]]:
    """(article date as YYYY[-MM[-DD]], YYYY-Qn or YYYY-Hn, or None; ISO dates
    mentioned per passage)."""
    texts = [p.text for p in article.passages]
    given = parse_iso(article.date) if article.date else None
    found = _scan(texts)
    refs: list[tuple[DateValue, bool]] = [(given, False)] if given else []
    resolved: list[tuple[_Found, DateValue]] = []
    for f in found:  # explicit years first, so they can anchor what comes before them
        if f.year is not None and (v := _value(f, f.year)):
            refs.append((v, f.since))
    for f in found:
        year = f.year if f.year is not None else _infer_year(f, refs)
        if year is not None and (v := _value(f, year)):
            resolved.append((f, v))
    mentioned: list[list[str]] = [[] for _ in texts]
    for f, v in resolved:
        iso = v.to_text()
        if iso not in mentioned[f.passage]:
            mentioned[f.passage].append(iso)
    dateline = next((v for f, v in resolved if f.dateline), None)
    if given is not None:
        return _refine(given, dateline).to_text(), mentioned
    if dateline is not None:
        return dateline.to_text(), mentioned
    if not resolved:
        return None, mentioned
    latest = max((v for _, v in resolved), key=lambda v: (v.bounds()[0], v.day is not None))
    return latest.to_text(), mentioned
