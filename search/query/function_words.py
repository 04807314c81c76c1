"""Which words of a plain query are function or question words.

A question pasted into the box (``Ai có được nhiều lần vật ngã nhất?``) holds
words that the passage answering it does not (``ai``, ``bao nhiêu``) and words
that nearly every passage holds (``là``, ``của``, ``được``). Requiring them
empties the result; scoring them drowns the words that matter. The searcher asks
this module which words those are, and matches and ranks on the others; a query
made only of them is searched as typed. The list is ``function_words.txt``.

The tone-mark rule holds here as everywhere: a syllable typed with a mark must be
that syllable (``ống`` is not ``ông``); one typed bare stands for every form.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from importlib import resources

from search.analysis import fold, tokenize
from search.query.ast import Word

Entry = tuple[str, ...]  # lowercased, normalised syllables


@lru_cache(maxsize=1)
def entries() -> frozenset[Entry]:
    """The list, analysed as query text is (NFC, one tone placement, lowercase)."""
    text = resources.files("search.query").joinpath("function_words.txt").read_text(
        encoding="utf-8")
    out = set()
    for line in text.splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            syl = tuple(t.text.lower() for t in tokenize(line))
            if syl:
                out.add(syl)
    return frozenset(out)


@lru_cache(maxsize=1)
def _by_folded() -> dict[tuple[str, ...], list[Entry]]:
    table: dict[tuple[str, ...], list[Entry]] = {}
    for e in entries():
        table.setdefault(tuple(fold(s) for s in e), []).append(e)
    return table


def _matches(typed: Sequence[tuple[str, str, bool]], entry: Entry) -> bool:
    return all(s == e if marked else True
               for (s, _f, marked), e in zip(typed, entry, strict=True))


def function_mask(words: Sequence[Word]) -> list[bool]:
    """Per word: True when each of its syllables lies in a listed entry found in the
    query's syllables (longest entry first, across word boundaries, since the
    segmentation of ``như thế nào`` may differ from the list's)."""
    syl = [(s, f, m) for w in words for s, f, m in zip(w.syllables, w.folded, w.marks,
                                                          strict=True)]
    table = _by_folded()
    longest = max((len(k) for k in table), default=1)
    covered = [False] * len(syl)
    i = 0
    while i < len(syl):
        for n in range(min(longest, len(syl) - i), 0, -1):
            run = syl[i : i + n]
            if any(_matches(run, e) for e in table.get(tuple(f for _s, f, _m in run), ())):
                covered[i : i + n] = [True] * n
                i += n
                break
        else:
            i += 1
    out, at = [], 0
    for w in words:
        out.append(all(covered[at : at + len(w.syllables)]))
        at += len(w.syllables)
    return out
