"""The rewrites a query went through, in words a user can check."""

from __future__ import annotations

from collections.abc import Callable

from search.plan.lower import exact_form, exact_forms
from search.query.ast import (
    Analysed,
    And,
    FuzzyWord,
    Node,
    Or,
    Sequence,
    TermPattern,
    Variant,
    Word,
)
from search.query.tree import walk
from search.retrieval import plain
from search.retrieval.plain import first_word
from search.retrieval.searcher import FEW, is_plain
from search.schema import FOLD, SYL


def _is_unit(node: Node) -> bool:
    """A word (with its variants), a phrase, a pattern or a fuzzy term: what one
    line of the explanation is about."""
    return first_word(node) is not None or isinstance(node, Sequence | TermPattern | FuzzyWord)


def _leaves(node: Node | None) -> list[Node]:
    if node is None:
        return []
    return [n for n, _ in walk(node, into=lambda n: not _is_unit(n)) if _is_unit(n)]


def marks(word: Word) -> str:
    """Each syllable and how it is matched: ``ống=exact nuoc=any form``."""
    return " ".join(f"{s}={'any form' if e is None else 'exact'}"
                    for s, e in zip(word.syllables, exact_forms(word), strict=True))


def describe_rewrites(parsed: Node, analysed: Analysed | None,
                      frequency: Callable[[str, str], int] | None = None) -> list[str]:
    """One line per rewrite; ``frequency(field, term)`` tells when folding
    actually widens a word (it does not for ``Ukraine``)."""
    out: list[str] = []
    for unit in _leaves(analysed):
        if isinstance(unit, TermPattern):
            rule = "any form" if exact_form(unit.pattern) is None else "exact"
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
        exact = exact_forms(word)
        widens = frequency is None or any(
            frequency(FOLD, f) > frequency(SYL, s)
            for s, f, e in zip(word.syllables, word.folded, exact, strict=True) if e is None)
        out.append(f"marks: {marks(word)}" + (
            "" if widens or None not in exact else " (no other form in the index)"))
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
