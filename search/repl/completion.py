"""What to complete, as a pure function of the text before the cursor.

Kept apart from prompt_toolkit so it can be tested with plain strings
(including every prefix of real queries: it must never fail)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from search.analysis import fold
from search.query.ast import FIELDS

COMMANDS = {
    ":help": "syntax cheat-sheet", ":open": "the whole article of hit N",
    ":explain": "score breakdown of hit N", ":limit": "hits per page",
    ":format": "text or json", ":speakers": "who is quoted", ":stats": "index size",
    ":reindex": "update the index", ":more": "next page", ":quit": "leave",
}
OPERATORS = ("AND", "OR", "NOT")
# the word being typed: field:"value still open, field:value, or a bare word
_WORD = re.compile(r"""(?:(?:\w|[\u0300-\u036f])+:["“][^"”]*|(?:\w|[\u0300-\u036f])+:[^\s()"“”„]*"""
                   r"""|[^\s()"“”„]*)$""")


@dataclass(frozen=True, slots=True)
class Candidate:
    text: str  # what replaces the word being typed
    start: int  # where that word starts, as a negative offset from the cursor
    meta: str = ""


def _quoted(name: str) -> str:
    return f'"{name}"' if " " in name else name


def _matches(prefix: str, name: str) -> bool:
    """Case- and accent-insensitive: the start of the name or of any of its words."""
    p, n = fold(prefix.lower()), fold(name.lower())
    return n.startswith(p) or any(w.startswith(p) for w in n.split())


def completions(before: str, speakers: Sequence[str] = (), sources: Sequence[str] = (),
                ) -> list[Candidate]:
    """Completions for the word that ends at the cursor."""
    if before.lstrip().startswith(":") and " " not in before.strip():
        word = before.strip()
        return [Candidate(c, -len(word), meta) for c, meta in COMMANDS.items()
                if c.startswith(word)]
    word = _WORD.search(before)
    typed = word.group(0) if word else ""
    if ":" in typed:
        field, _, value = typed.partition(":")
        field = fold(field.lower())
        pool = {"speaker": speakers, "source": sources}.get(field, ())
        value = value.lstrip('"“')
        return [Candidate(f"{field}:{_quoted(n)}", -len(typed), "speaker" if field == "speaker"
                          else "source") for n in pool if _matches(value, n)][:50]
    if not typed:
        return []
    out = [Candidate(f"{f}:", -len(typed), "field") for f in FIELDS
           if f.startswith(fold(typed.lower()))]
    out += [Candidate(op, -len(typed), "operator") for op in OPERATORS
            if op.startswith(typed) and typed.isupper()]
    return out
