"""Word segmentation: pyvi on cased syllable runs, then a few repairs.

pyvi is a CRF trained on the VLSP word-segmentation corpus. We feed it only
runs of alphabetic syllables (numbers, dates and codes were recognised by the
tokenizer already, so pyvi never cuts ``7/12/2021`` or ``175.000``), keep the
case (capitals are its best clue for names) and then:

- join runs of capitalised single syllables into one name (``Vladimir Putin``,
  ``Yuri Ushakov``), which pyvi often leaves apart, unless a syllable is a
  common word that is capitalised at a sentence start or a country name that
  precedes a person's name (``Nga Vladimir Putin`` -> ``Nga`` + ``Vladimir Putin``);
- join a Vietnamese name that pyvi cut in two (``Phạm_Minh`` + ``Chính``,
  ``Nguyễn`` + ``Thị_Oanh``): a capitalised run led by a family name
  (``family_names.txt``), up to four syllables;
- cut a lowercase syllable off a name pyvi glued it to (``Tô_Lâm_tiếp``,
  ``Việt_Nam_thua``): a capitalised syllable and a lowercase one stay one word
  when pyvi's own dictionary has them as one (``Thủ tướng``, ``Ủy ban``) or
  when one capital stands before a lowercase word (``Phó giám đốc``);
- a weekday is one word (``thứ Hai``, ``Thứ năm tuần này``), never part of a name.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from search.analysis.normalize import modern_tones
from search.analysis.tokens import Kind, Token, tokenize


@dataclass(frozen=True, slots=True)
class Word:
    """A segmented word: tokens ``first`` to ``first + length - 1``."""

    text: str  # syllables joined by single spaces, normalised, case kept
    first: int
    length: int


_loading = threading.Lock()


def _tokenizer():  # pyvi has no types; imported lazily
    """pyvi's tokenizer, loaded once per process. Threads wait for the one loading
    it: a Dask worker runs two or more tasks at once, and a thread that saw pyvi
    imported before the loader had opened the model's tagger used a model without
    one (``'NoneType' object has no attribute 'tag'``)."""
    with _loading:
        return _load_tokenizer()


@lru_cache(maxsize=1)
def _load_tokenizer():  # pyvi has no types
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


@lru_cache(maxsize=1)
def _family_names() -> tuple[frozenset[str], frozenset[str]]:
    """(all family names, the common ones that only ever start a name)."""
    text = resources.files("search.analysis").joinpath("family_names.txt").read_text("utf-8")
    names = [line.strip() for line in text.splitlines() if line.strip() and line[0] != "#"]
    return (frozenset(n.lstrip("!") for n in names),
            frozenset(n[1:] for n in names if n.startswith("!")))


def _in_dictionary(first: str, second: str) -> bool:
    """pyvi's word list (new tone placement, lowercase) has ``first second``."""
    return modern_tones(f"{first} {second}".lower()) in _tokenizer().ViTokenizer.bi_grams


@lru_cache(maxsize=65536)
def _pyvi_lengths(run: str) -> tuple[int, ...]:
    """Syllable count of each word pyvi finds in a space-joined syllable run.

    pyvi reads the run in the new tone placement (``hoà``, ``uỷ``), which is how
    its training data and its dictionary of words are spelt: in the index's
    traditional spelling it misses ``hòa bình``, ``ủy quyền``. Only lengths come
    back, so the words keep the index's spelling."""
    out = _tokenizer().tokenize(modern_tones(run)).split()
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


def _is_title(text: str) -> bool:
    return text[:1].isupper() and not (len(text) > 1 and text.isupper())


def _capitalised(w: Word, tokens: Sequence[Token]) -> bool:
    return all(_is_title(tokens[k].text) for k in range(w.first, w.first + w.length))


def _merge(words: list[Word], tokens: Sequence[Token]) -> Word:
    first, length = words[0].first, sum(w.length for w in words)
    return Word(" ".join(t.text for t in tokens[first : first + length]), first, length)


def _split_glued(words: list[Word], tokens: Sequence[Token], sentence_start: int) -> list[Word]:
    """Cut a word where a capitalised syllable meets a lowercase one that pyvi's
    dictionary does not join to it (``Tô_Lâm_tiếp`` -> ``Tô Lâm`` + ``tiếp``).
    The first word of a sentence is left alone: its capital says nothing."""
    out: list[Word] = []
    for w in words:
        cut = None
        # pyvi never puts a capital after a lowercase syllable in one word: only a
        # word that starts capitalised can hold a capital followed by lowercase
        if w.length == 1 or not tokens[w.first].text[:1].isupper() or w.first == sentence_start:
            out.append(w)
            continue
        for k in range(w.first, w.first + w.length - 1):
            a, b = tokens[k].text, tokens[k + 1].text
            if _is_title(a) and b[:1].islower():
                # a name has two capitalised syllables or more (Tô Lâm|tiếp); one
                # capital before a lowercase word is a title (Phó|giám đốc), unless
                # a single syllable was glued to it (Hà|nhận)
                head, tail = k + 1 - w.first, w.first + w.length - k - 1
                if (head >= 2 or tail == 1) and not _in_dictionary(a, b):
                    cut = k + 1
                break
        if cut is None:
            out.append(w)
            continue
        head, tail = cut - w.first, w.first + w.length - cut
        out.append(_merge([Word("", w.first, head)], tokens))
        out.append(_merge([Word("", cut, tail)], tokens))
    return out


