"""Load ``query.lark`` once and build the LALR parser from it.

Only ``search.query`` imports lark: the rest of the package sees our AST.
"""

from __future__ import annotations

import re
from functools import lru_cache

from lark import Lark

from search.resources import grammar_dir


@lru_cache(maxsize=1)
def parser() -> Lark:
    text = (grammar_dir() / "query.lark").read_text(encoding="utf-8")
    # the basic lexer, not the contextual one: a keyword is a keyword everywhere,
    # so "AND a" is a dangling operator rather than a search for the word AND
    return Lark(text, parser="lalr", lexer="basic", propagate_positions=True,
                maybe_placeholders=False)



@lru_cache(maxsize=1)
def keywords() -> frozenset[str]:
    """Every word the grammar reads as an operator, as written in its terminals
    (``AND``, ``VÀ``, ``HOẶC``…): what must be escaped to search for it."""
    words: set[str] = set()
    for term in parser().terminals:
        if term.name in ("_AND", "_OR", "_NOT", "_TO"):
            body = re.sub(r"\(\?=.*", "", term.pattern.value)  # not the look-ahead
            words.update(w for w in re.findall(r"[^\W\d_]+", body) if w != "i")
    return frozenset(words)
