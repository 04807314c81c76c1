"""The outlet an article comes from, as the text itself credits it."""

from __future__ import annotations

import re

# "(PLVN) - Không có đột phá…": an agency code in brackets, then a dash
_LEAD = re.compile(r"^\(([^()\d]{2,40})\)\s*[-–—]\s*")
# a last line "Theo Tuổi trẻ" / "Nguồn: VnExpress": short, no clause inside it
_CREDIT = re.compile(r"^(?:Theo|Nguồn:?)\s+([^,.;:!?\"“”]{2,40}?)\s*\.?$")
CREDIT_MAX_WORDS = 5


def lead_source(line: str) -> str | None:
    """``(PLVN) - …`` -> ``PLVN``."""
    m = _LEAD.match(line)
    return m.group(1).strip() if m else None


def credit_line(line: str) -> str | None:
    """``Theo Tuổi trẻ`` -> ``Tuổi trẻ``; a sentence such as ``Theo Bloomberg, ông…`` is not one."""
    m = _CREDIT.match(line)
    if not m or len(m.group(1).split()) > CREDIT_MAX_WORDS:
        return None
    return m.group(1)
