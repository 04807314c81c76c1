"""Plan nodes: typed, immutable, and only what an engine must be able to run.

Unlike the user's tree (:mod:`search.query.ast`), nothing here is raw text:
every term is already analysed and named by index field, every prefix, wildcard
and fuzzy term is already expanded into the terms the index holds. An engine
that maps these fourteen kinds runs every query the language can express; what
matches is decided before (``lower``) and around (``backends.base``) the mapping.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, fields, replace


@dataclass(frozen=True, slots=True)
class Plan:
    def children(self) -> tuple[Plan, ...]:
        return ()


@dataclass(frozen=True, slots=True)
class Terms(Plan):
    """Any of ``terms`` in ``field``, each scored (BM25) times ``weight``. One term
    for a word; many for an expanded prefix, wildcard or fuzzy term."""

    field: str
    terms: tuple[str, ...]
    weight: float = 1.0


@dataclass(frozen=True, slots=True)
class Phrase(Plan):
    """Terms at consecutive positions; scored times ``weight``."""

    field: str
    terms: tuple[str, ...]
    weight: float = 1.0


@dataclass(frozen=True, slots=True)
class Near(Plan):
    """Two terms at most ``within`` positions apart, in either order (1: side by
    side); scored times ``weight``. Every engine runs two-term proximity the same
    way, so a proximity query of more words is lowered to its pairs."""

    field: str
    first: str
    second: str
    within: int
    weight: float = 1.0


@dataclass(frozen=True, slots=True)
class Range(Plan):
    """Passages whose integer ``field`` lies in ``lo``..``hi`` (inclusive; None: open
    on that side). Scores nothing: ranges are filters (the article date interval)."""

    field: str
    lo: int | None
    hi: int | None


@dataclass(frozen=True, slots=True)
class Passages(Plan):
    """The passages whose ids (``article#ordinal``) are listed; scores nothing. Shared
    code uses it to exclude passages already shown and to keep what an engine cannot
    select by itself (at least k of n), so every engine gets the same answer."""

    ids: frozenset[str]


@dataclass(frozen=True, slots=True)
class FirstPassages(Plan):
    """Every article's first passage: one per article, so articles are counted and
    listed by the same plan on every engine."""


@dataclass(frozen=True, slots=True)
class All(Plan):
    """Every one of ``must``, none of ``exclude``; scores add up."""

    must: tuple[Plan, ...]
    exclude: tuple[Plan, ...] = ()

    def children(self) -> tuple[Plan, ...]:
        return self.must + self.exclude


@dataclass(frozen=True, slots=True)
class AnyOf(Plan):
    """At least ``minimum`` of ``should``; scores of those matching add up."""

    should: tuple[Plan, ...]
    minimum: int = 1

    def children(self) -> tuple[Plan, ...]:
        return self.should


@dataclass(frozen=True, slots=True)
class Best(Plan):
    """Any of ``choices``, scored by the best one alone (a spelling and its variants:
    a passage holding two variants does not outrank one holding the spelling typed)."""

    choices: tuple[Plan, ...]

    def children(self) -> tuple[Plan, ...]:
        return self.choices


@dataclass(frozen=True, slots=True)
class WithExtra(Plan):
    """Matches what ``required`` matches; ``extra`` only adds to the score."""

    required: Plan
    extra: Plan

    def children(self) -> tuple[Plan, ...]:
        return (self.required, self.extra)


@dataclass(frozen=True, slots=True)
class Scale(Plan):
    """``child``'s score times ``factor`` (a user's boost, a variant's lower weight)."""

    child: Plan
    factor: float

    def children(self) -> tuple[Plan, ...]:
        return (self.child,)


@dataclass(frozen=True, slots=True)
class Filter(Plan):
    """Matches what ``child`` matches and scores nothing (speaker:, source:, date:)."""

    child: Plan

    def children(self) -> tuple[Plan, ...]:
        return (self.child,)


@dataclass(frozen=True, slots=True)
class MatchAll(Plan):
    """Every passage (the base a lone exclusion subtracts from)."""


@dataclass(frozen=True, slots=True)
class MatchNone(Plan):
    """No passage (a prefix or fuzzy term the index has no expansion for)."""


def walk(plan: Plan, into: Callable[[Plan], bool] = lambda _: True) -> Iterator[Plan]:
    """Every node of ``plan``, parents first; below a node only when ``into`` says so."""
    stack = [plan]
    while stack:
        node = stack.pop()
        yield node
        if into(node):
            stack.extend(reversed(node.children()))


def rebuild(plan: Plan, fn: Callable[[Plan], Plan]) -> Plan:
    """``plan`` with ``fn`` applied to every node, children first: the one transform
    over plans (shared code rewrites what an engine cannot run through it)."""
    changes: dict[str, object] = {}
    for f in fields(plan):
        value = getattr(plan, f.name)
        if isinstance(value, Plan):
            changes[f.name] = rebuild(value, fn)
        elif isinstance(value, tuple) and value and isinstance(value[0], Plan):
            changes[f.name] = tuple(rebuild(c, fn) for c in value)
    return fn(replace(plan, **changes) if changes else plan)


def leaves(plan: Plan) -> list[Terms | Phrase | Near]:
    """The term and phrase leaves that score under ``plan`` (not those inside a
    filter): what a per-field score breakdown lists."""
    return [n for n in walk(plan, lambda n: not isinstance(n, Filter))
            if isinstance(n, Terms | Phrase | Near)]


def show(plan: Plan) -> str:
    """An s-expression of the plan, engine-neutral (explain prints it)."""
    if isinstance(plan, Terms):
        body = " ".join(plan.terms[:8]) + (f" …+{len(plan.terms) - 8}" if len(plan.terms) > 8
                                           else "")
        return f"({plan.field}:{body}" + (f" ^{plan.weight:.3g})" if plan.weight != 1 else ")")
    factor: float = getattr(plan, "weight", 1.0)
    weight = f" ^{factor:.3g}" if factor != 1 else ""
    if isinstance(plan, Phrase):
        return f'({plan.field}:"{" ".join(plan.terms)}"{weight})'
    if isinstance(plan, Near):
        return f'({plan.field}:"{plan.first} {plan.second}"~{plan.within}{weight})'
    if isinstance(plan, Range):
        return f"({plan.field} {plan.lo if plan.lo is not None else '*'}.." \
               f"{plan.hi if plan.hi is not None else '*'})"
    if isinstance(plan, Passages):
        return f"(passages {' '.join(sorted(plan.ids)[:8])}" + \
            (f" …+{len(plan.ids) - 8})" if len(plan.ids) > 8 else ")")
    if isinstance(plan, FirstPassages):
        return "(first-passages)"
    if isinstance(plan, All):
        out = "(all " + " ".join(show(c) for c in plan.must)
        return out + "".join(f" -{show(c)}" for c in plan.exclude) + ")"
    if isinstance(plan, AnyOf):
        head = "any" if plan.minimum == 1 else f"atleast {plan.minimum}"
        return f"({head} " + " ".join(show(c) for c in plan.should) + ")"
    if isinstance(plan, Best):
        return "(best " + " ".join(show(c) for c in plan.choices) + ")"
    if isinstance(plan, WithExtra):
        return f"(optional {show(plan.required)} {show(plan.extra)})"
    if isinstance(plan, Scale):
        return f"(scale {plan.factor:g} {show(plan.child)})"
    if isinstance(plan, Filter):
        return f"(filter {show(plan.child)})"
    return "(all-passages)" if isinstance(plan, MatchAll) else "(nothing)"
