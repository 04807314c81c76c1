"""The engine-neutral query plan: what to match, in which field, at what weight.

``query string -> AST -> analysed AST -> plan -> engine query``. Shared code
lowers the analysed tree once (:mod:`search.plan.lower`); an engine only maps
the few node kinds of :mod:`search.plan.nodes` to its library."""

from search.plan.nodes import (
    All,
    Any,
    Best,
    DateWithin,
    Filter,
    MatchAll,
    MatchNone,
    Optional,
    Phrase,
    Plan,
    Scale,
    Terms,
)

__all__ = ["All", "Any", "Best", "DateWithin", "Filter", "MatchAll", "MatchNone", "Optional",
           "Phrase", "Plan", "Scale", "Terms"]
