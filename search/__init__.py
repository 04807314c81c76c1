"""vnsearch: full-text search over Vietnamese news, with a query language.

The public API is what this module exports; everything else is internal.
"""

from search.engine import Engine
from search.errors import (
    IndexBusyError,
    IndexDamagedError,
    IndexNotFoundError,
    QuerySyntaxError,
    SearchError,
    UsageError,
)
from search.indexing.indexer import IndexReport
from search.query.builder import Q
from search.retrieval.results import Hit, Results
from search.retrieval.suggest import Suggestion

__all__ = [
    "Engine",
    "Hit",
    "IndexBusyError",
    "IndexDamagedError",
    "IndexNotFoundError",
    "IndexReport",
    "Q",
    "QuerySyntaxError",
    "Results",
    "SearchError",
    "Suggestion",
    "UsageError",
]
