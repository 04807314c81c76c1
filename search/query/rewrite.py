"""Backend-neutral passes from the parsed tree to the tree a backend runs.

- analyse leaves with the same chain as the index: a run of bare words is
  segmented (``biên giới Ukraine`` -> word ``biên giới`` AND ``Ukraine``);
- flatten nested AND/OR, drop leaves that analysis empties (punctuation only).
"""

from __future__ import annotations

from search.analysis import analyze, fold
from search.analysis.fold import has_marks
from search.query.ast import And, Boost, Field, Must, Node, Not, Or, Term, Word

# fields whose values are names or codes: no segmentation, syllables only
_UNSEGMENTED = {"speaker", "source", "title"}


def words_of(text: str, *, segment: bool = True) -> list[Word]:
    """Analyse a run of query words into :class:`Word` leaves."""
    analysis = analyze(text, segment=segment)
    accented = has_marks(text)
    out = []
    for w in analysis.words:
        toks = analysis.tokens[w.first : w.first + w.length]
        syl = tuple(t.text.lower() for t in toks)
        out.append(Word(syl, tuple(fold(s) for s in syl), accented,
                        span=(toks[0].start, toks[-1].end)))
    return out


def _and(children: list[Node], explicit: bool, span: tuple[int, int]) -> Node | None:
    flat: list[Node] = []
    for c in children:
        if isinstance(c, And) and c.explicit == explicit:
            flat.extend(c.children)
        else:
            flat.append(c)
    if not flat:
        return None
    return flat[0] if len(flat) == 1 else And(tuple(flat), explicit, span=span)


def _merge_runs(node: And) -> list[Node]:
    """Adjacent bare words of an implicit AND become one run to segment."""
    if node.explicit:
        return list(node.children)
    out: list[Node] = []
    for c in node.children:
        prev = out[-1] if out else None
        if isinstance(c, Term) and isinstance(prev, Term):
            out[-1] = Term(f"{prev.text} {c.text}", span=(prev.span[0], c.span[1]))
        else:
            out.append(c)
    return out


def rewrite(node: Node, field: str = "text") -> Node | None:
    """The analysed tree, or None when nothing searchable is left."""
    if isinstance(node, Term):
        if field == "article":
            return node
        words = words_of(node.text, segment=field not in _UNSEGMENTED)
        if field in _UNSEGMENTED and words:
            # a name is one unit: ``speaker:Jake Sullivan`` is not two filters
            return Word(tuple(s for w in words for s in w.syllables),
                        tuple(f for w in words for f in w.folded),
                        any(w.accented for w in words), span=node.span)
        shifted = [Word(w.syllables, w.folded, w.accented,
                        span=(node.span[0] + w.span[0], node.span[0] + w.span[1]))
                   for w in words]
        return _and(list(shifted), False, node.span)
    if isinstance(node, Field):
        child = rewrite(node.child, node.name)
        return None if child is None else Field(node.name, child, span=node.span)
    if isinstance(node, And):
        kids = [k for k in (rewrite(c, field) for c in _merge_runs(node)) if k is not None]
        return _and(kids, node.explicit, node.span)
    if isinstance(node, Or):
        kids: list[Node] = []
        for c in node.children:
            k = rewrite(c, field)
            if isinstance(k, Or):
                kids.extend(k.children)
            elif k is not None:
                kids.append(k)
        if not kids:
            return None
        return kids[0] if len(kids) == 1 else Or(tuple(kids), span=node.span)
    if isinstance(node, Not | Must | Boost):
        child = rewrite(node.child, field)
        if child is None:
            return None
        if isinstance(node, Boost):
            return Boost(child, node.factor, span=node.span)
        return type(node)(child, span=node.span)
    return node
