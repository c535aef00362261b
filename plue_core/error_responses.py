"""Errors as responses: one handler renders every ``PlueError`` (and Falcon's own errors, and
the unexpected ones) in the error body of the request path's API family (see
``plue_core.families``), so a Gitea client gets ``{"message", "url"}``, RunnerHub gets its
envelope, and so on.
"""

from __future__ import annotations

import logging
import urllib.parse
from typing import Any

import falcon

from plue_core import families
from plue_core.errors import (
    BadRequest,
    Conflict,
    Forbidden,
    Invalid,
    MethodNotAllowed,
    Moved,
    NotFound,
    PayloadTooLarge,
    PlueError,
    TooManyRequests,
    Unauthorized,
)

log = logging.getLogger("plue.errors")

_FALCON_CODES = {
    400: BadRequest, 401: Unauthorized, 403: Forbidden, 404: NotFound, 405: MethodNotAllowed,
    409: Conflict, 413: PayloadTooLarge, 422: Invalid, 429: TooManyRequests,
}


# What a responder may have set about the body it began before it raised.
_BODY_HEADERS = ("Content-Disposition", "Content-Encoding", "Content-Range", "Content-Language")


def _render(req: falcon.Request, resp: falcon.Response, status: int, code: str, message: str,
            details: Any = None) -> None:
    family = families.family_of_request(req)
    if status == 422:
        status = family.invalid_status
    resp.status = status
    # The error replaces any body begun (Falcon renders text or data before media, and would
    # look for a media handler of the begun type: image/png made a 500 a bodiless 415).
    resp.text = resp.data = resp.stream = None
    for name in _BODY_HEADERS:
        resp.delete_header(name)
    resp.content_type = falcon.MEDIA_JSON
    # Gitea's ``url`` is its API documentation (``setting.API.SwaggerURL``), never the request
    # URL: that would hand back an ``access_token`` sent in the query string.
    resp.media = family.error_body(
        status=status, code=code, message=message, details=details,
        url=f"{req.prefix}/api/swagger",
        request_id=getattr(req.context, "request_id", None),
    )


def handle_plue_error(req, resp, ex: PlueError, params) -> None:
    for name, value in ex.headers.items():
        resp.set_header(name, value)
    if isinstance(ex, Moved):
        location = moved_location(req, ex)
        if location is None:  # named elsewhere than in the path: nowhere to send the request
            ex = NotFound(ex.message)
        else:
            resp.set_header("Location", location)
    _render(req, resp, ex.status, ex.code, ex.message, ex.details)


def moved_location(req, moved: Moved) -> str | None:
    """The request's path with its first ``moved.old`` replaced by ``moved.new``, and its
    query: relative to the server, as Gitea's ``RedirectToRepo``. None when the path does not
    hold ``moved.old`` (the name came in a body or query)."""
    if moved.old not in req.path:
        return None
    path = req.path.replace(moved.old, moved.new, 1)
    query = f"?{req.query_string}" if req.query_string else ""
    return urllib.parse.quote(f"{req.root_path}{path}", safe="/:@!$&'()*+,;=-._~") + query


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
