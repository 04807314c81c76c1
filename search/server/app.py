"""The ASGI application, built from an open Engine: routes, the page's static files,
and one guard in front of them all (key, body size, security headers, metrics)."""

from __future__ import annotations

import hmac
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import FileResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from search.engine import Engine
from search.errors import SearchError
from search.server import api
from search.server.errors import ApiError
from search.server.metrics import Metrics, route_of
from search.server.settings import Settings

PAGE = Path(__file__).parent / "page"
# the page runs only its own files: no inline script, nothing from another origin
CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
       "connect-src 'self'; font-src 'self'; base-uri 'none'; form-action 'self'; "
       "frame-ancestors 'none'")
SECURITY_HEADERS = [(b"content-security-policy", CSP.encode()),
                    (b"x-content-type-options", b"nosniff"),
                    (b"referrer-policy", b"no-referrer"),
                    (b"x-frame-options", b"DENY")]
OPEN_PATHS = ("/health",)  # answered without the key (load balancers ask it)
KEYED_PREFIXES = ("/api/", "/metrics", "/openapi.json")


class BodyTooLarge(ApiError):
    def __init__(self, most: int) -> None:
        super().__init__(413, "payload_too_large", f"the body is over {most:,} bytes")


class Guard:
    """In front of every request: the API key, the body limit (declared or streamed),
    the security headers, and the request's time into the metrics."""

    def __init__(self, app: ASGIApp, settings: Settings, metrics: Metrics) -> None:
        self.app, self.settings, self.metrics = app, settings, metrics

    def _refuse(self, path: str, headers: dict[bytes, bytes]) -> ApiError | None:
        key = self.settings.api_key
        if key and path not in OPEN_PATHS and path.startswith(KEYED_PREFIXES):
            given = headers.get(b"authorization", b"").decode("latin-1")
            scheme, _, token = given.partition(" ")
            if scheme.lower() != "bearer" or not hmac.compare_digest(token.strip(), key):
                return ApiError(401, "missing_api_key" if not given else "invalid_api_key",
                                "this server needs an API key: Authorization: Bearer KEY",
                                headers={"WWW-Authenticate": "Bearer"})
        length = headers.get(b"content-length", b"0")
        if length.isdigit() and int(length) > self.settings.max_body:
            return BodyTooLarge(self.settings.max_body)
        return None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        start = time.perf_counter()
        status = 500

        async def send_with_headers(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message["headers"] = [*message.get("headers", []), *SECURITY_HEADERS]
            await send(message)

        received = 0

        async def receive_bounded() -> Message:
            nonlocal received
            message = await receive()
            received += len(message.get("body", b""))
            if received > self.settings.max_body:
                raise BodyTooLarge(self.settings.max_body)
            return message

        refused = self._refuse(scope["path"], dict(scope.get("headers", [])))
        try:
            if refused is not None:
                self.metrics.error(refused.code)
                await refused.response()(scope, receive, send_with_headers)
            else:
                await self.app(scope, receive_bounded, send_with_headers)
        finally:
            self.metrics.observe(route_of(scope["path"]), scope["method"], status,
                                 time.perf_counter() - start)


async def _api_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, ApiError)
    request.app.state.metrics.error(exc.code)
    return exc.response()


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    code = {404: "not_found", 405: "method_not_allowed"}.get(exc.status_code, "http_error")
    message = {404: f"nothing at {request.url.path}",
               405: f"{request.method} is not allowed on {request.url.path}"}.get(
        exc.status_code, str(exc.detail))
    return await _api_error(request, ApiError(exc.status_code, code, message,
                                              headers=dict(exc.headers or {})))


async def _search_error(request: Request, exc: Exception) -> Response:
    """An engine error that is not the caller's: the index cannot be read."""
    return await _api_error(request, ApiError(503, "index_unavailable", str(exc),
                                              headers={"Retry-After": "5"}))


async def _internal_error(request: Request, exc: Exception) -> Response:
    """A bug: one line, never the traceback (it stays in the server's log)."""
    return await _api_error(request, ApiError(500, "internal",
                                              f"internal error ({type(exc).__name__})"))


async def page(request: Request) -> Response:
    return FileResponse(PAGE / "index.html", media_type="text/html; charset=utf-8",
                        headers={"Cache-Control": "no-cache"})


def create_app(engine: Engine, settings: Settings | None = None,
               close_engine: bool = False) -> Starlette:
    """The application over ``engine`` (which it never writes). ``close_engine``:
    close it when the application stops (a worker process that opened it)."""
    settings = settings or Settings()
    metrics = Metrics()

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        try:
            yield
        finally:
            if close_engine:
                engine.close()

    routes = [
        Route("/", page),
        Route("/api/search", api.search, methods=["GET", "POST"]),
        Route("/api/articles/{article:path}", api.article),
        Route("/api/speakers", api.speakers),
        Route("/api/sources", api.sources),
        Route("/api/explain", api.explain),
        Route("/health", api.health),
        Route("/metrics", api.metrics),
        Route("/openapi.json", api.openapi),
        Mount("/static", StaticFiles(directory=PAGE), name="static"),
    ]
    middleware = [Middleware(Guard, settings=settings, metrics=metrics)]
    if settings.cors:
        middleware.append(Middleware(CORSMiddleware, allow_origins=list(settings.cors),
                                     allow_methods=["GET", "POST"],
                                     allow_headers=["Authorization", "Content-Type"]))
    handlers: dict[Any, Any] = {ApiError: _api_error, HTTPException: _http_error,
                                SearchError: _search_error, Exception: _internal_error}
    app = Starlette(routes=routes, middleware=middleware, exception_handlers=handlers,
                    lifespan=lifespan)
    app.state.engine = engine
    app.state.settings = settings
    app.state.metrics = metrics
    app.state.runner = api.Runner(settings.max_in_flight, settings.timeout, settings.threads)
    app.state.urls = api.ArticleUrls(engine)
    app.state.cluster = engine.location.sharded
    return app


def app_from_env() -> Starlette:
    """The factory each uvicorn worker process calls: the index and the settings
    come from the environment the ``serve`` command set."""
    settings = Settings.from_env()
    return create_app(Engine.open(settings.index), settings, close_engine=True)
