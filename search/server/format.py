"""A search result as the API returns it: each hit with ``formatted`` (the text
HTML-escaped, cropped, the matches between the caller's tags) and its article's URL,
facets as counts per value."""

from __future__ import annotations

import dataclasses
import html
import re
from collections.abc import Callable
from typing import Any

from search.retrieval.results import Hit, Results
from search.server.params import SearchParams

_WORD = re.compile(r"\S+")
ELLIPSIS = "…"


def crop_window(text: str, highlights: list[list[int]], words: int) -> tuple[int, int]:
    """The span of at most ``words`` words that starts a little before the first
    match (a third of the window), so the match is read with what leads to it."""
    if len(text.split()) <= words:  # most passages: no word offsets needed
        return 0, len(text)
    spans = [m.span() for m in _WORD.finditer(text)]
    first = highlights[0][0] if highlights else 0
    at = next((i for i, (_, end) in enumerate(spans) if end > first), 0)
    start = max(0, min(at - words // 3, len(spans) - words))
    return spans[start][0], spans[start + words - 1][1]


def formatted(text: str, highlights: list[list[int]], pre: str, post: str,
              words: int) -> str:
    """Escaped text with ``pre``/``post`` around each match (the tags are the
    caller's, inserted as given), cut to ``words`` words with an ellipsis."""
    lo, hi = crop_window(text, highlights, words)
    out, at = [ELLIPSIS] if lo > 0 else [], lo
    for start, end in sorted(highlights):
        start, end = max(start, at), min(end, hi)
        if start >= end:
            continue
        out += [html.escape(text[at:start]), pre, html.escape(text[start:end]), post]
        at = end
    out.append(html.escape(text[at:hi]))
    if hi < len(text):
        out.append(ELLIPSIS)
    return "".join(out)


HIT_FIELDS = tuple(f.name for f in dataclasses.fields(Hit))


def hit_json(hit: Hit, params: SearchParams, url: str | None) -> dict[str, Any]:
    # a shallow dict: dataclasses.asdict deep-copies, 0.2 ms a hit (a third of a search)
    out = {name: getattr(hit, name) for name in HIT_FIELDS}
    out["formatted"] = formatted(hit.text, hit.highlights, params.highlight_pre_tag,
                                 params.highlight_post_tag, params.crop_length)
    out["url"] = url
    return out


def facets_json(counts: dict[str, dict[str, int]], most: int) -> dict[str, dict[str, int]]:
    """Each facet's values, most frequent first (then by name), the first ``most``."""
    return {key: dict(sorted(values.items(), key=lambda kv: (-kv[1], kv[0]))[:most])
            for key, values in counts.items()}


def results_json(results: Results, params: SearchParams, url_of: Callable[[str], str | None],
                 facets: dict[str, dict[str, int]] | None, facets_exact: bool,
                 shards: dict[str, Any] | None) -> dict[str, Any]:
    body: dict[str, Any] = {
        "query": results.query, "offset": params.offset, "limit": params.limit,
        "total": results.total, "total_relation": results.total_relation,
        "copies": results.copies, "partial": results.partial,
        "took_ms": round(results.took_ms, 2),
        "hits": [hit_json(h, params, url_of(h.article)) for h in results.hits],
        "facets": facets or {}, "facets_exact": facets_exact,
        "suggestions": [s.to_dict() for s in results.suggestions],
    }
    if shards is not None:
        body["shards"] = shards
    return body
