"""Word segmentation: pyvi on cased syllable runs, then a few repairs.

pyvi is a CRF trained on the VLSP word-segmentation corpus. We feed it only
runs of alphabetic syllables (numbers, dates and codes were recognised by the
tokenizer already, so pyvi never cuts ``7/12/2021`` or ``175.000``), keep the
case (capitals are its best clue for names) and then:

- join runs of capitalised single syllables into one name (``Vladimir Putin``,
  ``Yuri Ushakov``), which pyvi often leaves apart, unless a syllable is a
  common word that is capitalised at a sentence start or a country name that
  precedes a person's name (``Nga Vladimir Putin`` -> ``Nga`` + ``Vladimir Putin``).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from search.analysis.tokens import Kind, Token, tokenize


@dataclass(frozen=True, slots=True)
class Word:
    """A segmented word: tokens ``first`` to ``first + length - 1``."""

    text: str  # syllables joined by single spaces, normalised, case kept
    first: int
    length: int


@lru_cache(maxsize=1)
def _tokenizer():  # noqa: ANN202 - pyvi has no types; imported lazily (1 s)
    """pyvi's tokenizer, its CRF model loaded from memory.

    pyvi unpickles a sklearn-crfsuite model on import, and unpickling writes the
    model (637 KB) to a temporary file that only ``__del__`` removes: every
    process that does not exit cleanly (a killed run, a worker) leaves one behind.
    While pyvi imports, the model's file resource keeps its bytes instead, and
    pycrfsuite's tagger opens them in memory: no file is ever written."""
    import pycrfsuite
    from sklearn_crfsuite._fileresource import FileResource

    kept: list[bytes] = []
    original = FileResource.__setstate__

    def in_memory(self: FileResource, state: dict[str, object]) -> None:
        data = state.pop("__FILE_RESOURCE_DATA__", None)
        self.__dict__.update(state)
        if isinstance(data, bytes):
            kept.append(data)

    FileResource.__setstate__ = in_memory
    try:
        from pyvi import ViTokenizer
    finally:
        FileResource.__setstate__ = original
    model = ViTokenizer.ViTokenizer.model
    if kept and getattr(model, "_tagger", None) is None:
        tagger = pycrfsuite.Tagger()
        tagger.open_inmemory(kept[0])  # crfsuite reads the buffer in place: keep it alive
        model._tagger, model._model_bytes = tagger, kept[0]
    return ViTokenizer


@lru_cache(maxsize=1)
def _name_blockers() -> frozenset[str]:
    text = resources.files("search.analysis").joinpath("name_blockers.txt").read_text("utf-8")
    return frozenset(
        line.strip().lower() for line in text.splitlines() if line.strip() and line[0] != "#"
    )


@lru_cache(maxsize=65536)
def _pyvi_lengths(run: str) -> tuple[int, ...]:
    """Syllable count of each word pyvi finds in a space-joined syllable run."""
    out = _tokenizer().tokenize(run).split()
    lengths = tuple(len(w.split("_")) for w in out)
    if sum(lengths) != len(run.split()):  # pyvi re-cut something: trust syllables
        return tuple(1 for _ in run.split())
    return lengths


def _is_name_syllable(text: str) -> bool:
    return (
        text[:1].isupper()
        and not (len(text) > 1 and text.isupper())  # NATO, TASS: acronyms stand alone
        and text.lower() not in _name_blockers()
    )


def _join_names(words: list[Word], tokens: Sequence[Token]) -> list[Word]:
    out: list[Word] = []
    i = 0
    while i < len(words):
        j = i
        while j < len(words) and words[j].length == 1 and _is_name_syllable(words[j].text):
            j += 1
        if j - i >= 2:
            first, length = words[i].first, sum(w.length for w in words[i:j])
            text = " ".join(t.text for t in tokens[first : first + length])
            out.append(Word(text, first, length))
            i = j
        else:
            out.append(words[i])
            i += 1
    return out


_GAP = re.compile(r"\s*")


def segment_tokens(text: str, tokens: Sequence[Token]) -> list[Word]:
    """Group ``tokens`` (from :func:`tokenize` of ``text``) into words."""
    words: list[Word] = []
    i = 0
    while i < len(tokens):
        if tokens[i].kind is not Kind.SYLLABLE:
            words.append(Word(tokens[i].text, i, 1))
            i += 1
            continue
        j = i + 1  # extend the run while only white space separates syllables
        while (
            j < len(tokens)
            and tokens[j].kind is Kind.SYLLABLE
            and _GAP.fullmatch(text, tokens[j - 1].end, tokens[j].start)
        ):
            j += 1
        run = tokens[i:j]
        first = i
        run_words: list[Word] = []
        for n in _pyvi_lengths(" ".join([t.text for t in run])):
            text_n = tokens[first].text if n == 1 else " ".join(
                [t.text for t in tokens[first : first + n]])
            run_words.append(Word(text_n, first, n))
            first += n
        words.extend(_join_names(run_words, tokens))
        i = j
    return words


def segment(text: str) -> list[str]:
    """Words of ``text`` as written (NFC), syllables joined by single spaces:
    ``175.000`` stays ``175.000``; the index uses the normalised ``Word.text``."""
    tokens = tokenize(text)
    return [
        unicodedata.normalize("NFC", " ".join(text[t.start : t.end]
                                             for t in tokens[w.first : w.first + w.length]))
        for w in segment_tokens(text, tokens)
    ]
