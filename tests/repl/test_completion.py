"""Completion, a pure function of the text before the cursor: tables of typed text
and what is offered, and every prefix of real queries (it must never fail)."""

from __future__ import annotations

import pytest

from search.repl.completion import completions
from search.repl.lexer import fragments

SPEAKERS = ["Điện Kremlin", "Jake Sullivan", "Vladimir Putin", "Sergei Lavrov"]


SOURCES = ["PLVN", "Tuổi trẻ"]


REAL_QUERIES = ['speaker:"Jake Sullivan" date:[2021-12-01 TO 2021-12-31] "Nord Stream"',
                'title:(đột phá OR thỏa thuận) -NATO Ushak* Kremlinn~1 NATO^2', ":open 3",
                'source:"tuoi tre" AND (Lavrov OR Blinken)', "biên giới „Nord Stream\""]


@pytest.mark.parametrize(("before", "expected"), [
    ("speaker:sul", ['speaker:"Jake Sullivan"']),
    ("speaker:SUL", ['speaker:"Jake Sullivan"']),
    ("speaker:dien", ['speaker:"Điện Kremlin"']),
    ("Ukraine speaker:kreml", ['speaker:"Điện Kremlin"']),
    ('speaker:"lav', ['speaker:"Sergei Lavrov"']),
    ("source:", ["source:PLVN", 'source:"Tuổi trẻ"']),
    ("source:tuoi", ['source:"Tuổi trẻ"']),
    ("spe", ["speaker:"]),
    ("NATO A", ["article:", "AND"]),
    ('speaker:"jake su', ['speaker:"Jake Sullivan"']),
    ("NATO a", ["article:"]),
    (":ex", [":explain"]),
    (":", None),
])
def test_completions(before: str, expected: list[str] | None) -> None:
    got = [c.text for c in completions(before, SPEAKERS, SOURCES)]
    if expected is None:
        assert len(got) >= 10 and ":help" in got
    else:
        assert got == expected
    for c in completions(before, SPEAKERS, SOURCES):  # it replaces exactly the word being typed
        replaced = before[len(before) + c.start:]
        assert -c.start <= len(before) and replaced == replaced.lstrip()


def test_completions_and_highlighting_cover_every_prefix_of_real_queries() -> None:
    for q in REAL_QUERIES:
        for i in range(len(q) + 1):
            for c in completions(q[:i], SPEAKERS, SOURCES):
                assert c.text and -c.start <= i  # replaces at most what was typed
            # the highlighted fragments are the text typed, cut into styled pieces
            assert "".join(text for _, text in fragments(q[:i])) == q[:i]
