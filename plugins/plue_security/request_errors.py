"""RunnerHub's request errors: the seed answers bad input with 400 ``VALIDATION_ERROR``."""

from __future__ import annotations

from marshmallow import EXCLUDE, ValidationError

from plue_core.errors import Invalid, PlueError
from plue_core.families import hub_success
from plue_core.validation import describe, load_body, message_of


class RequestInvalid(PlueError):
    status = 400
    code = "VALIDATION_ERROR"


def load_request(req, schema) -> dict:
    """``load_body`` with the seed's status: 400 VALIDATION_ERROR naming the field."""
    try:
        return load_body(req, schema)
    except Invalid as exc:
        raise RequestInvalid(exc.message, details=exc.details) from None


def load_query(req, schema) -> dict:
    """Query parameters through ``schema``: 400 VALIDATION_ERROR naming the parameter."""
    params = dict(req.params)
    try:
        return schema().load(params, unknown=EXCLUDE)
    except ValidationError as exc:
        problems = describe(exc, params, schema())
        raise RequestInvalid(message_of(problems), details=problems) from None


def succeed(resp, data, status: str = "200 OK") -> None:
    """RunnerHub's success envelope."""
    resp.status = status
    resp.media = hub_success(data)
