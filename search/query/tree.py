"""The one way to go through a query tree: a walk and a bottom-up rebuild.

Every pass over the tree (analysis, lowering, highlights, explain, suggestions)
used to descend ``Field``/``And``/``Or``/``Not``/``Must``/``Boost`` by hand, each
a little differently. Here the descent is written once, on top of
:meth:`Node.subtrees` and :meth:`Node.with_subtrees`, and the field context is
kept in one place: a :class:`Field` node puts its subtree in its own field.
A caller only says what it does with each kind of node.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from operator import is_
from typing import TypeVar

from search.query.ast import Field, Node, Not

T = TypeVar("T")


def inner_field(node: Node, field: str) -> str:
    """The field ``node``'s subtrees are in, when ``node`` is in ``field``."""
    return node.name if isinstance(node, Field) else field


def everywhere(node: Node) -> bool:
    """Descend into every node (the walk's default)."""
    return True


def positive(node: Node) -> bool:
    """Descend into all but exclusions: what a match holds, not what it must lack."""
    return not isinstance(node, Not)


def walk(node: Node, field: str = "text",
         into: Callable[[Node], bool] = everywhere) -> Iterator[tuple[Node, str]]:
    """Every node with the field it is in, in pre-order (a node before its
    subtrees, subtrees left to right); ``into(node)`` False: not below ``node``."""
    stack = [(node, field)]
    while stack:
        here, where = stack.pop()
        yield here, where
        if into(here):
            below = inner_field(here, where)
            stack.extend((sub, below) for sub in reversed(here.subtrees()))


def transform(node: Node, build: Callable[[Node, tuple[T, ...], str], T | None],
              field: str = "text", memo: dict[tuple[Node, str], T | None] | None = None
              ) -> T | None:
    """Rebuild bottom-up: ``build(node, results, field)`` receives the results of
    ``node``'s subtrees (each in its own field), those that were not None, and
    returns the node's result, or None to drop it. A composite whose subtrees were
    all dropped is dropped without asking ``build``: nothing of nothing is nothing.

    For a node -> node rewrite, ``build`` returns ``node.with_subtrees(results)``
    where it keeps the node. ``memo``, keyed by (node, field), reuses the results
    of subtrees seen before (equal subtrees lower to equal plans)."""
    if memo is not None:
        key = (node, field)
        if key in memo:
            return memo[key]
    subtrees = node.subtrees()
    if subtrees:
        below = node.name if isinstance(node, Field) else field
        results = []
        for sub in subtrees:
            result = transform(sub, build, below, memo)
            if result is not None:
                results.append(result)
        out = build(node, tuple(results), field) if results else None
    else:
        out = build(node, (), field)
    if memo is not None:
        memo[key] = out
    return out


def rebuilt(node: Node, subtrees: tuple[Node, ...]) -> Node:
    """``node`` over ``subtrees``: itself when they are the very ones it has."""
    old = node.subtrees()
    same = len(subtrees) == len(old) and all(map(is_, subtrees, old))
    return node if same else node.with_subtrees(subtrees)
