"""How much each kind of match weighs: one table for every engine.

Tuned on tests/data/relevance (``python bench/tune.py`` re-measures each one;
figures in bench/RESULTS.md)."""

W_EXACT = 1.0  # syllables as typed, accents included
W_FOLD = 0.45  # accent-folded syllables
W_WORD = 0.5  # a whole segmented word (optional: adds score, never matches alone)
W_TITLE = 0.3  # the article title (optional)
W_SPEAKER = 0.3  # the word names who speaks in the passage (optional)
W_DAY_MONTH = 0.5  # "ngày 7/12" for a query 7/12/2021
