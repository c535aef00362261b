"""One error path: services raise ``PlueError`` subclasses; one handler renders them
(``plue_core.error_responses``, in the body of the request's API family).

This module imports no web framework and no database, so code that runs outside the server
(the workflow language ``plue_workflows``, the runner agent) raises the same errors.
"""

from __future__ import annotations

from typing import Any


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


class InvalidArgument(Invalid):
    """Content Gitea's service refuses with ``util.ErrInvalidArgument``, which its API answers
    400 rather than its form binding's 422 (a secret's or variable's name, a token's scopes).
    Still an ``Invalid``: a web form catching those shows it on its page."""

    status = 400


class BadRequest(PlueError):
    status = 400
    code = "VALIDATION_ERROR"  # RunnerHub's code for every rejected request (seed 002)


class Unauthorized(PlueError):
    status = 401
    code = "AUTHENTICATION_REQUIRED"


class Forbidden(PlueError):
    status = 403
    code = "AUTHORIZATION_FAILED"


class Moved(PlueError):
    """307: what the request names lives at another path now (a renamed repository's old
    name, as Gitea's ``RedirectToRepo``). The answer's ``Location`` is the request's own path
    with its first ``old`` replaced by ``new`` and the same query (``error_responses``), so
    the client repeats the same request there, body and method kept."""

    status = 307
    code = "MOVED"

    def __init__(self, message: str, *, old: str, new: str):
        super().__init__(message)
        self.old, self.new = old, new


class NotFound(PlueError):
    status = 404
    code = "RESOURCE_NOT_FOUND"


class MethodNotAllowed(PlueError):
    status = 405
    code = "METHOD_NOT_ALLOWED"


class Conflict(PlueError):
    status = 409
    code = "CONFLICT"


class PreconditionFailed(PlueError):
    """Gitea's 412: a state change that cannot be made (reopening a merged pull request, an
    unknown state)."""

    status = 412
    code = "PRECONDITION_FAILED"


class PayloadTooLarge(PlueError):
    status = 413
    code = "PAYLOAD_TOO_LARGE"


class Locked(PlueError):
    """Gitea's 423 ``repoArchivedError``: a write to an archived (read-only) repository."""

    status = 423
    code = "REPOSITORY_ARCHIVED"


class TooManyRequests(PlueError):
    status = 429
    code = "RATE_LIMIT_EXCEEDED"


class ServiceUnavailable(PlueError):
    """503: something the request needs (the database) cannot be reached right now."""

    status = 503
    code = "SERVICE_UNAVAILABLE"


class StartupError(Exception):
    """The app cannot start: bad config, duplicate registration, missing plugin dependency."""