def _join_family_names(words: list[Word], tokens: Sequence[Token]) -> list[Word]:
    """``Phạm_Minh`` + ``Chính`` -> ``Phạm Minh Chính``: a capitalised run led by a
    family name is one person, of at most four syllables."""
    family, starters = _family_names()
    out: list[Word] = []
    i = 0
    while i < len(words):
        w = words[i]
        j = i + 1
        if (w.length <= 3 and tokens[w.first].text.lower() in family
                and _capitalised(w, tokens)):
            total = w.length
            while (j < len(words) and _capitalised(words[j], tokens)
                   and tokens[words[j].first].text.lower() not in starters
                   and total + words[j].length <= 4
                   and (w.length == 1 or words[j].length == 1)):
                total += words[j].length
                j += 1
        if j > i + 1:
            out.append(_merge(words[i:j], tokens))
        else:
            out.append(w)
        i = j
    return out


_WEEKDAY_NUMBERS = frozenset({"hai", "ba", "tư", "năm", "sáu", "bảy"})
# words around "thứ hai" that make it a day of the week rather than "the second"
_WEEKDAY_BEFORE = frozenset({"sáng", "trưa", "chiều", "tối", "đêm", "ngày", "hôm", "vào",
                             "từ", "đến", "tới", "cuối", "đầu", "các", "mỗi", "hằng", "hàng"})
_WEEKDAY_AFTER = frozenset({"tuần", "này", "tới", "vừa", "trước", "sau", "hàng"})


def _join_weekdays(words: list[Word], tokens: Sequence[Token]) -> list[Word]:
    """``thứ Hai``, ``Thứ năm tuần này``, ``sáng thứ bảy``: one word, the day."""
    out: list[Word] = []
    i = 0
    while i < len(words):
        w = words[i]
        if (i + 1 < len(words) and w.length == 1 and words[i + 1].length == 1
                and w.text.lower() == "thứ"
                and words[i + 1].text.lower() in _WEEKDAY_NUMBERS):
            day = words[i + 1].text
            before = tokens[w.first - 1].text.lower() if w.first > 0 else ""
            after = tokens[w.first + 2].text.lower() if w.first + 2 < len(tokens) else ""
            if day[:1].isupper() or before in _WEEKDAY_BEFORE or after in _WEEKDAY_AFTER:
                out.append(_merge(words[i : i + 2], tokens))
                i += 2
                continue
        out.append(w)
        i += 1
    return out


def _join_names(words: list[Word], tokens: Sequence[Token]) -> list[Word]:
    starters = _family_names()[1]
    out: list[Word] = []
    i = 0
    while i < len(words):
        j = i
        while (j < len(words) and words[j].length == 1 and _is_name_syllable(words[j].text)
               and (j == i or words[j].text.lower() not in starters)):
            j += 1  # a common family name only ever starts a name: "Cụ | Nguyễn Văn An"
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
_SENTENCE_END = re.compile(r"[.!?:;…\"“”'‘’(\[\-–—•]")


def sentence_start(text: str, tokens: Sequence[Token], i: int) -> int:
    """``i`` if token ``i`` opens a sentence (or a quote, a bracket, a dateline),
    else -1: a capital there is no sign of a name."""
    if i == 0 or _SENTENCE_END.search(text, tokens[i - 1].end, tokens[i].start):
        return i
    return -1


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
        run_text = " ".join([t.text for t in run])
        first = i
        run_words: list[Word] = []
        for n in _pyvi_lengths(run_text):
            text_n = tokens[first].text if n == 1 else " ".join(
                [t.text for t in tokens[first : first + n]])
            run_words.append(Word(text_n, first, n))
            first += n
        capitals = [t.text for t in run if t.text[:1].isupper()]  # the repairs are about names
        if capitals:
            run_words = _split_glued(run_words, tokens, sentence_start(text, tokens, i))
        if "thứ" in run_text or "Thứ" in run_text:
            run_words = _join_weekdays(run_words, tokens)
        if capitals:
            run_words = _join_names(run_words, tokens)
            if not _family_names()[0].isdisjoint([c.lower() for c in capitals]):
                run_words = _join_family_names(run_words, tokens)
        words.extend(run_words)
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
