"""The analysis chain shared by the indexer and the query compiler.

``text -> tokenize (offsets, numbers, dates) -> normalise (inside tokenize)
-> segment (pyvi + repairs) -> lowercase -> per-field term lists``.

Each field gets one list of terms, one per position, so that phrase queries
over syllables stay exact while words and folded forms feed ranking:

- ``syl``:   exact syllables, lowercased (phrases run here)
- ``fold``:  the same positions, accent-folded (``dam bao`` finds ``đảm bảo``)
- ``word``:  segmented words of two syllables or more, lowercased (``biên giới``)
- ``wfold``: the same words, folded
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from search.analysis.fold import fold
from search.analysis.segment import Word, segment_tokens
from search.analysis.tokens import Token, tokenize
from search.schema import FOLD, SYL, WFOLD, WORD


@dataclass(frozen=True, slots=True)
class Analysis:
    text: str
    tokens: tuple[Token, ...]
    words: tuple[Word, ...]

    @property
    def syllables(self) -> list[str]:
        return [t.text.lower() for t in self.tokens]

    @property
    def folded(self) -> list[str]:
        return [fold(t.text.lower()) for t in self.tokens]

    @property
    def word_terms(self) -> list[str]:
        """Words of two syllables or more: a one-syllable word is already its
        syllable, and queries only look whole words up from two syllables on,
        so indexing those again would only add postings (a sixth of them)."""
        return [w.text.lower() for w in self.words if w.length > 1]

    @property
    def folded_words(self) -> list[str]:
        return [fold(w.text.lower()) for w in self.words if w.length > 1]

    def fields(self) -> dict[str, list[str]]:
        """Term lists per index field: one term a position for syllables; whole
        words, which carry no positions, as a bag."""
        return {SYL: self.syllables, FOLD: self.folded, WORD: self.word_terms,
                WFOLD: self.folded_words}


@lru_cache(maxsize=1024)
def analyze(text: str, *, segment: bool = True) -> Analysis:
    """Run the chain. ``segment=False`` skips pyvi (a word per token) where
    only syllables matter, e.g. highlighting or short metadata fields.

    Cached (the result is immutable): indexing asks for the same passage's
    analysis in attribution, in its term lists and in its duplicate key."""
    tokens = tokenize(text)
    if segment:
        words = segment_tokens(text, tokens)
    else:
        words = [Word(t.text, i, 1) for i, t in enumerate(tokens)]
    return Analysis(text, tuple(tokens), tuple(words))


def syllable_terms(text: str) -> list[str]:
    """Lowercased normalised syllables of ``text``: the cheap path for short fields."""
    return [t.text.lower() for t in tokenize(text)]
