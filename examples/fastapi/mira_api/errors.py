"""Errors as JSON: `{"detail": message, "code": ..., "field": ..., "suggestion": ...}`.

One handler maps every agent_mira exception to a status; bad requests get
4xx with the engine's own message, never 5xx."""

from __future__ import annotations

import logging
from typing import Any, Optional

import agent_mira
import psycopg
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

log = logging.getLogger("mira_api.errors")

# Most specific first. Everything else from agent_mira that is a ValueError
# (bad input) is a 400; KeyError-like lookups are 404; wrong Python types 422.
_STATUS: list[tuple[type, int]] = [
    (agent_mira.NotFoundError, 404),
    (agent_mira.MiraTypeError, 422),
    (agent_mira.InvalidFieldError, 422),
    (agent_mira.UnknownFieldError, 400),
    (agent_mira.MissingFieldError, 400),
    (agent_mira.DuplicateIdError, 400),
    (agent_mira.ParseError, 400),
    (agent_mira.UnsupportedError, 400),
    (agent_mira.ModelMismatchError, 422),
    (agent_mira.MiraIOError, 500),  # server-side files, not the client's fault
    (agent_mira.InternalError, 500),
]


def status_for(exc: BaseException) -> int:
    for cls, status in _STATUS:
        if isinstance(exc, cls):
            return status
    return 400 if isinstance(exc, ValueError) else 500


def body(detail: str, code: str, field: Optional[str] = None, suggestion: Optional[str] = None) -> dict[str, Any]:
    out: dict[str, Any] = {"detail": detail, "code": code}
    if field is not None:
        out["field"] = field
    if suggestion is not None:
        out["suggestion"] = suggestion
    return out


class ApiError(Exception):
    """An error the routes raise themselves (404 unknown session, …)."""

    def __init__(self, status: int, detail: str, code: str, field: Optional[str] = None,
                 suggestion: Optional[str] = None) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.code = code
        self.field = field
        self.suggestion = suggestion


def _loc(loc: Any) -> str:
    parts = [str(p) for p in loc if p not in ("body",)] or [str(p) for p in loc]
    return ".".join(parts)


def install(app: FastAPI) -> None:
    @app.exception_handler(agent_mira.MiraError)
    async def mira_error(_: Request, exc: agent_mira.MiraError) -> JSONResponse:
        status = status_for(exc)
        if status >= 500:
            log.error("agent_mira error: %s", exc)
        return JSONResponse(
            body(str(exc), getattr(exc, "code", "MIRA_ERROR"),
                 getattr(exc, "field", None), getattr(exc, "suggestion", None)),
            status_code=status,
        )

    @app.exception_handler(ApiError)
    async def api_error(_: Request, exc: ApiError) -> JSONResponse:
        return JSONResponse(body(exc.detail, exc.code, exc.field, exc.suggestion),
                            status_code=exc.status)

    @app.exception_handler(RequestValidationError)
    async def validation_error(_: Request, exc: RequestValidationError) -> JSONResponse:
        errors = exc.errors()
        msgs = []
        for e in errors[:10]:
            where = _loc(e.get("loc", ()))
            msgs.append(f"{where}: {e.get('msg')}" if where else str(e.get("msg")))
        field = _loc(errors[0].get("loc", ())) if errors else None
        out = body("; ".join(msgs) or "invalid request", "REQUEST_INVALID", field)
        out["errors"] = [
            {"loc": list(e.get("loc", ())), "msg": e.get("msg"), "type": e.get("type")}
            for e in errors[:10]
        ]
        return JSONResponse(out, status_code=422)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        code = {404: "NOT_FOUND", 405: "METHOD_NOT_ALLOWED"}.get(exc.status_code, "HTTP_ERROR")
        return JSONResponse(body(str(exc.detail), code), status_code=exc.status_code,
                            headers=getattr(exc, "headers", None))

    @app.exception_handler(psycopg.DataError)
    async def data_error(_: Request, exc: psycopg.DataError) -> JSONResponse:
        # e.g. a NUL byte in a text parameter: the value is refused, the query
        # never ran with it.
        first = str(exc).splitlines()[0] if str(exc) else "invalid value"
        return JSONResponse(body(f"invalid value: {first}", "INVALID_VALUE"), status_code=400)
