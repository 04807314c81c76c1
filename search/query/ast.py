"""The query tree: typed, immutable, and ignorant of any search engine.

Every node records the span of the query text it came from, so errors and
the REPL can point at it. ``to_text()`` prints a canonical query string that
parses back to an equal tree (spans are left out of equality).

Two trees share these classes. The parser's holds raw text (:class:`Term`,
:class:`Phrase`, :class:`Prefix`, :class:`Wildcard`, :class:`Fuzzy`); the
rewrite pass analyses it into :data:`Analysed` (:class:`Word`,
:class:`Sequence`, :class:`TermPattern`, :class:`FuzzyWord`, :class:`Variant`,
:class:`ArticleId`), the only tree a plan is made from. The composites (AND,
OR, fields, ...) serve both, typed by what they hold (``And[Analysed]``), so
the type checker, not a failure deep in lowering, tells one tree from the other.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Generic, TypeAlias, TypeVar, Union

from search.date_values import DateValue
from search.query.grammar import keywords

FIELDS = ("text", "title", "speaker", "source", "date", "article")

Span = tuple[int, int]
_NOSPAN: Span = (0, 0)
_SPECIAL = re.compile(r'([\\"():^~*?+\-\[\]{}<>=!|&\u201c\u201d\u201e\s])')


def quote(text: str) -> str:
    """Quote a phrase value, escaping what would end it."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def escape(text: str) -> str:
    """Escape a bare term so the parser reads it back as one literal term."""
    out = _SPECIAL.sub(r"\\\1", text)
    if out.lower() in keywords() or out in keywords():
        out = "\\" + out
    return out


def _grouped(child: Node, *kinds: type) -> str:
    """The child's text, in parentheses when it is one of ``kinds`` (default:
    AND and OR), so that a prefix operator or field applies to all of it."""
    text = child.to_text()
    return f"({text})" if isinstance(child, kinds or (And, Or)) else text


def default_edits(term: str) -> int:
    """Edits a fuzzy term or a spelling suggestion allows, Elasticsearch's AUTO:
    none for one or two letters (one edit from "a" is "và", "ba", "an": other words,
    not a typo), 1 up to 5 letters, else 2."""
    return 0 if len(term) <= 2 else 1 if len(term) <= 5 else 2


