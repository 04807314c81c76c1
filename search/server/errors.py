"""One error shape on every endpoint: ``{message, code, type, status}``, plus
``position`` and ``hint`` for a query that does not parse. Never a traceback."""

from __future__ import annotations

from typing import Any

from starlette.responses import JSONResponse

TYPES = {400: "invalid_request", 401: "auth", 404: "invalid_request", 405: "invalid_request",
         413: "invalid_request", 500: "internal", 501: "system", 503: "system"}


class ApiError(Exception):
    """An answer that is not a result: the status, a stable ``code`` a program can
    branch on, and a message a person can act on."""

    def __init__(self, status: int, code: str, message: str,
                 headers: dict[str, str] | None = None, **extra: Any) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message
        self.headers = headers or {}
        self.extra = extra

    def body(self) -> dict[str, Any]:
        return {"message": self.message, "code": self.code,
                "type": TYPES.get(self.status, "invalid_request"), "status": self.status,
                **self.extra}

    def response(self) -> JSONResponse:
        return JSONResponse(self.body(), status_code=self.status, headers=self.headers)


def bad_parameter(name: str, message: str) -> ApiError:
    return ApiError(400, "invalid_parameter", f"{name}: {message}", parameter=name)
