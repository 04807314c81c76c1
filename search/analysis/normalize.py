"""Unicode and tone-mark normalisation: the first step of every analysis chain.

Vietnamese text arrives as NFC or NFD and with two conventions for placing the
tone mark in the open syllables ``oa``, ``oe``, ``uy`` (``hoà``/``hòa``,
``thoả``/``thỏa``, ``uỷ``/``ủy``). Index and query go through :func:`normalize`
so both conventions meet in one spelling.

Convention chosen: the *traditional* placement (``hòa``, ``thỏa``, ``ủy``,
``khỏe``), which is also what most Vietnamese newsrooms and keyboards emit.
Rules, applied per syllable after removing its tone mark:

1. a vowel carrying a shape mark (ă â ê ô ơ ư) takes the tone; with two
   (``ươ``) the last one does;
2. the ``u`` of ``qu`` and the ``i`` of ``gi`` are consonant letters, not vowels;
3. one vowel takes it; of three, the middle one; of two, the second when a
   final consonant follows (``hoàng``), else the first (``hòa``).

Words that are not one Vietnamese syllable (more than one vowel group, e.g.
foreign names) are left untouched.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

TONE_MARKS = frozenset("\u0300\u0301\u0303\u0309\u0323")
_SHAPED = frozenset("ăâêôơưĂÂÊÔƠƯ")
_VOWELS = frozenset("aăâeêioôơuưyAĂÂEÊIOÔƠUƯY")
# a run of letters, including combining marks so NFD text stays one run
_WORD = re.compile(r"(?:[^\W\d_]|[\u0300-\u036f])+")


# open syllables whose tone the new convention puts on the second vowel (hoà, khoẻ, thuỷ)
_MODERN_PAIRS = frozenset({"oa", "oe", "uy"})


def _tone_index(base: str, modern: bool = False) -> int | None:
    """Index in ``base`` (NFC, toneless) of the vowel that carries the tone."""
    runs = [(m.start(), m.end()) for m in re.finditer("[" + "".join(_VOWELS) + "]+", base)]
    if len(runs) != 1:
        return None
    start, end = runs[0]
    lower = base.lower()
    if end - start > 1 and start == 1 and lower[0] == "q" and lower[1] == "u":
        start += 1
    elif end - start > 1 and start == 1 and lower[0] == "g" and lower[1] == "i":
        start += 1
    shaped = [i for i in range(start, end) if base[i] in _SHAPED]
    if shaped:
        return shaped[-1]
    n = end - start
    if n == 1:
        return start
    if n == 3:
        return start + 1
    has_final = end < len(base)
    if modern and lower[start:end] in _MODERN_PAIRS:
        return start + 1
    return start + 1 if has_final else start


# letters that look like đ/Đ and stand for them in text from old encodings
# ("Ðó là ý kiến của …"): the Icelandic eth and the African D
_LOOKALIKES = str.maketrans({"Ð": "Đ", "ð": "đ", "Ɖ": "Đ", "ɖ": "đ"})


def d_for_lookalikes(text: str) -> str:
    """``Đ``/``đ`` for the look-alikes old encodings wrote in their place."""
    if "Ð" in text or "ð" in text or "Ɖ" in text or "ɖ" in text:
        return text.translate(_LOOKALIKES)
    return text


@lru_cache(maxsize=1 << 17)
def retone(word: str, modern: bool = False) -> str:
    """One run of letters with its tone mark moved to the traditional place (or,
    ``modern``, the new one); cached, since words repeat (Zipf)."""
    word = d_for_lookalikes(word)
    decomposed = unicodedata.normalize("NFD", word)
    tones = [ch for ch in decomposed if ch in TONE_MARKS]
    if not tones:
        return unicodedata.normalize("NFC", word)
    base = unicodedata.normalize("NFC", "".join(ch for ch in decomposed if ch not in TONE_MARKS))
    index = _tone_index(base, modern)
    if index is None or len(tones) != 1:
        return unicodedata.normalize("NFC", word)
    return unicodedata.normalize("NFC", base[: index + 1] + tones[0] + base[index + 1 :])


def nfc(text: str) -> str:
    """Compose to NFC: macOS hands us NFD, the web mostly NFC; a look-alike of
    ``Đ`` becomes the letter it stands for, so ``do`` finds ``Ðó``."""
    return d_for_lookalikes(unicodedata.normalize("NFC", text))


def canonical_tones(text: str) -> str:
    """Move every tone mark to its traditional place, syllable by syllable."""
    return _WORD.sub(lambda m: retone(m.group(0)), text)


def modern_tones(text: str) -> str:
    """The new placement (``hoà``, ``thoả``, ``uỷ``, ``khoẻ``): the spelling of
    pyvi's training data and dictionary. Only the segmenter's input uses it; the
    words it finds are put back into :func:`normalize`'s spelling."""
    return _WORD.sub(lambda m: retone(m.group(0), True), text)


def normalize(text: str) -> str:
    """NFC + canonical tone placement; the one normaliser for index and query."""
    return canonical_tones(nfc(text))
