"""Characters that drive a terminal instead of being read: out at ingest, made
visible at print.

Scraped news is untrusted input. An escape sequence in an article
(``\\x1b[2J``, ``\\x1b]0;title\\x07``, OSC 52 clipboard writes) would act on the
reader's terminal when a hit is shown, and a bidi override (U+202E) reorders what
follows it. None of them carries meaning in prose, so ingest removes them
(whole sequences, not just the ESC byte, so no ``[2J`` residue is left), and
everything printed for a terminal goes through :func:`visible` as a second line
of defence (indexes built before, text handed to the API). JSON output keeps
the exact text.
"""

from __future__ import annotations

import re

# ESC sequences first (CSI, OSC up to BEL/ST, other two-byte escapes), then lone
# C0 controls but tab and newline, DEL, C1, and the bidi embeddings, overrides
# and isolates (U+202A-U+202E, U+2066-U+2069).
_SEQUENCE = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]"  # CSI: ESC [ params final
    r"|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?"  # OSC: ESC ] ... BEL or ESC \
    r"|\x1b[PX^_][^\x1b]*(?:\x1b\\)?"  # DCS, SOS, PM, APC strings
    r"|\x1b[ -~]?"  # any other escape
    r"|\x9b[0-?]*[ -/]*[@-~]"  # 8-bit CSI
)
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def strip_controls(text: str) -> str:
    """``text`` without escape sequences and meaningless control characters (tab,
    newline and carriage return are kept: they separate words and lines)."""
    if not _CONTROL.search(text):
        return text
    text = _SEQUENCE.sub("", text)
    return _CONTROL.sub(lambda m: "\r" if m.group() == "\r" else "", text)


def _picture(ch: str) -> str:
    code = ord(ch)
    if code < 0x20:
        return chr(0x2400 + code)  # U+2400 block: ␛ for ESC, ␇ for BEL
    if code == 0x7F:
        return "\u2421"  # ␡
    return "\ufffd"


def visible(text: str) -> str:
    """``text`` safe for a terminal: each control character (newline and tab
    excepted) becomes one visible symbol, so offsets into the text stay right."""
    if not _CONTROL.search(text):
        return text
    return _CONTROL.sub(lambda m: _picture(m.group()), text)
