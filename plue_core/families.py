"""The API families Plue serves, told apart by path prefix, each with its own body shapes."""

from __future__ import annotations

import dataclasses
import datetime
import re
from typing import Any, Callable

from plue_core.problems import Problem, problems_in
from plue_core.shapes import Shape, array, boolean, item, obj, string
from plue_core.timestamps import rfc3339


def _utc_now_iso() -> str:
    return rfc3339(datetime.datetime.now(datetime.timezone.utc))


def _as_text(details: Any) -> Any:
    """Problems as ``"field: expected"`` strings (the Gitea and bare families' ``errors``)."""
    if isinstance(details, list):
        return [str(d) if isinstance(d, Problem) else d for d in details]
    return str(details) if isinstance(details, Problem) else details


def _gitea_error(*, status, code, message, details, url, request_id) -> dict:
    """Gitea's ``APIError``: ``url`` is where its API is documented (``/api/swagger``)."""
    body: dict[str, Any] = {"message": message, "url": url}
    if details:
        details = _as_text(details)
        body["errors"] = details if isinstance(details, list) else [details]
    return body


def _simple_error(*, status, code, message, details, url, request_id) -> dict:
    body: dict[str, Any] = {"error": message}
    if details:
        body["details"] = _as_text(details)
    return body


def _hub_details(code: str, message: str, details: Any) -> Any:
    """Seed 002's ``details``: for a VALIDATION_ERROR always an object naming the (first)
    failing ``field``, the ``value`` received and what was ``expected``, with ``errors``
    listing every problem when there are several. An error raised without naming a field
    (Falcon's own, a workflow file's) names the whole ``request``, its details kept in
    ``errors``."""
    if code != "VALIDATION_ERROR":
        return details
    problems = problems_in(details)
    if not problems:
        if isinstance(details, dict) and "field" in details:
            return details
        whole: dict[str, Any] = {"field": "request", "value": None, "expected": message}
        if details:
            whole["errors"] = details if isinstance(details, list) else [details]
        return whole
    first = dict(problems[0])
    if len(problems) > 1:
        first["errors"] = [dict(p) for p in problems]
    return first


def _envelope_error(*, status, code, message, details, url, request_id) -> dict:
    return {"success": False, "error": {
        "code": code, "message": message, "details": _hub_details(code, message, details),
        "timestamp": _utc_now_iso(), "request_id": request_id,
    }}


_CONNECT_CODES = {400: "invalid_argument", 401: "unauthenticated", 403: "permission_denied",
                  404: "not_found", 405: "unimplemented", 409: "already_exists",
                  413: "resource_exhausted", 415: "invalid_argument", 422: "invalid_argument",
                  429: "resource_exhausted"}


def _connect_error(*, status, code, message, details, url, request_id) -> dict:
    """The runner protocol (Connect RPC) shape: ``{"code", "message"}``."""
    return {"code": _CONNECT_CODES.get(status, "internal" if status >= 500 else "unknown"),
            "message": message}


def hub_success(data: Any, *, message: str | None = None) -> dict:
    """RunnerHub's success envelope ``{"success": true, "message"?, "data": ...}`` (seed 002)."""
    body: dict[str, Any] = {"success": True}
    if message:
        body["message"] = message
    body["data"] = data
    return body


def hub_envelope(data: Shape, *, many: bool = False) -> Shape:
    """The component of :func:`hub_success`'s body around ``data`` (a list of them when
    ``many``), for ``@operation(response=...)``; rendering ``{"data": ..., "message": ...}``
    with it gives what ``hub_success`` gives."""
    name = f"{data.name}{'List' if many else ''}Envelope"
    body = (array("data", item("data"), items=data) if many
            else obj("data", item("data"), shape=data))
    return Shape(name, [boolean("success", const=True),
                        string("message", lambda gathered, view: gathered.get("message") or None,
                               omit_empty=True),
                        body], description=f"RunnerHub's success envelope around {data.name}")


@dataclasses.dataclass(frozen=True)
class Family:
    name: str
    prefixes: tuple[str, ...]
    error_body: Callable[..., dict]
    # The status of a validation error (Invalid): Gitea's 422, or 400 where a seed has no 422.
    invalid_status: int = 422
    # Headers every answer of the family carries, errors included.
    response_headers: tuple[tuple[str, str], ...] = ()


GITEA = Family("gitea", ("/api/v1",), _gitea_error)
# Gitea's runner protocol and the job artifact endpoints (the actions plugin).
RUNNER_PROTOCOL = Family("runner_protocol", ("/api/actions",), _connect_error)
TRACKED_REPOS = Family("tracked_repos", ("/api/repos",), _simple_error)
RUNNERHUB = Family("runnerhub", ("/api", "/health", "/metrics"), _envelope_error,
                   invalid_status=400,  # seed 002's status list has no 422
                   response_headers=(("API-Version", "2.0"),))  # seed 002's "API Versioning"
PILOT = Family("pilot", ("/auth", "/onboarding", "/common", "/org"), _simple_error)
# Everything else (git smart HTTP errors, /-/plugins) speaks Gitea's shape.
DEFAULT = Family("default", (), _gitea_error)

# Most specific prefix first: /api/v1 and /api/repos before /api.
ALL = (GITEA, RUNNER_PROTOCOL, TRACKED_REPOS, RUNNERHUB, PILOT)


# One match instead of a loop over every prefix: a prefix is the whole path or is followed by
# "/"; the alternatives are tried in ALL's order, each family one group.
_PREFIXES = re.compile("|".join(
    f"({'|'.join(re.escape(prefix) for prefix in family.prefixes)})(?:/|\\Z)" for family in ALL))


def family_of(path: str) -> Family:
    found = _PREFIXES.match(path)
    return DEFAULT if found is None else ALL[found.lastindex - 1]


def family_of_request(req) -> Family:
    """The request's family, found once, by the family headers middleware, and kept on its
    context: the request metrics, the rate limiter, the web face and error bodies ask for it."""
    try:
        return req.context.family
    except AttributeError:
        family = req.context.family = family_of(req.path)
        return family
