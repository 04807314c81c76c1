"""Vietnamese text analysis: one chain for the index and for queries."""

from search.analysis.chains import Analysis, analyze, syllable_terms
from search.analysis.fold import fold
from search.analysis.normalize import normalize
from search.analysis.segment import segment
from search.analysis.tokens import Kind, Token, tokenize

__all__ = [
    "Analysis",
    "Kind",
    "Token",
    "analyze",
    "fold",
    "normalize",
    "segment",
    "syllable_terms",
    "tokenize",
]
