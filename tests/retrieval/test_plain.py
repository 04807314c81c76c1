"""Plain queries (words as typed or pasted): which words decide the match, and
whether a passage holds a word by the tone-mark rule; the words come from the real
parser and analysis."""

from __future__ import annotations

import pytest

from search.query.ast import And, Node, Word
from search.query.parser import parse_plain
from search.query.rewrite import rewrite
from search.retrieval.plain import first_word, holds, split

PASSAGE = ("Ông Chính cho biết đường ống dẫn nước ở phố Huế đã được sửa xong, "
           "tốn 175.000 đồng.")


def units(text: str) -> tuple[Node, ...]:
    analysed = rewrite(parse_plain(text))
    assert analysed is not None
    return analysed.children if isinstance(analysed, And) else (analysed,)


def shown(nodes: tuple[Node, ...]) -> list[str]:
    words = [first_word(n) for n in nodes]
    return [" ".join(w.syllables) for w in words if isinstance(w, Word)]


@pytest.mark.parametrize(("word", "held"), [
    ("ống", True),
    ("ông", True),  # "Ông" opens the passage
    ("ong", True),  # bare: any form
    ("huế", True),
    ("hue", True),
    ("hué", False),  # a mark the passage never has
    ("175000", True),  # a number as the text writes it: 175.000
    ("ngập", False),
])
def test_a_passage_holds_a_word_by_the_tone_mark_rule(word: str, held: bool) -> None:
    (unit,) = units(word)
    assert holds(PASSAGE, unit) is held


@pytest.mark.parametrize(("query", "content", "function"), [
    ("Ai sửa đường ống ở phố Huế?", ["sửa", "đường ống", "phố", "huế"], ["ai", "ở"]),
    ("Bao nhiêu binh sĩ Nga", ["binh sĩ", "nga"], ["bao nhiêu"]),
    ("ai là ai", ["ai", "là"], []),  # nothing else: searched as typed (a word once)
])
def test_function_words_neither_decide_nor_score(query: str, content: list[str],
                                                 function: list[str]) -> None:
    parts = split(units(query))
    assert (shown(parts.content), shown(parts.function)) == (content, function)
