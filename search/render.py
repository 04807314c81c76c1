"""Results as text for a terminal (wrapped, matches in bold, long passages
cropped around their best window) or as JSON."""

from __future__ import annotations

import dataclasses
import json
import shutil
import textwrap
from typing import Any

from search.analysis.controls import visible
from search.retrieval.results import Hit, Results

BOLD, RESET = "\x1b[1m", "\x1b[0m"
CROP_AT = 360  # passages longer than this are cropped…
WINDOW = 280  # …to about this many characters around the matches
ELLIPSIS = "…"


def mark(text: str, highlights: list[list[int]], start: str, end: str) -> str:
    out, pos = [], 0
    for s, e in highlights:
        out += [text[pos:s], start, text[s:e], end]
        pos = e
    out.append(text[pos:])
    return "".join(out)


def best_window(text: str, highlights: list[list[int]], width: int = WINDOW) -> tuple[int, int]:
    """The ``width``-character stretch holding the most highlighted characters,
    widened to word boundaries."""
    if len(text) <= width:
        return 0, len(text)
    starts = [0] + [max(0, s - width // 4) for s, _ in highlights]
    def covered(a: int) -> int:
        return sum(max(0, min(e, a + width) - max(s, a)) for s, e in highlights)
    a = max(starts, key=lambda x: (covered(x), -x))
    b = min(len(text), a + width)
    if a > 0:
        space = text.rfind(" ", 0, a)
        a = space + 1 if space >= 0 else 0
    if b < len(text):
        space = text.find(" ", b)
        b = space if space >= 0 else len(text)
    return a, b


def crop(hit: Hit) -> tuple[str, list[list[int]]]:
    """Text to show and its highlights, re-based; ``…`` marks what was cut."""
    text = hit.text
    if len(text) <= CROP_AT:
        return text, hit.highlights
    a, b = best_window(text, hit.highlights)
    lead = ELLIPSIS if a > 0 else ""
    shown = lead + text[a:b] + (ELLIPSIS if b < len(text) else "")
    shift = len(lead) - a
    spans = [[max(s, a) + shift, min(e, b) + shift] for s, e in hit.highlights if e > a and s < b]
    return shown, spans


def hit_header(rank: int, hit: Hit) -> str:
    meta = [f"{hit.article}#{hit.passage}", f"score {hit.score:.2f}"]
    meta += [x for x in (hit.date, hit.source) if x]
    if hit.partial:
        meta.append("partial: no " + ", ".join(hit.missing))
    head = f"{rank:>2}. " + " · ".join(meta)
    if hit.title:
        head += f"\n    {hit.title}"
    if hit.speakers:
        head += "\n    speakers: " + ", ".join(hit.speakers)
    if hit.dates:
        head += "\n    mentions: " + ", ".join(hit.dates)
    return head


def wrap_marked(text: str, spans: list[list[int]], *, color: bool, width: int) -> str:
    """Wrap plain text first, then insert the escapes, so they never count as width."""
    lines = textwrap.wrap(text, width=max(20, width - 4))
    out, offset = [], 0
    for line in lines:
        at = text.index(line, offset)
        local = [[max(s, at) - at, min(e, at + len(line)) - at]
                 for s, e in spans if e > at and s < at + len(line)]
        out.append("    " + (mark(line, local, BOLD, RESET) if color else line))
        offset = at + len(line)
    return "\n".join(out)


def printable(hit: Hit) -> Hit:
    """The hit with every string a terminal would act on made visible; one symbol
    per character, so the highlight offsets still fit."""
    def many(xs: list[str]) -> list[str]:
        return [visible(x) for x in xs]
    return dataclasses.replace(
        hit, article=visible(hit.article), text=visible(hit.text),
        title=visible(hit.title) if hit.title else hit.title,
        source=visible(hit.source) if hit.source else hit.source,
        date=visible(hit.date) if hit.date else hit.date, speakers=many(hit.speakers),
        missing=many(hit.missing), duplicates=many(hit.duplicates), dates=many(hit.dates))


def format_hit(rank: int, hit: Hit, *, color: bool, width: int) -> str:
    hit = printable(hit)
    text, spans = crop(hit)
    block = hit_header(rank, hit) + "\n" + wrap_marked(text, spans, color=color, width=width)
    if hit.duplicates:
        more = hit.duplicate_count - len(hit.duplicates)
        block += "\n    also in " + ", ".join(hit.duplicates) + (f" and {more} more" if more > 0
                                                                 else "")
    return block


def format_results(results: Results, *, color: bool, offset: int = 0) -> str:
    width = shutil.get_terminal_size((100, 24)).columns
    blocks: list[str] = []
    shown: set[str] = set()
    for h in results.hits:
        if f"{h.article}#{h.passage}" in shown:
            continue  # wire copy already shown above, with "also in"
        shown.update(h.duplicates)
        blocks.append(format_hit(offset + len(blocks) + 1, h, color=color, width=width))
    blocks.append(summary(results))
    if results.suggestions:
        blocks.append(format_suggestions(results))
    return "\n\n".join(blocks)


def format_suggestions(results: Results) -> str:
    lines = ["Nothing matched in full. Suggestions:" if results.partial or not results.total
             else "Suggestions:"]
    for n, s in enumerate(results.suggestions, 1):
        lines.append(f"  [{n}] {visible(s.message)}"
                     + (f"\n      try: {visible(s.query)}" if s.query else ""))
    return "\n".join(lines)


def format_explain(info: dict[str, Any]) -> str:
    """The stages of a query and, for a hit, where its score comes from."""
    lines = [f"{k:>9}: {info[k]}" for k in ("canonical", "parsed", "analysed", "plan", "backend")]
    lines += [f"  rewrite: {r}" for r in info.get("rewrites", [])]
    lines = [visible(line) for line in lines]
    if "clauses" in info:
        lines.append(f"    score: {info['score']:.4f} for {info['hit']}")
        for c in info["clauses"]:
            lines.append(visible(f"      {c['score']:>8.4f}  {c['clause']}"))
            for f in c["fields"]:
                lines.append(visible(f"            {f['score']:>8.4f}  {f['field']}: "
                                     f"{f['query']}"))
    return "\n".join(lines)


def summary(results: Results) -> str:
    """The same totals as the JSON: ``total`` counts partial matches too."""
    about = "about " if results.total_relation == "gte" else ""
    line = f"{about}{results.total} passage{'s' if results.total != 1 else ''} matched"
    if results.partial:
        line += (f" ({results.partial} with some of the words only)" if results.partial
                 < results.total else " (each with some of the words only)")
    if results.copies:
        line += f"; {results.copies} more printed elsewhere (wire copy, shown once)"
    return f"{line} in {results.took_ms:.0f} ms"


def to_json(obj: dict[str, Any]) -> str:
    return json.dumps(obj, ensure_ascii=False)


NOT_READ_LISTED = 20  # files that are not articles named one a line; the rest counted


def index_report_lines(report: Any) -> list[str]:
    """What an indexing run could not use, a line each: skipped files and ``.jsonl``
    lines, the first files that are not articles (then a count), metadata warnings."""
    lines = [visible(f"skipped {skipped}") for skipped in report.skipped]
    lines += [visible(f"not read {other}") for other in report.not_read[:NOT_READ_LISTED]]
    if len(report.not_read) > NOT_READ_LISTED:
        lines.append(f"not read: {len(report.not_read) - NOT_READ_LISTED} more files that are "
                     "not articles")
    return lines + [visible(f"warning: {note}") for note in report.notes]


def partial_figures_warning(shards: dict[str, Any] | None) -> str:
    """A cluster answered without some shard: the figures printed (speakers' counts,
    explain's statistics) are partial. "" when every shard answered."""
    if not shards or not shards["failed"]:
        return ""
    names = ", ".join(f"{f['shard']} ({f['reason']})" for f in shards["failed"])
    return visible(f"warning: partial figures: {shards['successful']} of {shards['total']} "
                   f"shards answered; missing {names}")
