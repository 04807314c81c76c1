"""Lower the analysed query into the plan every engine runs.

This is where matching is decided, once for all engines:

- **Tone marks mean what they say.** A query syllable typed with a mark (tone,
  ``ă â ê ô ơ ư`` or ``đ``) matches only that syllable; a bare one matches every
  accented form, and its bare form earns the exact-syllable score on top.
- **A word** matches on its folded syllables in sequence (one phrase); the
  exact syllables, the whole segmented word, the title and the speaker only add
  score. It scores as the mean of its syllables, so ``cảnh báo`` does not
  outweigh a rarer one-syllable ``Sullivan``.
- **A variant** (``Moscow`` for ``Matxcova``) matches as a word, times its
  weight; a word and its variants score as the best of them (:class:`Best`), so
  a passage naming two variants does not outrank one with the spelling typed.
- **Filters** (speaker, source, article, date) restrict and score nothing.
- **Prefix, wildcard and fuzzy** terms become the index terms they stand for.
"""

from __future__ import annotations

import re

from search.analysis import fold
from search.plan.expand import Lexicon, expand_fuzzy, expand_wildcard
from search.plan.nodes import (
    All,
    AnyOf,
    Best,
    Filter,
    MatchAll,
    MatchNone,
    Near,
    Phrase,
    Plan,
    Range,
    Scale,
    Terms,
    WithExtra,
)
from search.plan.ranking import W_DAY_MONTH, W_EXACT, W_FOLD, W_SPEAKER, W_TITLE, W_WORD
from search.query.ast import (
    RAW_LEAVES,
    Analysed,
    And,
    ArticleId,
    AtLeast,
    Boost,
    DateRange,
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
from search.query.tree import transform
from search.schema import (
    ARTICLE,
    DATE_HI,
    DATE_LO,
    SPEAKER_FOLD,
    SYL,
    SYLLABLE_FIELDS,
    TITLE_SYL,
    WFOLD,
    WORD,
)

_FULL_DATE = re.compile(r"(\d{1,2}/\d{1,2})/\d{4}")  # 7/12/2021 also finds "ngày 7/12"


def seq(field: str, terms: tuple[str, ...], weight: float = 1.0, slop: int | None = None) -> Plan:
    """One term, or the terms in order; with ``slop``, the terms near each other."""
    if len(terms) == 1:
        return Terms(field, terms, weight)
    if slop:
        return near(field, terms, slop, weight)
    return Phrase(field, terms, weight)


def near(field: str, terms: tuple[str, ...], within: int, weight: float = 1.0) -> Plan:
    """``"a b c"~N``: every two of the words at most ``within`` positions apart, in
    any order. Engines agree on two words and not on more (a window, a sum of gaps,
    orders tried), so the rule is decided here: a proximity of n words is the n·(n-1)/2
    pairs, scored together as one phrase would be. A word typed twice is needed once."""
    distinct = tuple(dict.fromkeys(terms))
    if len(distinct) == 1:
        return Terms(field, distinct, weight)
    pairs = [(a, b) for i, a in enumerate(distinct) for b in distinct[i + 1:]]
    share = weight / len(pairs)
    return _all([Near(field, a, b, within, share) for a, b in pairs])


def _all(parts: list[Plan]) -> Plan:
    return parts[0] if len(parts) == 1 else All(tuple(parts))


def _any(parts: list[Plan]) -> Plan:
    live = [p for p in parts if not isinstance(p, MatchNone)]
    if not live:
        return MatchNone()
    return live[0] if len(live) == 1 else AnyOf(tuple(live))


def exact_forms(word: Word) -> tuple[str | None, ...]:
    """The tone-mark rule, decided here for all that reads a query (the plan, and
    highlights, explain and suggestions, which must agree with it): per syllable,
    the form a match must hold exactly (typed with a mark), or None (typed bare:
    any form)."""
    return tuple(s if marked(s, f) else None
                 for s, f in zip(word.syllables, word.folded, strict=True))


def exact_form(text: str) -> str | None:
    """The rule for a one-syllable pattern or fuzzy term: itself when typed with a
    mark, else None (any form)."""
    return text if marked(text, fold(text)) else None


def marks_check(exact_field: str, word: Word, slop: int | None = None) -> Plan | None:
    """What a match on folded syllables must also hold for the marked syllables
    to mean themselves: all marked, the exact sequence; some, each marked syllable."""
    exact = exact_forms(word)
    if all(e is None for e in exact):
        return None
    if None not in exact:
        return seq(exact_field, word.syllables, 1.0, slop)
    return _all([Terms(exact_field, (e,)) for e in exact if e is not None])


def syllables_match(field: str, word: Word, weight: float, slop: int | None = None) -> Plan:
    """The required match of ``word`` in a query field, by the tone-mark rule: typed
    bare, its folded syllables; with every mark, its exact ones; mixed, the folded
    ones where the marked syllables hold exactly (scored on the folded match)."""
    exact_field, fold_field = SYLLABLE_FIELDS[field]
    if None not in exact_forms(word):
        return seq(exact_field, word.syllables, weight, slop)
    loose = seq(fold_field, word.folded, weight, slop)
    check = marks_check(exact_field, word, slop)
    return loose if check is None else All((loose, Filter(check)))


class Lowering:
    """Analysed tree -> plan, reading expansions from one snapshot's vocabulary."""

    def __init__(self, lexicon: Lexicon) -> None:
        self.lex = lexicon
        self._memo: dict[tuple[Node, str], Plan | None] = {}

    def __call__(self, node: Analysed, field: str = "text") -> Plan:
        """The plan of ``node``, once per node and field (every subtree's plan is
        kept: suggestions and partial matches lower the same words again)."""
        plan = self._memo.get((node, field))
        if plan is not None:
            return plan
        plan = transform(node, self._lower, field, self._memo)
        if plan is None:  # pragma: no cover - _lower drops nothing
            raise TypeError(f"nothing to lower in {node.to_text()!r}")
        return plan

    def _lower(self, node: Node, subtrees: tuple[Plan, ...], field: str) -> Plan:
        """One node's plan, over its subtrees' plans."""
        if isinstance(node, Word):
            return self.word(node, field)
        if isinstance(node, Variant):
            return Scale(self.word(node.word, field), node.weight)
        if isinstance(node, Sequence):
            return self.sequence(node, field)
        if isinstance(node, TermPattern):
            return self.pattern(node, field)
        if isinstance(node, FuzzyWord):
            return self.fuzzy(node, field)
        if isinstance(node, ArticleId):
            return Filter(Terms(ARTICLE, (node.text,)))
        if isinstance(node, DateRange):
            return date_within(node)
        if isinstance(node, Field):
            if node.name == "article" and isinstance(node.child, Or) and all(
                    isinstance(c, ArticleId) for c in node.child.children):
                ids = tuple(c.text for c in node.child.children if isinstance(c, ArticleId))
                return Filter(Terms(ARTICLE, ids))
            return subtrees[0]
        if isinstance(node, And):
            must = [p for c, p in zip(node.children, subtrees, strict=True)
                    if not isinstance(c, Not)]
            # an exclusion lowers to All((MatchAll,), (what it excludes,)): here the
            # AND's own matches are the base
            exclude = tuple(p.exclude[0] for c, p in zip(node.children, subtrees, strict=True)
                            if isinstance(c, Not) and isinstance(p, All))
            if not exclude:
                return _all(must)
            return All(tuple(must) or (MatchAll(),), exclude)
        if isinstance(node, Or):
            if any(isinstance(c, Variant) for c in node.children):
                return Best(subtrees)
            return _any(list(subtrees))
        if isinstance(node, AtLeast):
            return AnyOf(subtrees, node.minimum)
        if isinstance(node, Not):
            return All((MatchAll(),), subtrees)
        if isinstance(node, Must):
            return subtrees[0]
        if isinstance(node, Boost):
            return Scale(subtrees[0], node.factor)
        if isinstance(node, RAW_LEAVES):
            # the type says so too; this is for trees built where mypy does not look.
            # Raised before any plan is returned, let alone run.
            raise TypeError(f"cannot lower the unanalysed {type(node).__name__} "
                            f"{node.to_text()!r}: rewrite the parsed tree first "
                            "(search.query.rewrite.rewrite)")
        raise TypeError(f"cannot lower {type(node).__name__}")

    # leaves ---------------------------------------------------------------------
    def word(self, node: Word, field: str) -> Plan:
        if field == "article":
            return Filter(Terms(ARTICLE, ("".join(node.syllables),)))
        if field not in SYLLABLE_FIELDS:
            raise TypeError(f"{field}: takes a date, not words")
        if field in ("speaker", "source"):
            return Filter(syllables_match(field, node, 1.0))
        n = len(node.syllables)
        if field == "title":
            return WithExtra(syllables_match(field, node, W_FOLD),
                            seq(TITLE_SYL, node.syllables, W_EXACT))
        match = syllables_match("text", node, W_FOLD / n)
        if n == 1 and (m := _FULL_DATE.fullmatch(node.syllables[0])):
            match = AnyOf((match, Terms(SYL, (m.group(1),), W_DAY_MONTH)))
        extra: list[Plan] = [Terms(SYL, (s,), W_EXACT / n) for s in node.syllables]
        if n == 1 and match == Terms(SYL, node.syllables, W_FOLD):
            # typed with marks, the match is the exact syllable: one posting list
            # scored at both weights, not the same one read twice (a long question
            # holds many such words)
            match, extra = Terms(SYL, node.syllables, W_FOLD + W_EXACT), []
        extra += [seq(TITLE_SYL, node.syllables, W_TITLE / n),
                  seq(SPEAKER_FOLD, node.folded, W_SPEAKER / n)]
        if n > 1:
            extra += [Terms(WORD, (" ".join(node.syllables),), W_WORD),
                      Terms(WFOLD, (" ".join(node.folded),), W_WORD * W_FOLD)]
        return WithExtra(match, AnyOf(tuple(extra)))

    def sequence(self, node: Sequence, field: str) -> Plan:
        """A quoted phrase, required by the tone-mark rule; the exact phrase and the
        folded one both score (every exact match is a folded match too)."""
        if field not in ("text", "title"):
            return self.word(node.word, field)
        exact_field, fold_field = SYLLABLE_FIELDS[field]
        word = node.word
        exact = seq(exact_field, word.syllables, W_EXACT, node.slop)
        if None not in exact_forms(word):
            # the exact phrase is the match; the folded one, on the same passages, scores
            return WithExtra(exact, seq(fold_field, word.folded, W_FOLD, node.slop))
        return WithExtra(syllables_match(field, word, W_FOLD, node.slop), exact)

    @staticmethod
    def _fields(field: str, text: str) -> list[tuple[str, float, str]]:
        """(index field, weight, text to expand there) for a one-syllable pattern:
        typed with marks, the exact field alone; bare, the folded field too."""
        exact_field, fold_field = SYLLABLE_FIELDS[field]
        if exact_form(text) is not None:
            return [(exact_field, W_EXACT, text)]
        return [(exact_field, W_EXACT, text), (fold_field, W_FOLD, fold(text))]

    def pattern(self, node: TermPattern, field: str) -> Plan:
        if field == "article":
            terms = expand_wildcard(self.lex, ARTICLE, node.pattern)
            return Filter(Terms(ARTICLE, terms)) if terms else MatchNone()
        if field not in SYLLABLE_FIELDS:
            raise TypeError(f"{field}: takes a date, not words")
        parts: list[Plan] = [
            Terms(f, terms, weight) if (terms := expand_wildcard(self.lex, f, text))
            else MatchNone() for f, weight, text in self._fields(field, node.pattern)]
        plan = _any(parts)
        return Filter(plan) if field in ("speaker", "source") else plan

    def fuzzy(self, node: FuzzyWord, field: str) -> Plan:
        if field not in SYLLABLE_FIELDS:
            raise TypeError(f"{field}: takes a date, not words")
        parts: list[Plan] = [
            Terms(f, terms, weight) if (terms := expand_fuzzy(self.lex, f, text, node.edits))
            else MatchNone() for f, weight, text in self._fields(field, node.syllable)]
        plan = _any(parts)
        return Filter(plan) if field in ("speaker", "source") else plan


def date_within(node: DateRange) -> Plan:
    """``date:`` as an interval the article's own interval (``DATE_LO``..``DATE_HI``,
    yyyymmdd) must lie inside; open on both sides, any dated article."""
    start = end = None
    if node.start is not None:
        lo, hi = node.start.bounds()
        start = lo if node.include_start else hi + 1
    if node.end is not None:
        lo, hi = node.end.bounds()
        end = hi if node.include_end else lo - 1
    parts: list[Plan] = []
    if start is not None or end is None:
        parts.append(Range(DATE_LO, start if start is not None else 0, None))
    if end is not None:
        parts.append(Range(DATE_HI, None, end))
    return Filter(_all(parts))


def lower(node: Analysed, lexicon: Lexicon) -> Plan:
    """The plan of one analysed query (see :class:`Lowering` to lower many)."""
    return Lowering(lexicon)(node)
