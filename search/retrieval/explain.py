"""The rewrites a query went through, in words a user can check."""

from __future__ import annotations

from collections.abc import Callable

from search.query.ast import And, Boost, Field, Must, Node, Not, Or, Word
from search.retrieval.searcher import first_word, is_plain, minimum_should_match


def _words(node: Node | None) -> list[Node]:
    if node is None:
        return []
    if first_word(node) is not None:
        return [node]
    if isinstance(node, And | Or):
        return [w for c in node.children for w in _words(c)]
    if isinstance(node, Field | Not | Must | Boost):
        return _words(node.child)
    return []


def describe_rewrites(parsed: Node, analysed: Node | None,
                      frequency: Callable[[str, str], int] | None = None) -> list[str]:
    """One line per rewrite; ``frequency(field, term)`` tells when folding
    actually widens a word (it does not for ``Ukraine``)."""
    out: list[str] = []
    for unit in _words(analysed):
        word = first_word(unit)
        assert word is not None
        text = " ".join(word.syllables)
        if len(word.syllables) > 1:
            out.append(f"segmented: '{text}' is one word (its syllables as a phrase)")
        widens = frequency is None or any(
            frequency("fold", f) > frequency("syl", s)
            for s, f in zip(word.syllables, word.folded, strict=True))
        if not word.accented and widens:
            out.append(f"folded: '{text}' typed without accents also matches accented forms")
        if isinstance(unit, Or):
            alts = ", ".join(" ".join(a.child.syllables) for a in unit.children[1:]
                             if isinstance(a, Boost) and isinstance(a.child, Word))
            factor = unit.children[1].factor if isinstance(unit.children[1], Boost) else 1.0
            out.append(f"variants: '{text}' also finds {alts} (x{factor:g})")
    if is_plain(parsed) and isinstance(analysed, And) and len(analysed.children) > 1:
        n = len(analysed.children)
        out.append(f"partial: if fewer than 10 passages hold all {n} words, passages with "
                   f"{minimum_should_match(n)} of them follow, marked partial")
    return out
