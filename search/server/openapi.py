"""``/openapi.json``: the API described for clients and for the schema tests, which
check that every answer matches it."""

from __future__ import annotations

from typing import Any

from search.server.params import FACETS, MAX_CROP, MAX_TAG

ERROR = {"type": "object", "required": ["message", "code", "type", "status"],
         "properties": {"message": {"type": "string"}, "code": {"type": "string"},
                        "type": {"type": "string"}, "status": {"type": "integer"},
                        "position": {"type": "integer"}, "hint": {"type": "string"},
                        "parameter": {"type": "string"}}}
NULLABLE_STR = {"type": ["string", "null"]}
HIT = {"type": "object",
       "required": ["article", "passage", "score", "text", "formatted", "highlights",
                    "speakers", "date", "title", "source", "url", "duplicates", "partial",
                    "missing"],
       "properties": {
           "article": {"type": "string"}, "passage": {"type": "integer"},
           "score": {"type": "number"}, "text": {"type": "string"},
           "formatted": {"type": "string", "description": "the text HTML-escaped and "
                         "cropped, each match between the highlight tags"},
           "highlights": {"type": "array", "description": "[start, end) of each match in "
                          "`text`, in Unicode code points (not UTF-16 units, not bytes)",
                          "items": {"type": "array", "items": {"type": "integer"}}},
           "speakers": {"type": "array", "items": {"type": "string"}},
           "date": NULLABLE_STR, "title": NULLABLE_STR, "source": NULLABLE_STR,
           "url": NULLABLE_STR,
           "duplicates": {"type": "array", "items": {"type": "string"}},
           "duplicate_count": {"type": "integer"},
           "dates": {"type": "array", "items": {"type": "string"}},
           "partial": {"type": "boolean"},
           "missing": {"type": "array", "items": {"type": "string"}}}}
RESULTS = {"type": "object",
           "required": ["query", "total", "total_relation", "copies", "partial", "took_ms",
                        "hits", "facets", "suggestions"],
           "properties": {
               "query": {"type": "string"}, "offset": {"type": "integer"},
               "limit": {"type": "integer"}, "total": {"type": "integer"},
               "total_relation": {"enum": ["eq", "gte"]},
               "copies": {"type": "integer"}, "partial": {"type": "integer"},
               "took_ms": {"type": "number"}, "hits": {"type": "array", "items": HIT},
               "facets": {"type": "object", "additionalProperties": {
                   "type": "object", "additionalProperties": {"type": "integer"}}},
               "facets_exact": {"type": "boolean"},
               "suggestions": {"type": "array", "items": {
                   "type": "object", "required": ["message", "query"],
                   "properties": {"message": {"type": "string"}, "query": NULLABLE_STR}}},
               "shards": {"type": "object"}}}
COUNTS = {"type": "array", "items": {"type": "object", "required": ["name", "count"],
                                     "properties": {"name": {"type": "string"},
                                                    "count": {"type": "integer"}}}}


def _json(schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _errors(*statuses: int) -> dict[str, Any]:
    return {str(s): {"$ref": "#/components/responses/Error"} for s in statuses}


SEARCH_PARAMS: dict[str, Any] = {
    "q": {"type": "string", "minLength": 1, "maxLength": 10_000,
          "description": "the query language (see the README)"},
    "offset": {"type": "integer", "minimum": 0, "maximum": 10_000, "default": 0},
    "limit": {"type": "integer", "minimum": 1, "maximum": 100, "default": 10},
    "plain": {"type": "boolean", "default": False, "description": "search the text as words"},
    "facets": {"type": "string", "description": "comma-separated: "
               + ", ".join(FACETS) + " (date by month)"},
    "highlight_pre_tag": {"type": "string", "maxLength": MAX_TAG, "default": "<mark>"},
    "highlight_post_tag": {"type": "string", "maxLength": MAX_TAG, "default": "</mark>"},
    "crop_length": {"type": "integer", "minimum": 1, "maximum": MAX_CROP, "default": 40},
}


def openapi_schema() -> dict[str, Any]:
    query = [{"name": name, "in": "query", "required": name == "q", "schema": schema}
             for name, schema in SEARCH_PARAMS.items()]
    body = {"type": "object", "required": ["q"], "additionalProperties": False,
            "properties": {**SEARCH_PARAMS, "facets": {
                "type": "array", "items": {"enum": list(FACETS)}}}}
    search_answers = {"200": _json(RESULTS, "ranked passages"),
                      **_errors(400, 401, 413, 503)}
    return {
        "openapi": "3.0.3",
        "info": {"title": "vnsearch", "version": "1",
                 "description": "Search Vietnamese news by who said what, when."},
        "paths": {
            "/api/search": {
                "get": {"operationId": "search", "parameters": query,
                        "responses": search_answers},
                "post": {"operationId": "searchPost", "requestBody": {
                    "required": True, "content": {"application/json": {"schema": body}}},
                    "responses": search_answers}},
            "/api/articles/{id}": {"get": {
                "operationId": "article",
                "parameters": [{"name": "id", "in": "path", "required": True,
                                "schema": {"type": "string", "minLength": 1}}],
                "responses": {"200": _json({"type": "object", "required": [
                    "article", "passages"]}, "the article, passages in order"),
                    **_errors(401, 404, 503)}}},
            "/api/speakers": {"get": {
                "operationId": "speakers",
                "parameters": [{"name": "prefix", "in": "query", "schema": {"type": "string"}},
                               {"name": "limit", "in": "query", "schema": {
                                   "type": "integer", "minimum": 1, "maximum": 1000}}],
                "responses": {"200": _json({"type": "object", "required": ["speakers"],
                                            "properties": {"speakers": COUNTS}},
                                           "speakers, most quoted first"),
                              **_errors(400, 401, 503)}}},
            "/api/sources": {"get": {
                "operationId": "sources",
                "parameters": [{"name": "limit", "in": "query", "schema": {
                    "type": "integer", "minimum": 1, "maximum": 1000}}],
                "responses": {"200": _json({"type": "object", "required": ["sources"],
                                            "properties": {"sources": COUNTS}},
                                           "outlets, most passages first"),
                              **_errors(400, 401, 503)}}},
            "/api/explain": {"get": {
                "operationId": "explain",
                "parameters": [{"name": "q", "in": "query", "required": True,
                                "schema": {"type": "string", "minLength": 1,
                                           "maxLength": 10_000}}],
                "responses": {"200": _json({"type": "object", "required": [
                    "query", "parsed", "plan"]}, "how the query is read"),
                    **_errors(400, 401, 503)}}},
            "/health": {"get": {"operationId": "health", "responses": {
                "200": _json({"type": "object", "required": ["status"], "properties": {
                    "status": {"enum": ["available", "degraded"]}}}, "the index answers"),
                **_errors(503)}}},
        },
        "components": {"responses": {"Error": _json(ERROR, "an error, one shape everywhere")}},
    }
