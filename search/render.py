"""Results as text for a terminal (wrapped, matches in bold) or as JSON."""

from __future__ import annotations

import json
import shutil
import textwrap
from typing import Any

from search.retrieval.results import Hit, Results

BOLD, RESET = "\x1b[1m", "\x1b[0m"


def mark(text: str, highlights: list[list[int]], start: str, end: str) -> str:
    out, pos = [], 0
    for s, e in highlights:
        out += [text[pos:s], start, text[s:e], end]
        pos = e
    out.append(text[pos:])
    return "".join(out)


def hit_header(rank: int, hit: Hit) -> str:
    meta = [f"{hit.article}#{hit.passage}", f"score {hit.score:.2f}"]
    meta += [x for x in (hit.date, hit.source) if x]
    head = f"{rank:>2}. " + " · ".join(meta)
    if hit.title:
        head += f"\n    {hit.title}"
    if hit.speakers:
        head += "\n    speakers: " + ", ".join(hit.speakers)
    return head


def format_hit(rank: int, hit: Hit, *, color: bool, width: int) -> str:
    # wrap first on plain text, then insert markers, so escapes never count as width
    body = hit.text
    if color:
        lines = textwrap.wrap(body, width=max(20, width - 4))
        out, offset = [], 0
        for line in lines:
            at = body.index(line, offset)
            spans = [[max(s, at) - at, min(e, at + len(line)) - at]
                     for s, e in hit.highlights if e > at and s < at + len(line)]
            out.append("    " + mark(line, spans, BOLD, RESET))
            offset = at + len(line)
        wrapped = "\n".join(out)
    else:
        wrapped = textwrap.indent(textwrap.fill(body, width=max(20, width - 4)), "    ")
    return hit_header(rank, hit) + "\n" + wrapped


def format_results(results: Results, *, color: bool, offset: int = 0) -> str:
    width = shutil.get_terminal_size((100, 24)).columns
    blocks = [format_hit(offset + i + 1, h, color=color, width=width)
              for i, h in enumerate(results.hits)]
    blocks.append(f"{results.total} passages matched in {results.took_ms:.0f} ms")
    return "\n\n".join(blocks)


def to_json(obj: dict[str, Any]) -> str:
    return json.dumps(obj, ensure_ascii=False)
