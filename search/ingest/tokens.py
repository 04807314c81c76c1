"""A passage's tokens with what the attribution rules ask about them, computed once:
lowercase forms, capitalisation (of the syllable, and of the word pyvi put it in),
the punctuation between tokens, sentence starts and quotations.
"""

from __future__ import annotations

import re
from functools import lru_cache
from itertools import compress
from operator import attrgetter, itemgetter

from search.analysis import analyze
from search.analysis.fold import has_marks
from search.analysis.tokens import Kind
from search.ingest.verbs import VERB_FIRST

_TEXT, _START, _END, _FIRST = (attrgetter("text"), attrgetter("start"), attrgetter("end"),
                               attrgetter("first"))
_FIRST_CHAR, _LAST = itemgetter(0), itemgetter(slice(-1, None))
# what ends a sentence, or opens or closes a quotation, in the gap before a token
_ENDERS = frozenset({".", "!", "?", ":", ";", '"', "“", "”"})
_INITIALS = re.compile(r"(?<!\w)[A-ZĐ]\.\s?[A-ZĐ]")  # "H.R. McMaster", "Donald J. Trump"


class Passage:
    """One passage's tokens with everything the rules ask about them, computed once."""

    __slots__ = ("text", "tokens", "texts", "low", "own", "cap", "gaps", "n", "firsts",
                 "hyphen", "starts", "memo", "initials")

    def __init__(self, text: str) -> None:
        a = analyze(text)  # cached: the indexer's term lists reuse it
        toks = a.tokens
        self.text = text
        self.memo: dict[str, list[int]] = {}  # what a rule asks of every token, asked once
        self.n = len(toks)
        self.tokens = toks
        self.texts = texts = list(map(_TEXT, toks))
        self.low = low = list(map(str.lower, texts))
        # numbers and dates start with a digit: never capitalised
        self.own = own = list(map(str.isupper, map(_FIRST_CHAR, texts)))
        cap = list(own)
        self.firsts = set(map(_FIRST, a.words))  # tokens that start a segmented word
        # "Bộ Y tế", "Ngân hàng Nhà nước": the lowercase syllables of a capitalised
        # Vietnamese word belong to the name; a verb pyvi glued to a foreign name does not
        for w in [w for w in a.words if w.length > 1 and own[w.first]]:
            first = w.first
            for k in range(first + 1, first + w.length):
                if toks[k].kind is not Kind.SYLLABLE or low[k] in VERB_FIRST or not (
                        marked(texts[first]) or marked(texts[k])):
                    break  # "Hà đề xuất": pyvi glued a verb to a name
                cap[k] = True
        self.cap = cap
        # the text between tokens, sliced at C speed (this runs for every passage indexed)
        ends = map(_END, toks)
        starts = map(_START, toks)
        next(starts, None)
        raw = list(map(text.__getitem__, map(slice, ends, starts)))
        self.gaps = gaps = list(map(str.strip, raw))
        gaps.append("<end>")
        self.hyphen = {k for k, g in enumerate(raw) if g == "-"} if "-" in text else set()
        for k in self.hyphen:
            gaps[k] = ""  # a hyphen between letters belongs to the word ("Kim Sang-sik")
        self.starts = [True]  # asked again and again
        self.starts += map(_ENDERS.__contains__, map(_LAST, gaps))
        if "." in text:  # "TP.HCM", "P.Linh Xuân", "PGS.TS": a full stop with no space
            for k in compress(range(len(raw)), map(".".__eq__, raw)):  # ends no sentence
                self.starts[k + 1] = False
        # initials of a foreign name: "H.R. McMaster", "Donald J. Trump"
        self.initials = {k for k, g in enumerate(gaps) if g == "." and len(texts[k]) == 1 and
                         texts[k].isupper() and k + 1 < self.n and own[k + 1]
                         } if _INITIALS.search(text) else set()
        for k in self.initials:
            self.starts[k + 1] = False  # no sentence ends there

    def inside_word(self, i: int) -> bool:
        """Token i is not the first syllable of a lowercase word ("khai" of "triển
        khai"); a verb pyvi glued to a capitalised name ("Hà đề xuất") still counts."""
        if i in self.firsts:
            return False
        f = i - 1
        while f > 0 and f not in self.firsts:
            f -= 1
        return not self.own[f]

    def sentence_start(self, i: int) -> bool:
        return self.starts[i]

    def sentence_of(self, i: int) -> int:
        """The first token of the sentence holding token i."""
        while i > 0 and not self.sentence_start(i):
            i -= 1
        return i

    def quoted(self, i: int) -> bool:
        """Token i stands inside a quotation opened earlier in the passage."""
        before = self.text[:self.tokens[i].start]
        return before.count('"') % 2 == 1 or before.count("“") > before.count("”")

    def words(self, i: int, j: int) -> tuple[str, ...]:
        """Tokens i..j-1 as a name's syllables, a hyphenated one kept whole ("Sang-sik")."""
        texts, initials = self.texts, self.initials
        out: list[str] = []
        for k in range(i, j):
            if out and k - 1 in self.hyphen:
                out[-1] = f"{out[-1]}-{texts[k]}"
            elif out and k - 1 in initials and k in initials:
                out[-1] = f"{out[-1]}{texts[k]}."  # "H.R."
            else:
                out.append(f"{texts[k]}." if k in initials and k + 1 < j else texts[k])
        return tuple(out)

    def span(self, i: int, j: int) -> str:
        """Tokens i..j-1 as written, with their inner punctuation ("TP.HCM", " - ")."""
        out = [self.texts[i]]
        for k in range(i + 1, j):
            g = "-" if k - 1 in self.hyphen else self.gaps[k - 1]
            if k - 1 in self.initials and k not in self.initials:
                out.append(". ")  # "H.R. McMaster"
                out.append(self.texts[k])
                continue
            out.append(" " if not g else g if g in (".", "&") or k - 1 in self.hyphen else f"{g} "
                       if g == "," else f" {g} ")
            out.append(self.texts[k])
        return "".join(out)


@lru_cache(maxsize=1 << 15)
def marked(syllable: str) -> bool:
    return has_marks(syllable)
