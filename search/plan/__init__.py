"""The engine-neutral query plan: what to match, in which field, at what weight.

``query string -> AST -> analysed AST -> plan -> engine query``. Shared code
lowers the analysed tree once (:mod:`search.plan.lower`); an engine only maps
the few node kinds of :mod:`search.plan.nodes` to its library."""

from search.plan.nodes import (
    All,
    AnyOf,
    Best,
    Filter,
    FirstPassages,
    MatchAll,
    MatchNone,
    Near,
    Passages,
    Phrase,
    Plan,
    Range,
    Scale,
    Terms,
    WithExtra,
)

__all__ = ["All", "AnyOf", "Best", "Filter", "FirstPassages", "MatchAll", "MatchNone", "Near",
           "Passages", "Phrase", "Plan", "Range", "Scale", "Terms", "WithExtra"]
