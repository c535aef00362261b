"""One error path: services raise ``PlueError`` subclasses; one handler renders them.

The body follows the API family of the request path (see ``plue_core.families``), so a Gitea
client gets ``{"message", "url"}``, RunnerHub gets its envelope, and so on.
"""

from __future__ import annotations

import logging
from typing import Any

import falcon

from plue_core import families

log = logging.getLogger("plue.errors")


class PlueError(Exception):
    """Base of every error a client may see: an HTTP status, a message and optional details."""

    status = 400
    code = "BAD_REQUEST"

    def __init__(self, message: str, *, details: Any = None, headers: dict | None = None):
        super().__init__(message)
        self.message = message
        self.details = details
        self.headers = headers or {}


class Invalid(PlueError):
    """The request is well-formed but its content is wrong (Gitea answers 422)."""

    status = 422
    code = "VALIDATION_ERROR"


class BadRequest(PlueError):
    status = 400
    code = "VALIDATION_ERROR"  # RunnerHub's code for every rejected request (seed 002)


class Unauthorized(PlueError):
    status = 401
    code = "AUTHENTICATION_REQUIRED"


class Forbidden(PlueError):
    status = 403
    code = "AUTHORIZATION_FAILED"


class NotFound(PlueError):
    status = 404
    code = "RESOURCE_NOT_FOUND"


class MethodNotAllowed(PlueError):
    status = 405
    code = "METHOD_NOT_ALLOWED"


class Conflict(PlueError):
    status = 409
    code = "CONFLICT"


class PayloadTooLarge(PlueError):
    status = 413
    code = "PAYLOAD_TOO_LARGE"


class TooManyRequests(PlueError):
    status = 429
    code = "RATE_LIMIT_EXCEEDED"


class StartupError(Exception):
    """The app cannot start: bad config, duplicate registration, missing plugin dependency."""


_FALCON_CODES = {
    400: BadRequest, 401: Unauthorized, 403: Forbidden, 404: NotFound, 405: MethodNotAllowed,
    409: Conflict, 413: PayloadTooLarge, 422: Invalid, 429: TooManyRequests,
}


def _render(req: falcon.Request, resp: falcon.Response, status: int, code: str, message: str,
            details: Any = None) -> None:
    family = families.family_of(req.path)
    if status == 422:
        status = family.invalid_status
    resp.status = status
    resp.media = family.error_body(
        status=status, code=code, message=message, details=details, url=req.url,
        request_id=getattr(req.context, "request_id", None),
    )


def handle_plue_error(req, resp, ex: PlueError, params) -> None:
    for name, value in ex.headers.items():
        resp.set_header(name, value)
    _render(req, resp, ex.status, ex.code, ex.message, ex.details)


def handle_http_error(req, resp, ex: falcon.HTTPError, params) -> None:
    """Falcon's own errors (unknown route, bad JSON, wrong method) in the family's shape."""
    for name, value in (ex.headers or {}).items():
        resp.set_header(name, value)
    status = ex.status_code
    message = ex.description or ex.title or "error"
    if status == 404 and not ex.description:
        message = "Not Found"
    code = _FALCON_CODES.get(status, PlueError).code if status in _FALCON_CODES else "HTTP_ERROR"
    _render(req, resp, status, code, message)


def handle_unexpected(req, resp, ex: Exception, params) -> None:
    """A 500 is a bug: log the traceback with the request id, never show it to the client."""
    if isinstance(ex, falcon.HTTPError):
        return handle_http_error(req, resp, ex, params)
    request_id = getattr(req.context, "request_id", None)
    log.exception("unhandled error on %s %s (request id %s)", req.method, req.path, request_id)
    _render(req, resp, 500, "INTERNAL_ERROR",
            f"internal server error; quote request id {request_id} to the administrator")


def install(app: falcon.App) -> None:
    app.add_error_handler(Exception, handle_unexpected)
    app.add_error_handler(falcon.HTTPError, handle_http_error)
    app.add_error_handler(PlueError, handle_plue_error)
