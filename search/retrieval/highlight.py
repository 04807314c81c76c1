"""Where a query matched inside a passage, as character offsets.

Matching is redone on the passage's own tokens (accent-folded, so ``dam bao``
lights up ``đảm bảo``); offsets point into the text as stored, so NFD text
and old tone placement get correct spans.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from search.analysis import Token, fold, tokenize
from search.query.ast import And, Boost, Field, Fuzzy, Must, Node, Not, Or, Phrase, Prefix, Word
from search.query.rewrite import fuzzy_term, phrase_word


@dataclass(frozen=True, slots=True)
class Pattern:
    folded: tuple[str, ...]
    prefix: bool = False
    distance: int = 0  # fuzzy: edit distance allowed


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
        return [Pattern(node.folded)]
    if isinstance(node, Phrase):
        word = phrase_word(node.text)
        folded = word.folded if word is not None else ()
        if node.slop is not None:
            return [Pattern((f,)) for f in folded]
        return [Pattern(folded)] if folded else []
    if isinstance(node, Prefix):
        return [Pattern((fold(node.text.lower()),), prefix=True)]
    if isinstance(node, Fuzzy):
        term = fuzzy_term(node)  # the syllable the backends match, folded
        return [Pattern((fold(term),), distance=node.edits(term))]
    return []


def edit_distance(a: str, b: str, limit: int) -> int:
    """Levenshtein distance, giving up (limit + 1) once it must exceed ``limit``."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        if min(cur) > limit:
            return limit + 1
        prev = cur
    return prev[-1]


@lru_cache(maxsize=4096)
def _folded_tokens(text: str) -> tuple[tuple[Token, ...], tuple[str, ...]]:
    """A passage's tokens and their folded forms: the same passages come back
    query after query, and once per query word when partial hits are checked."""
    tokens = tokenize(text)
    return tuple(tokens), tuple(fold(t.text.lower()) for t in tokens)


def occurrences(text: str, pat: Pattern) -> list[tuple[int, int]]:
    """Character spans of one pattern in ``text`` (token-aligned, accent-folded)."""
    tokens, folded = _folded_tokens(text)
    n = len(pat.folded)
    out = []
    for i in range(len(tokens) - n + 1):
        if pat.prefix:
            ok = folded[i].startswith(pat.folded[0])
        elif pat.distance:
            ok = edit_distance(folded[i], pat.folded[0], pat.distance) <= pat.distance
        else:
            ok = folded[i : i + n] == pat.folded
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
