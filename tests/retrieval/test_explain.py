"""The rewrites explain describes, one line each, from the real parser and analysis:
segmentation, the tone-mark rule, variants, patterns, fuzzy terms, function words."""

from __future__ import annotations

import pytest

from search.query.parser import parse
from search.query.rewrite import rewrite
from search.retrieval.explain import describe_rewrites

CASES = [
    ("đảm bảo", ["segmented: 'đảm bảo' is one word (its syllables as a phrase)",
                 "marks: đảm=exact bảo=exact"]),
    ("ong", ["marks: ong=any form"]),
    ('"đường ong"', ["marks: đường=exact ong=any form"]),
    ("Ushak*", ["pattern: 'ushak*' stands for the index terms it matches (any form)"]),
    ("Kremlinn~1", ["fuzzy: 'kremlinn' within 1 edit(s)"]),
]


@pytest.mark.parametrize(("query", "lines"), CASES, ids=[q for q, _ in CASES])
def test_each_rewrite_is_one_line(query: str, lines: list[str]) -> None:
    parsed = parse(query)
    assert describe_rewrites(parsed, rewrite(parsed)) == lines


def test_a_variant_is_named_and_ranked_below_the_spelling_typed() -> None:
    parsed = parse("Moskva")
    lines = describe_rewrites(parsed, rewrite(parsed))
    assert any(line.startswith("variants: 'moskva' also finds") and "ranked below" in line
               for line in lines)


def test_a_question_says_which_words_decide_and_which_may_be_missing() -> None:
    parsed = parse("Ai cảnh báo Nga")
    lines = describe_rewrites(parsed, rewrite(parsed))
    assert "function words: ai neither decide a match nor score" in lines
    assert any(line.startswith("partial: if fewer than") and "all 2 words" in line
               for line in lines)
