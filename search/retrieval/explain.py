"""The rewrites a query went through, in words a user can check."""

from __future__ import annotations

from collections.abc import Callable

from search.analysis import fold
from search.query.ast import (
    And,
    Boost,
    Field,
    FuzzyWord,
    Must,
    Node,
    Not,
    Or,
    Sequence,
    TermPattern,
    Variant,
    Word,
    marked,
)
from search.retrieval import plain
from search.retrieval.plain import first_word
from search.retrieval.searcher import FEW, is_plain
from search.schema import FOLD, SYL


def _leaves(node: Node | None) -> list[Node]:
    if node is None:
        return []
    if first_word(node) is not None or isinstance(node, Sequence | TermPattern | FuzzyWord):
        return [node]
    if isinstance(node, And | Or):
        return [w for c in node.children for w in _leaves(c)]
    if isinstance(node, Field | Not | Must | Boost):
        return _leaves(node.child)
    return []


def marks(word: Word) -> str:
    """Each syllable and how it is matched: ``ống=exact nuoc=any form``."""
    return " ".join(f"{s}={'exact' if m else 'any form'}"
                    for s, m in zip(word.syllables, word.marks, strict=True))


def describe_rewrites(parsed: Node, analysed: Node | None,
                      frequency: Callable[[str, str], int] | None = None) -> list[str]:
    """One line per rewrite; ``frequency(field, term)`` tells when folding
    actually widens a word (it does not for ``Ukraine``)."""
    out: list[str] = []
    for unit in _leaves(analysed):
        if isinstance(unit, TermPattern):
            rule = "exact" if marked(unit.pattern, fold(unit.pattern)) else "any form"
            out.append(f"pattern: '{unit.pattern}' stands for the index terms it matches "
                       f"({rule})")
            continue
        if isinstance(unit, FuzzyWord):
            out.append(f"fuzzy: '{unit.syllable}' within {unit.edits} edit(s)")
            continue
        word = unit.word if isinstance(unit, Sequence) else first_word(unit)
        assert word is not None
        text = " ".join(word.syllables)
        if len(word.syllables) > 1 and not isinstance(unit, Sequence):
            out.append(f"segmented: '{text}' is one word (its syllables as a phrase)")
        widens = frequency is None or any(
            frequency(FOLD, f) > frequency(SYL, s)
            for s, f, m in zip(word.syllables, word.folded, word.marks, strict=True) if not m)
        out.append(f"marks: {marks(word)}" + (
            "" if widens or all(word.marks) else " (no other form in the index)"))
        if isinstance(unit, Or):
            alts = [a for a in unit.children[1:] if isinstance(a, Variant)]
            if alts:
                names = ", ".join(" ".join(a.word.syllables) for a in alts)
                out.append(f"variants: '{text}' also finds {names} (x{alts[0].weight:g}, "
                           "ranked below the spelling typed)")
    if is_plain(parsed) and isinstance(analysed, And) and len(analysed.children) > 1:
        parts = plain.split(analysed.children)
        if parts.function:
            names = ", ".join(u.to_text() for u in parts.function)
            out.append(f"function words: {names} neither decide a match nor score")
        n = len(parts.content)
        if n > 1:
            out.append(f"partial: if fewer than {FEW} passages hold all {n} words, passages "
                       "with some of them follow, ranked by how much of the query they hold, "
                       "marked partial")
    return out
