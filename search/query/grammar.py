"""Load ``query.lark`` once and build the LALR parser from it.

Only ``search.query`` imports lark: the rest of the package sees our AST.
"""

from __future__ import annotations

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

