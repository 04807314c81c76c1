"""The endpoints. Every engine call runs in a worker thread through ``Runner`` (the
event loop never waits on a search), bounded in number and in time."""

from __future__ import annotations

import json
import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import Any, TypeVar

import anyio
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response

from search.engine import Engine
from search.errors import IndexDamagedError, QuerySyntaxError, UsageError
from search.server.errors import ApiError, bad_parameter
from search.server.format import facets_json, results_json
from search.server.openapi import openapi_schema
from search.server.params import SearchParams, body_params, search_params
from search.server.settings import Settings

T = TypeVar("T")
RETRY_AFTER = "1"  # seconds: searches last milliseconds, a slot frees soon
URLS_KEPT = 4096  # article -> URL, remembered (one stored read per article otherwise)


class Runner:
    """Runs engine calls in ``threads`` threads: at most ``limit`` admitted at once,
    running or waiting for a thread (past it a 503 with ``Retry-After`` at once,
    rather than a queue that grows), each answered within ``timeout`` seconds. A
    search past its time keeps its slot until its thread ends, so slow searches
    cannot pile up behind the answers already sent. Few threads: the engines'
    Python side holds the GIL, and 32 threads taking turns answer fewer searches
    a second than 4 (bench/serve.py)."""

    def __init__(self, limit: int, timeout: float, threads: int = 4) -> None:
        self.limit, self.timeout = limit, timeout
        self.in_flight = 0
        self._lock = threading.Lock()
        self._limiter = anyio.CapacityLimiter(max(threads, 1))

    def _release(self) -> None:
        with self._lock:
            self.in_flight -= 1

    async def __call__(self, fn: Callable[..., T], *args: Any) -> T:
        with self._lock:
            if self.in_flight >= self.limit:
                raise ApiError(503, "overloaded", f"{self.limit} searches are running; "
                               "try again in a moment", headers={"Retry-After": RETRY_AFTER})
            self.in_flight += 1

        def work() -> T:
            try:
                return fn(*args)
            finally:
                self._release()

        try:
            with anyio.fail_after(self.timeout):
                return await anyio.to_thread.run_sync(work, abandon_on_cancel=True,
                                                      limiter=self._limiter)
        except TimeoutError:
            raise ApiError(503, "search_timeout", f"the search took longer than "
                           f"{self.timeout:g} s", headers={"Retry-After": RETRY_AFTER}) from None


def state(request: Request) -> tuple[Engine, Settings, Runner]:
    s = request.app.state
    return s.engine, s.settings, s.runner


class ArticleUrls:
    """An article's URL (stored with its passages, not with a hit), remembered."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._known: OrderedDict[str, str | None] = OrderedDict()
        self._lock = threading.Lock()

    def __call__(self, article: str) -> str | None:
        with self._lock:
            if article in self._known:
                return self._known[article]
        passages = self.engine.article(article)
        url = next((p.get("url") for p in passages if p.get("url")), None)
        with self._lock:
            self._known[article] = url
            while len(self._known) > URLS_KEPT:
                self._known.popitem(last=False)
        return url


def _run_search(engine: Engine, urls: ArticleUrls, p: SearchParams, most_values: int,
                shards: bool) -> dict[str, Any]:
    try:
        results = engine.search(p.q, limit=p.limit, offset=p.offset, plain=p.plain)
        counts, exact = (engine.facets(p.q, p.facets, plain=p.plain) if p.facets
                         else ({}, True))
    except QuerySyntaxError as exc:
        raise query_error(exc) from None
    return results_json(results, p, urls, facets_json(counts, most_values), exact,
                        results.shards if shards else None)


def query_error(exc: QuerySyntaxError) -> ApiError:
    return ApiError(400, "invalid_query", exc.message, position=exc.position, hint=exc.hint)


async def search(request: Request) -> Response:
    engine, settings, run = state(request)
    if request.method == "POST":
        try:
            raw = body_params(json.loads(await request.body() or b"null"))
        except (ValueError, UnicodeDecodeError):
            raise ApiError(400, "invalid_body", "the body is not JSON") from None
    else:
        raw = dict(request.query_params)
    params = search_params(raw, settings)
    body = await run(_run_search, engine, request.app.state.urls, params, settings.facet_values,
                     request.app.state.cluster)
    return JSONResponse(body)


async def article(request: Request) -> Response:
    engine, _, run = state(request)
    article_id = request.path_params["article"]
    passages = await run(engine.article, article_id)
    if not passages:
        raise ApiError(404, "article_not_found", f"no article {article_id!r} in the index")
    first = passages[0]
    return JSONResponse({
        "article": article_id, "title": first.get("title"), "source": first.get("source"),
        "date": first.get("date"), "url": next((p.get("url") for p in passages
                                                 if p.get("url")), None),
        "passages": [{"passage": int(p["passage"]), "text": p["text"],
                      "speakers": list(p.get("speakers") or [])} for p in passages]})


def _counts(pairs: list[tuple[str, int]], limit: int) -> list[dict[str, Any]]:
    return [{"name": name, "count": n} for name, n in pairs[:limit]]


def _limit(request: Request, default: int = 20) -> int:
    raw = request.query_params.get("limit", str(default))
    if not raw.isdigit() or not 1 <= int(raw) <= 1000:
        raise bad_parameter("limit", f"a whole number from 1 to 1000, not {raw!r}")
    return int(raw)


async def speakers(request: Request) -> Response:
    engine, settings, run = state(request)
    prefix = request.query_params.get("prefix", "")
    if len(prefix) > settings.max_query:
        raise bad_parameter("prefix", f"at most {settings.max_query:,} characters")
    pairs = await run(engine.speakers, prefix)
    return JSONResponse({"prefix": prefix, "speakers": _counts(pairs, _limit(request))})


async def sources(request: Request) -> Response:
    engine, _, run = state(request)
    pairs = await run(engine.sources)
    return JSONResponse({"sources": _counts(pairs, _limit(request, 100))})


async def explain(request: Request) -> Response:
    engine, settings, run = state(request)
    q = request.query_params.get("q")
    if not q or not q.strip():
        raise bad_parameter("q", "the query is missing")
    if len(q) > settings.max_query:
        raise bad_parameter("q", f"at most {settings.max_query:,} characters")

    def explained() -> dict[str, Any]:
        try:
            return engine.explain(q)
        except QuerySyntaxError as exc:
            raise query_error(exc) from None

    return JSONResponse(await run(explained))


async def health(request: Request) -> Response:
    """Available when the index answers; on a cluster, each shard copy's state."""
    engine, _, run = state(request)

    def check() -> dict[str, Any]:
        body: dict[str, Any] = {"status": "available", **engine.stats()}
        if request.app.state.cluster:
            copies = engine.location.status()
            body["shards"] = [{k: c.get(k) for k in ("shard", "role", "address",
                                                     "reachable", "reason")} for c in copies]
            if not all(c["reachable"] for c in copies):
                body["status"] = "degraded"
        return body

    try:
        return JSONResponse(await run(check))
    except (IndexDamagedError, UsageError) as exc:
        raise ApiError(503, "index_unavailable", str(exc)) from None


async def metrics(request: Request) -> Response:
    return PlainTextResponse(request.app.state.metrics.render(),
                             media_type="text/plain; version=0.0.4")


async def openapi(request: Request) -> Response:
    return JSONResponse(openapi_schema())
