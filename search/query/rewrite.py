"""Backend-neutral passes from the parsed tree to the analysed tree.

- analyse leaves with the same chain as the index, once: a run of bare words is
  segmented (``biên giới Ukraine`` -> word ``biên giới`` AND ``Ukraine``), a
  phrase becomes its syllables (:class:`Sequence`), a prefix or wildcard its
  normalised pattern, a fuzzy term its syllable and edit distance;
- flatten nested AND/OR, drop repeated and empty leaves (punctuation only).

The analysed tree holds no raw text but article ids; :mod:`search.plan.lower`
turns it into the plan engines run.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import partial

from search.analysis import Analysis, analyze, fold
from search.analysis.normalize import normalize
from search.query.ast import (
    ANALYSED_LEAVES,
    Analysed,
    And,
    ArticleId,
    AtLeast,
    Boost,
    Field,
    Fuzzy,
    FuzzyWord,
    Must,
    Node,
    Not,
    Or,
    Phrase,
    Prefix,
    Sequence,
    Term,
    TermPattern,
    Variant,
    Wildcard,
    Word,
)
from search.query.tree import rebuilt, transform
from search.query.variants import WEIGHT, variants

# fields whose values are names or codes: no segmentation, syllables only
_UNSEGMENTED = {"speaker", "source", "title"}


Vocabulary = Callable[[str], bool]  # is this folded word in the index?
MAX_WORD_SYLLABLES = 3


def _spans(analysis: Analysis, vocab: Vocabulary | None) -> list[tuple[int, int]]:
    """Token ranges of the query's words. With the index's vocabulary, the longest
    run of syllables (up to three) that the index holds as a word is one word:
    a name the index never saw is split (``Lavrov Blinken`` is two names, not
    one) and syllables typed without accents are joined into the words the index
    knows (``dam bao`` -> ``đảm bảo``). pyvi alone cannot see either, and is not
    needed then: answering a query never loads its model (a second at start-up)."""
    if vocab is None:
        return [(w.first, w.first + w.length) for w in analysis.words]
    folded = [fold(t.text.lower()) for t in analysis.tokens]
    out: list[tuple[int, int]] = []
    i, n = 0, len(folded)
    while i < n:
        end = next((j for j in range(min(n, i + MAX_WORD_SYLLABLES), i + 1, -1)
                    if vocab(" ".join(folded[i:j]))), i + 1)
        out.append((i, end))
        i = end
    return out


def words_of(text: str, *, segment: bool = True, vocab: Vocabulary | None = None) -> list[Word]:
    """Analyse a run of query words into :class:`Word` leaves. Each syllable keeps
    the marks it was typed with: a marked one means itself, a bare one any form."""
    analysis = analyze(text, segment=segment and vocab is None)
    out = []
    for a, b in _spans(analysis, vocab if segment else None):
        toks = analysis.tokens[a:b]
        syl = tuple(t.text.lower() for t in toks)
        out.append(Word(syl, tuple(fold(s) for s in syl), span=(toks[0].start, toks[-1].end)))
    return out


def _and(children: Iterable[Analysed], explicit: bool, span: tuple[int, int]) -> Analysed | None:
    flat: list[Analysed] = []
    for c in children:
        for k in (c.children if isinstance(c, And) and c.explicit == explicit else (c,)):
            if k not in flat:  # a word typed twice is looked up once
                flat.append(k)
    if not flat:
        return None
    return flat[0] if len(flat) == 1 else And(tuple(flat), explicit, span=span)


def _or(children: Iterable[Analysed], span: tuple[int, int]) -> Analysed | None:
    flat: list[Analysed] = []
    for c in children:
        for k in (c.children if isinstance(c, Or) else (c,)):
            if k not in flat:
                flat.append(k)
    if not flat:
        return None
    return flat[0] if len(flat) == 1 else Or(tuple(flat), span=span)


def phrase_word(text: str) -> Word | None:
    """A quoted phrase's syllables, exact and folded, analysed as the text is
    (no segmentation: a phrase is its syllables); None when nothing is left."""
    syl = tuple(analyze(text, segment=False).syllables)
    return Word(syl, tuple(fold(s) for s in syl)) if syl else None


def fuzzy_word(node: Fuzzy) -> FuzzyWord:
    """The one syllable a fuzzy leaf is matched on (lowercased, normalised)."""
    syl = analyze(node.text, segment=False).syllables
    term = syl[0] if syl else node.text.lower()
    return FuzzyWord(term, node.edits(term), span=node.span)


def term_pattern(text: str, *, prefix: bool, span: tuple[int, int]) -> TermPattern:
    """A prefix (``Ushak*``) or wildcard (``Put?n``) normalised as the index is."""
    body = normalize(text).lower()
    return TermPattern(body + "*" if prefix else body, span=span)


def _runs_joined(node: Node, subtrees: tuple[Node, ...], field: str) -> Node:
    """Adjacent bare words of an implicit AND become one run to segment."""
    if not subtrees:
        return node
    if not isinstance(node, And) or node.explicit:
        return rebuilt(node, subtrees)
    out: list[Node] = []
    for c in subtrees:
        prev = out[-1] if out else None
        if isinstance(c, Term) and isinstance(prev, Term):
            out[-1] = Term(f"{prev.text} {c.text}", span=(prev.span[0], c.span[1]))
        else:
            out.append(c)
    return rebuilt(node, tuple(out))


def _expand(word: Word) -> Analysed:
    """A word and its name variants (lower weight); phrases never come here."""
    others = [o for o in variants().get(" ".join(word.folded), ()) if o != word.syllables]
    if not others:
        return word
    alts: list[Analysed] = [Variant(Word(o, tuple(fold(x) for x in o), span=word.span), WEIGHT,
                                span=word.span) for o in others]
    return Or((word, *alts), span=word.span)


def rewrite(node: Node, field: str = "text", vocab: Vocabulary | None = None) -> Analysed | None:
    """The analysed tree, or None when nothing searchable is left. ``vocab``
    (the index's word list) sharpens the segmentation of bare words."""
    joined = transform(node, _runs_joined, field)
    assert joined is not None  # joining drops nothing
    return transform(joined, partial(_analysed, vocab=vocab), field)


def _analysed(node: Node, subtrees: tuple[Analysed, ...], field: str,
              vocab: Vocabulary | None) -> Analysed | None:
    """One node of the parsed tree analysed, over its subtrees already analysed."""
    if isinstance(node, Term):
        if field == "article":
            return ArticleId(node.text, span=node.span)
        words = words_of(node.text, segment=field not in _UNSEGMENTED, vocab=vocab)
        if field in _UNSEGMENTED and words:
            # a name is one unit: ``speaker:Jake Sullivan`` is not two filters
            return Word(tuple(s for w in words for s in w.syllables),
                        tuple(f for w in words for f in w.folded), span=node.span)
        shifted = [Word(w.syllables, w.folded,
                        span=(node.span[0] + w.span[0], node.span[0] + w.span[1]))
                   for w in words]
        return _and([_expand(w) for w in shifted], False, node.span)
    if isinstance(node, Phrase):
        if field == "article":
            return ArticleId(node.text, span=node.span)
        word = phrase_word(node.text)
        if word is None:
            return None
        if field in _UNSEGMENTED - {"title"}:
            return Word(word.syllables, word.folded, span=node.span)  # a name: its syllables
        return Sequence(Word(word.syllables, word.folded, span=node.span), node.slop,
                        span=node.span)
    if isinstance(node, Prefix | Wildcard):
        if field == "article":
            return TermPattern(node.text + ("*" if isinstance(node, Prefix) else ""),
                               span=node.span)
        return term_pattern(node.text, prefix=isinstance(node, Prefix), span=node.span)
    if isinstance(node, Fuzzy):
        return fuzzy_word(node)
    if isinstance(node, And):
        return _and(subtrees, node.explicit, node.span)
    if isinstance(node, Or):
        return _or(subtrees, node.span)
    if isinstance(node, AtLeast):
        return AtLeast(subtrees, node.minimum, span=node.span)
    if isinstance(node, Field):
        return Field(node.name, subtrees[0], span=node.span)
    if isinstance(node, Boost):
        return Boost(subtrees[0], node.factor, span=node.span)
    if isinstance(node, Not):
        return Not(subtrees[0], span=node.span)
    if isinstance(node, Must):
        return Must(subtrees[0], span=node.span)
    if isinstance(node, ANALYSED_LEAVES):
        return node  # a date range, or a tree analysed already
    raise TypeError(f"not a query node: {node!r}")
