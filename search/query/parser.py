"""Query text -> AST. Interim front end: bare words and "quoted phrases",
all required (the lark grammar replaces it)."""

from __future__ import annotations

import re

from search.errors import QuerySyntaxError
from search.query.ast import And, Node, Phrase, Term

_PART = re.compile(r'"([^"]*)"|(\S+)')


def parse(query: str) -> Node:
    parts: list[Node] = []
    if query.count('"') % 2:
        pos = query.rfind('"')
        raise QuerySyntaxError("unclosed quote", pos, 'add " to end the phrase', query)
    for m in _PART.finditer(query):
        if m.group(1) is not None:
            parts.append(Phrase(m.group(1), span=m.span()))
        else:
            parts.append(Term(m.group(2), span=m.span()))
    if not parts:
        raise QuerySyntaxError("empty query", 0, "type a word or a phrase", query)
    return parts[0] if len(parts) == 1 else And(tuple(parts), span=(0, len(query)))
