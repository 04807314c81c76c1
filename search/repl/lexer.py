"""Colours for the query being typed, from the grammar's own lexer, so the
highlighting can never drift from what the parser accepts."""

from __future__ import annotations

from collections.abc import Callable

from lark.exceptions import UnexpectedCharacters
from prompt_toolkit.document import Document
from prompt_toolkit.formatted_text import StyleAndTextTuples
from prompt_toolkit.lexers import Lexer

from search.query.grammar import parser
from search.query.parser import parse_lenient

STYLE_OF = {
    "FIELD_NAME": "class:field", "_AND": "class:operator", "_OR": "class:operator",
    "_NOT": "class:operator", "MINUS": "class:operator", "PLUS": "class:operator",
    "PHRASE": "class:phrase", "RANGE_OPEN": "class:range", "RANGE_CLOSE": "class:range",
    "_TO": "class:range", "CMP": "class:range", "STAR": "class:range",
    "WILDCARD": "class:modifier", "FUZZY": "class:modifier", "BOOST": "class:modifier",
    "LPAR": "class:paren", "RPAR": "class:paren", "ERROR": "class:error",
    "UNCLOSED": "class:error",
}
_OPENERS = '"“„'


def spans(text: str) -> list[tuple[int, int, str]]:
    """(start, end, token type) over ``text``; never raises."""
    out: list[tuple[int, int, str]] = []
    pos = 0
    while pos < len(text):
        try:
            for tok in parser().lex(text[pos:]):
                out.append((pos + tok.start_pos, pos + tok.end_pos, tok.type))
            break
        except UnexpectedCharacters as exc:
            at = pos + exc.pos_in_stream
            if text[at] in _OPENERS:  # a phrase still being typed
                out.append((at, len(text), "UNCLOSED"))
                break
            out.append((at, at + 1, "ERROR"))
            pos = at + 1
    return out


def fragments(text: str) -> StyleAndTextTuples:
    styles = [""] * len(text)
    for start, end, kind in spans(text):
        for i in range(start, min(end, len(text))):
            styles[i] = STYLE_OF.get(kind, "")
    if text.strip() and not text.lstrip().startswith(":"):
        _, errors = parse_lenient(text)
        if errors and errors[0].position < len(text):
            styles[errors[0].position] = "class:error"
    out: StyleAndTextTuples = []
    for ch, style in zip(text, styles, strict=True):
        if out and out[-1][0] == style:
            out[-1] = (style, out[-1][1] + ch)
        else:
            out.append((style, ch))
    return out


class QueryLexer(Lexer):
    def lex_document(self, document: Document) -> Callable[[int], StyleAndTextTuples]:
        lines = document.lines

        def line(n: int) -> StyleAndTextTuples:
            return fragments(lines[n]) if n < len(lines) else []
        return line
