"""The console's colours come from the grammar's own tokens; the error position is red."""

from __future__ import annotations

from search.repl.lexer import fragments, spans


def test_highlighting_uses_the_grammar_tokens() -> None:
    kinds = {kind for _, _, kind in spans('speaker:Putin AND "Nord Stream" date:>=2021 x~ a*')}
    assert {"FIELD_NAME", "_AND", "PHRASE", "CMP", "FUZZY", "WILDCARD"} <= kinds
    per_char = [style for style, text in fragments("NATO AND") for _ in text]
    assert per_char[5] == "class:error", "the error position is red"
    assert per_char[6] == "class:operator"
    unclosed = fragments('Ukraine "Nord Str')
    assert unclosed[-1] == ("class:error", '"Nord Str')