def _fmt_number(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else repr(float(x))


@dataclass(frozen=True, slots=True)
class Node:
    def to_text(self) -> str:  # pragma: no cover - every subclass overrides
        raise NotImplementedError

    def subtrees(self) -> tuple[Node, ...]:
        """The query parts this node combines, in order; none for a leaf. (A
        phrase's or a variant's word is part of the leaf, not a query of its own.)
        :mod:`search.query.tree` walks and rebuilds trees through this alone."""
        return ()

    def with_subtrees(self, subtrees: tuple[Node, ...]) -> Node:
        """This node over other subtrees (as many as it has); a leaf is itself."""
        return self


# the type of a composite's parts: any node in a parsed tree, an analysed node in
# an analysed tree (see ``Analysed`` below)
N = TypeVar("N", bound=Node, covariant=True)


@dataclass(frozen=True, slots=True)
class Term(Node):
    """A bare word or run of words; the rewrite pass segments runs into words."""

    text: str
    span: Span = field(default=_NOSPAN, compare=False, repr=False)

    def to_text(self) -> str:
        return escape(self.text)


@dataclass(frozen=True, slots=True)
class Phrase(Node):
    """Exact syllable sequence; with ``slop``, syllables within that distance."""

    text: str
    slop: int | None = None
    span: Span = field(default=_NOSPAN, compare=False, repr=False)

    def to_text(self) -> str:
        return quote(self.text) + (f"~{self.slop}" if self.slop is not None else "")


@dataclass(frozen=True, slots=True)
class Prefix(Node):
    text: str
    span: Span = field(default=_NOSPAN, compare=False, repr=False)

    def to_text(self) -> str:
        return escape(self.text) + "*"


@dataclass(frozen=True, slots=True)
class Wildcard(Node):
    """A term with ``?`` (one character) or ``*`` (any run) inside: ``Put?n``, ``Pu*n``."""

    text: str
    span: Span = field(default=_NOSPAN, compare=False, repr=False)

    def to_text(self) -> str:
        return "".join(c if c in "*?" else escape(c) for c in self.text)


@dataclass(frozen=True, slots=True)
class Fuzzy(Node):
    text: str
    distance: int | None = None  # None: chosen by word length
    span: Span = field(default=_NOSPAN, compare=False, repr=False)

    def edits(self, term: str) -> int:
        """The distance typed, else :func:`default_edits`."""
        return self.distance if self.distance is not None else default_edits(term)

    def to_text(self) -> str:
        return escape(self.text) + "~" + ("" if self.distance is None else str(self.distance))


@dataclass(frozen=True, slots=True)
class DateRange(Node):
    """``date:`` values: a single partial date is a range of its own extent."""

    start: DateValue | None
    end: DateValue | None
    include_start: bool = True
    include_end: bool = True
    span: Span = field(default=_NOSPAN, compare=False, repr=False)

    def to_text(self) -> str:
        if self.start is not None and self.start == self.end and self.include_start \
                and self.include_end:
            return self.start.to_text()
        lo = self.start.to_text() if self.start else "*"
        hi = self.end.to_text() if self.end else "*"
        return ("[" if self.include_start else "{") + f"{lo} TO {hi}" + (
            "]" if self.include_end else "}")


@dataclass(frozen=True, slots=True)
class Field(Node, Generic[N]):
    """Scope ``child`` to one field (``speaker:Sullivan``, ``title:(a OR b)``)."""

    name: str
    child: N
    span: Span = field(default=_NOSPAN, compare=False, repr=False)

    def to_text(self) -> str:
        return f"{self.name}:{_grouped(self.child)}"

    def subtrees(self) -> tuple[Node, ...]:
        return (self.child,)

    def with_subtrees(self, subtrees: tuple[Node, ...]) -> Field[Node]:
        (child,) = subtrees
        return Field(self.name, child, span=self.span)


@dataclass(frozen=True, slots=True)
class Boost(Node, Generic[N]):
    child: N
    factor: float
    span: Span = field(default=_NOSPAN, compare=False, repr=False)

    def to_text(self) -> str:
        return f"{_grouped(self.child, And, Or, Not, Must, Boost)}^{_fmt_number(self.factor)}"

    def subtrees(self) -> tuple[Node, ...]:
        return (self.child,)

    def with_subtrees(self, subtrees: tuple[Node, ...]) -> Boost[Node]:
        (child,) = subtrees
        return Boost(child, self.factor, span=self.span)


@dataclass(frozen=True, slots=True)
class Not(Node, Generic[N]):
    child: N
    span: Span = field(default=_NOSPAN, compare=False, repr=False)

    def to_text(self) -> str:
        return f"NOT {_grouped(self.child)}"

    def subtrees(self) -> tuple[Node, ...]:
        return (self.child,)

    def with_subtrees(self, subtrees: tuple[Node, ...]) -> Not[Node]:
        (child,) = subtrees
        return Not(child, span=self.span)


@dataclass(frozen=True, slots=True)
class Must(Node, Generic[N]):
    """``+a``: required even among plain words that may match partially."""

    child: N
    span: Span = field(default=_NOSPAN, compare=False, repr=False)

    def to_text(self) -> str:
        return f"+{_grouped(self.child)}"

    def subtrees(self) -> tuple[Node, ...]:
        return (self.child,)

    def with_subtrees(self, subtrees: tuple[Node, ...]) -> Must[Node]:
        (child,) = subtrees
        return Must(child, span=self.span)


@dataclass(frozen=True, slots=True)
class And(Node, Generic[N]):
    """All children; ``explicit`` when the user typed AND (strict), else implicit."""

    children: tuple[N, ...]
    explicit: bool = False
    span: Span = field(default=_NOSPAN, compare=False, repr=False)

    def to_text(self) -> str:
        sep = " AND " if self.explicit else " "
        return sep.join(
            f"({c.to_text()})" if isinstance(c, Or | And) else c.to_text() for c in self.children
        )

    def subtrees(self) -> tuple[Node, ...]:
        return self.children

    def with_subtrees(self, subtrees: tuple[Node, ...]) -> And[Node]:
        return And(subtrees, self.explicit, span=self.span)


@dataclass(frozen=True, slots=True)
class Or(Node, Generic[N]):
    children: tuple[N, ...]
    span: Span = field(default=_NOSPAN, compare=False, repr=False)

    def to_text(self) -> str:
        return " OR ".join(
            f"({c.to_text()})" if isinstance(c, Or) else c.to_text() for c in self.children
        )

    def subtrees(self) -> tuple[Node, ...]:
        return self.children

    def with_subtrees(self, subtrees: tuple[Node, ...]) -> Or[Node]:
        return Or(subtrees, span=self.span)


@dataclass(frozen=True, slots=True)
class Word(Node):
    """A segmented word after analysis: its syllables, exact and folded.

    Produced by the rewrite pass only; the parser never builds one.
    """

    syllables: tuple[str, ...]
    folded: tuple[str, ...]  # a syllable equal to its folded form was typed bare
    span: Span = field(default=_NOSPAN, compare=False, repr=False)

    @property
    def marks(self) -> tuple[bool, ...]:
        """Per syllable: typed with a mark, so it means just itself."""
        return tuple(marked(s, f) for s, f in zip(self.syllables, self.folded, strict=True))

    def to_text(self) -> str:
        return " ".join(escape(s) for s in self.syllables)


@dataclass(frozen=True, slots=True)
class Sequence(Node):
    """A quoted phrase after analysis: its syllables in order, exact and folded."""

    word: Word
    slop: int | None = None
    span: Span = field(default=_NOSPAN, compare=False, repr=False)

    def to_text(self) -> str:
        text = quote(" ".join(self.word.syllables))
        return text + (f"~{self.slop}" if self.slop is not None else "")


@dataclass(frozen=True, slots=True)
class TermPattern(Node):
    """A prefix or wildcard after analysis: normalised and lowercased, ``*`` any
    run of characters and ``?`` one; expanded from the index's vocabulary."""

    pattern: str
    span: Span = field(default=_NOSPAN, compare=False, repr=False)

    def to_text(self) -> str:
        return "".join(c if c in "*?" else escape(c) for c in self.pattern)


@dataclass(frozen=True, slots=True)
class FuzzyWord(Node):
    """A fuzzy term after analysis: one normalised syllable and its edit distance."""

    syllable: str
    edits: int
    span: Span = field(default=_NOSPAN, compare=False, repr=False)

    def to_text(self) -> str:
        return escape(self.syllable) + f"~{self.edits}"


@dataclass(frozen=True, slots=True)
class Variant(Node):
    """Another spelling of a typed word, from the variants list (``Moskva`` for
    ``Moscow``): matched like a word, always ranked below the spelling typed."""

    word: Word
    weight: float
    span: Span = field(default=_NOSPAN, compare=False, repr=False)

    def to_text(self) -> str:
        return self.word.to_text()


@dataclass(frozen=True, slots=True)
class ArticleId(Node):
    """An ``article:`` value after analysis: an id, matched as typed (no folding,
    no segmentation). The parser's :class:`Term` never reaches the plan."""

    text: str
    span: Span = field(default=_NOSPAN, compare=False, repr=False)

    def to_text(self) -> str:
        return escape(self.text)


def marked(syllable: str, folded: str) -> bool:
    """Was the syllable typed with a mark (tone, shape or đ)? Then it means just itself."""
    return syllable != folded


def dump(node: Node) -> str:
    """An s-expression of the tree: explicit about structure, for tests and explain."""
    if isinstance(node, Term):
        return f"(term {node.text!r})"
    if isinstance(node, ArticleId):
        return f"(id {node.text!r})"
    if isinstance(node, Word):
        return f"(word {' '.join(node.syllables)!r})"
    if isinstance(node, Phrase):
        return f"(phrase {node.text!r}" + (f" ~{node.slop})" if node.slop is not None else ")")
    if isinstance(node, Prefix):
        return f"(prefix {node.text!r})"
    if isinstance(node, Wildcard):
        return f"(wildcard {node.text!r})"
    if isinstance(node, Sequence):
        text = " ".join(node.word.syllables)
        return f"(sequence {text!r}" + (f" ~{node.slop})" if node.slop is not None else ")")
    if isinstance(node, Variant):
        return f"(variant {' '.join(node.word.syllables)!r} {_fmt_number(node.weight)})"
    if isinstance(node, TermPattern):
        return f"(pattern {node.pattern!r})"
    if isinstance(node, FuzzyWord):
        return f"(fuzzy {node.syllable!r} {node.edits})"
    if isinstance(node, Fuzzy):
        return f"(fuzzy {node.text!r} {node.distance if node.distance is not None else 'auto'})"
    if isinstance(node, DateRange):
        lo = node.start.to_text() if node.start else "*"
        hi = node.end.to_text() if node.end else "*"
        return ("(date " + ("[" if node.include_start else "{") + f"{lo} {hi}"
                + ("]" if node.include_end else "}") + ")")
    if isinstance(node, Field):
        return f"({node.name} {dump(node.child)})"
    if isinstance(node, Boost):
        return f"(boost {_fmt_number(node.factor)} {dump(node.child)})"
    if isinstance(node, Not):
        return f"(not {dump(node.child)})"
    if isinstance(node, Must):
        return f"(must {dump(node.child)})"
    if isinstance(node, And):
        kind = "and" if node.explicit else "all"
        return f"({kind} " + " ".join(dump(c) for c in node.children) + ")"
    if isinstance(node, Or):
        return "(or " + " ".join(dump(c) for c in node.children) + ")"
    if isinstance(node, AtLeast):
        return f"(atleast {node.minimum} " + " ".join(dump(c) for c in node.children) + ")"
    raise TypeError(f"not a query node: {node!r}")


@dataclass(frozen=True, slots=True)
class AtLeast(Node, Generic[N]):
    """At least ``minimum`` of the children (``minimum_should_match``).

    Built by the engine for partial matches of plain queries; never typed.
    """

    children: tuple[N, ...]
    minimum: int
    span: Span = field(default=_NOSPAN, compare=False, repr=False)

    def to_text(self) -> str:
        return "(" + " OR ".join(c.to_text() for c in self.children) + ")"

    def subtrees(self) -> tuple[Node, ...]:
        return self.children

    def with_subtrees(self, subtrees: tuple[Node, ...]) -> AtLeast[Node]:
        return AtLeast(subtrees, self.minimum, span=self.span)


# What the rewrite pass makes of a parsed tree, and all that lowering accepts: leaves
# hold analysed text only (syllables, patterns, ids), and a composite only analysed
# parts, so mypy rejects a parser's Term or an AND over one where a plan is made.
AnalysedLeaf: TypeAlias = (Word | Sequence | TermPattern | FuzzyWord | Variant | ArticleId
                           | DateRange)
Analysed: TypeAlias = Union[  # a recursive alias: the composites are named in quotes
    AnalysedLeaf, "And[Analysed]", "Or[Analysed]", "AtLeast[Analysed]", "Field[Analysed]",
    "Not[Analysed]", "Must[Analysed]", "Boost[Analysed]"]
ANALYSED_LEAVES = (Word, Sequence, TermPattern, FuzzyWord, Variant, ArticleId, DateRange)
# what only the parser makes: raw text the rewrite pass analyses
RAW_LEAVES = (Term, Phrase, Prefix, Wildcard, Fuzzy)
