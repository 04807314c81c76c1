"""Where a query matched inside a passage, as character offsets.

Matching is redone on the passage's own tokens by the rule the engines follow
(a syllable typed with marks matches only itself, a bare one every accented
form: ``dam bao`` lights up ``đảm bảo``, ``ống`` never lights up ``ông``);
offsets point into the text as stored, so NFD text and old tone placement get
correct spans.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from search.analysis import Token, fold, tokenize
from search.plan.expand import edit_distance, wildcard_regex
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


@dataclass(frozen=True, slots=True)
class Pattern:
    """Syllables to find in order: ``folded`` always, and where a query syllable
    was typed with marks, ``exact`` holds it (None: any form)."""

    folded: tuple[str, ...]
    exact: tuple[str | None, ...] = ()
    regex: re.Pattern[str] | None = None  # a wildcard: one syllable matching it
    distance: int = 0  # fuzzy: edit distance allowed


def word_pattern(word: Word) -> Pattern:
    exact = tuple(s if m else None for s, m in zip(word.syllables, word.marks, strict=True))
    return Pattern(word.folded, exact if any(exact) else ())


def _one(text: str) -> tuple[tuple[str, ...], tuple[str | None, ...]]:
    folded = fold(text)
    return (folded,), ((text,) if marked(text, folded) else ())


def patterns(node: Node, field: str = "text") -> list[Pattern]:
    """The positive text-field leaves of an analysed query."""
    if isinstance(node, Not):
        return []
    if isinstance(node, Field):
        return patterns(node.child, node.name)
    if isinstance(node, And | Or):
        return [p for c in node.children for p in patterns(c, field)]
    if isinstance(node, Must | Boost):
        return patterns(node.child, field)
    if field != "text":
        return []
    if isinstance(node, Word):
        return [word_pattern(node)]
    if isinstance(node, Variant):
        return [word_pattern(node.word)]
    if isinstance(node, Sequence):
        whole = word_pattern(node.word)
        if node.slop is not None:
            return [Pattern((f,), (e,) if e else ()) for f, e in
                    zip(whole.folded, whole.exact or (None,) * len(whole.folded), strict=True)]
        return [whole]
    if isinstance(node, TermPattern):
        folded, exact = _one(node.pattern)
        rx = wildcard_regex(exact[0] if exact else folded[0])
        return [Pattern(folded, exact, regex=rx)]
    if isinstance(node, FuzzyWord):
        folded, exact = _one(node.syllable)
        return [Pattern(folded, exact, distance=node.edits)]
    return []


@lru_cache(maxsize=4096)
def _folded_tokens(text: str) -> tuple[tuple[Token, ...], tuple[str, ...], tuple[str, ...]]:
    """A passage's tokens, their lowercased and their folded forms: the same
    passages come back query after query, and once per query word when partial
    hits are checked."""
    tokens = tokenize(text)
    lower = tuple(t.text.lower() for t in tokens)
    return tuple(tokens), lower, tuple(fold(s) for s in lower)


def _syllable_ok(pat: Pattern, lower: str, folded: str) -> bool:
    exact = pat.exact[0] if pat.exact else None
    seen = lower if exact is not None else folded
    want = exact if exact is not None else pat.folded[0]
    if pat.regex is not None:
        return pat.regex.fullmatch(seen) is not None
    return edit_distance(seen, want, pat.distance) <= pat.distance


def occurrences(text: str, pat: Pattern) -> list[tuple[int, int]]:
    """Character spans of one pattern in ``text`` (token-aligned)."""
    tokens, lower, folded = _folded_tokens(text)
    n = len(pat.folded)
    out = []
    for i in range(len(tokens) - n + 1):
        if pat.regex is not None or pat.distance:
            ok = _syllable_ok(pat, lower[i], folded[i])
        else:
            ok = folded[i : i + n] == pat.folded and (not pat.exact or all(
                e is None or e == s for e, s in zip(pat.exact, lower[i : i + n], strict=True)))
        if ok:
            out.append((tokens[i].start, tokens[i + n - 1].end))
    return out


def highlight(text: str, pats: list[Pattern]) -> list[list[int]]:
    """Sorted ``[start, end)`` spans of every pattern occurrence; adjacent ones merged."""
    if not pats:
        return []
    spans = [span for pat in pats for span in occurrences(text, pat)]
    merged: list[list[int]] = []
    for s, e in sorted(spans):
        if merged and (s <= merged[-1][1] or not text[merged[-1][1] : s].strip()):
            # overlapping, or only white space between: one highlight
            merged[-1][1] = max(merged[-1][1], e)
        else:
            merged.append([s, e])
    return merged
