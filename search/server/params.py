"""The parameters of ``/api/search``, the same from a query string or a JSON body
(Meilisearch's names), checked into one frozen value: a bad one is a 400 that names it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from search.server.errors import ApiError, bad_parameter
from search.server.settings import Settings

FACETS = ("speaker", "source", "date")
NAMES = ("q", "offset", "limit", "plain", "facets", "highlight_pre_tag",
         "highlight_post_tag", "crop_length")
MAX_TAG = 100  # characters of a highlight tag
MAX_CROP = 1000  # words


@dataclass(frozen=True)
class SearchParams:
    q: str
    offset: int = 0
    limit: int = 10
    plain: bool = False
    facets: tuple[str, ...] = ()
    highlight_pre_tag: str = "<mark>"
    highlight_post_tag: str = "</mark>"
    crop_length: int = 40  # words of ``formatted`` around the first match


def _integer(name: str, value: Any, low: int, high: int) -> int:
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int):
        raise bad_parameter(name, f"a whole number is expected, not {value!r}")
    if not low <= value <= high:
        raise bad_parameter(name, f"must be from {low} to {high}, not {value}")
    return value


def _boolean(name: str, value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in ("true", "1", "false", "0", ""):
        return value.lower() in ("true", "1")
    raise bad_parameter(name, f"true or false is expected, not {value!r}")


def _facets(value: Any) -> tuple[str, ...]:
    items = value.split(",") if isinstance(value, str) else value
    if not isinstance(items, list) or not all(isinstance(i, str) for i in items):
        raise bad_parameter("facets", "a list of names (speaker, source, date) is expected")
    names = tuple(dict.fromkeys(i.strip() for i in items if i.strip()))
    unknown = [n for n in names if n not in FACETS]
    if unknown:
        raise bad_parameter("facets", f"unknown facet {unknown[0]!r}; choose from "
                            + ", ".join(FACETS))
    return names


def _text(name: str, value: Any, most: int) -> str:
    if not isinstance(value, str):
        raise bad_parameter(name, f"a string is expected, not {type(value).__name__}")
    if len(value) > most:
        raise bad_parameter(name, f"at most {most:,} characters, not {len(value):,}")
    return value


def search_params(raw: Mapping[str, Any], settings: Settings) -> SearchParams:
    """Check every parameter; unknown names are refused, not ignored (a typo in a
    name would otherwise silently search with the default)."""
    unknown = [k for k in raw if k not in NAMES]
    if unknown:
        raise bad_parameter(unknown[0], "unknown parameter; the parameters are "
                            + ", ".join(NAMES))
    if "q" not in raw:
        raise bad_parameter("q", "the query is missing")
    q = _text("q", raw["q"], settings.max_query)
    if not q.strip():
        raise bad_parameter("q", "the query is empty")
    out: dict[str, Any] = {"q": q}
    if "offset" in raw:
        out["offset"] = _integer("offset", raw["offset"], 0, settings.max_offset)
    if "limit" in raw:
        out["limit"] = _integer("limit", raw["limit"], 1, settings.max_limit)
    if "plain" in raw:
        out["plain"] = _boolean("plain", raw["plain"])
    if "facets" in raw:
        out["facets"] = _facets(raw["facets"])
    for tag in ("highlight_pre_tag", "highlight_post_tag"):
        if tag in raw:
            out[tag] = _text(tag, raw[tag], MAX_TAG)
    if "crop_length" in raw:
        out["crop_length"] = _integer("crop_length", raw["crop_length"], 1, MAX_CROP)
    return SearchParams(**out)


def body_params(body: Any) -> Mapping[str, Any]:
    if not isinstance(body, dict):
        raise ApiError(400, "invalid_body", "the body must be a JSON object of parameters")
    return body
