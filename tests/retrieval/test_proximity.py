"""The proximity bonus of re-ranking: how close the query's words stand in a
passage, read on the passage's own text."""

from __future__ import annotations

import unicodedata

from search.retrieval.highlight import Pattern
from search.retrieval.proximity import bonus


def test_proximity_bonus_reads_gaps_whatever_the_form_of_the_text() -> None:
    words = [Pattern(("bien", "gioi")), Pattern(("ukraine",))]
    side_by_side = "Quân đội áp sát biên giới Ukraine hôm qua."
    apart = "Biên giới được củng cố, trong khi nhiều tuần sau Kiev mới nói về Ukraine."
    close = bonus(side_by_side, words)
    assert close > 0.95  # one space between: nearly the whole bonus
    assert bonus(unicodedata.normalize("NFD", side_by_side), words) == close
    assert 0.0 <= bonus(apart, words) < 0.5
    assert bonus("Ukraine trước, biên giới sau.", words) == 0.0  # out of order
    assert bonus("biên giớiUkraine", words) == 0.0  # not whole words
    # numbers are indexed without their dots: matched on tokens, not by the regex
    assert bonus("Khoảng 175.000 binh sĩ", [Pattern(("175000",)), Pattern(("binh",))]) > 0.9
