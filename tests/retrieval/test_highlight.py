"""Highlights: where a query matched inside a passage, by the rule the engines
follow, as offsets into the text as stored. A table of query, passage, and the
pieces of the passage lit up."""

from __future__ import annotations

import unicodedata

import pytest

from search.query.parser import parse
from search.query.rewrite import rewrite
from search.retrieval.highlight import highlight, patterns

TEXT = ("Ông Ushakov nói Nga muốn đảm bảo an ninh, đường ống Nord Stream và NATO; "
        "điện Kremlin")


def lit(query: str, text: str = TEXT) -> list[str]:
    """The pieces of ``text`` a query lights up, in order."""
    analysed = rewrite(parse(query))
    assert analysed is not None
    return [text[s:e] for s, e in highlight(text, patterns(analysed))]


@pytest.mark.parametrize(("query", "pieces"), [
    ("dam bao", ["đảm bảo"]),  # a bare syllable lights up every accented form
    ("ống", ["ống"]),  # a marked one only itself: never "Ông"
    ("ong", ["Ông", "ống"]),
    ('"đường ống"', ["đường ống"]),
    ('"duong ong"', ["đường ống"]),
    ('"Nord Stream"~3', ["Nord Stream"]),
    ("Nga muốn", ["Nga muốn"]),  # neighbours with only a space between: one highlight
    ("an ninh^2", ["an ninh"]),
    ("Ushak*", ["Ushakov"]),
    ("Ush?kov", ["Ushakov"]),
    ("Kremlinn~1", ["Kremlin"]),
    ("Nga -NATO", ["Nga"]),  # an excluded word is never lit
    ("speaker:Ushakov Nga", ["Nga"]),  # other fields are not the passage's text
    ("title:Nga an", ["an"]),
    ("Putin", []),
])
def test_a_query_lights_up_what_it_matched(query: str, pieces: list[str]) -> None:
    assert lit(query) == pieces


def test_offsets_point_into_the_text_as_stored() -> None:
    nfd = unicodedata.normalize("NFD", "Đường ống khí đốt")
    assert lit("duong ong", nfd) == [nfd[: nfd.index(" kh")]]  # NFD: longer than it looks
    assert lit("hòa bình", "Hoà bình lập lại") == ["Hoà bình"]  # the old tone placement
    assert lit("ống", "ông ống ông") == ["ống"]
