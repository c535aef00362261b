"""RunnerHub's wire conventions in one place: the success envelope, its validation error,
its timestamps and its prefixed ids (``job_12``, ``runner_3``, ``del_7``)."""

from __future__ import annotations

import datetime

from plue_core.errors import BadRequest, Invalid, NotFound
from plue_core.families import hub_success
from plue_core.problems import problem
from plue_core.timestamps import parse_rfc3339
from plue_core.validation import load_body
from plue_core.integers import is_digits


class ValidationFailed(BadRequest):
    """RunnerHub's ``VALIDATION_ERROR`` (the seed answers bad input with 400, never 422)."""

    code = "VALIDATION_ERROR"


def reject(field: str, value, expected: str, message: str | None = None) -> ValidationFailed:
    """A validation error naming the field, the value and what was expected (seed shape)."""
    return ValidationFailed(message or f"invalid {field}: expected {expected}",
                            details=[problem(field, value, expected)])


def owner_and_name(full_name: str) -> tuple[str, str]:
    """``owner/repo`` split in two; anything else is the seed's repository VALIDATION_ERROR."""
    owner, slash, name = full_name.partition("/")
    if not slash or not owner or not name or "/" in name:
        raise reject("repository", full_name, "owner/repo format", "Invalid repository format")
    return owner, name


def load(req, schema) -> dict:
    """The JSON body through a marshmallow schema; problems are a RunnerHub 400."""
    try:
        return load_body(req, schema)
    except Invalid as error:
        raise ValidationFailed(error.message, details=error.details) from None


def success(resp, data, *, status: str | None = None, message: str | None = None) -> None:
    resp.media = hub_success(data, message=message)
    if status:
        resp.status = status


def parse_timestamp(field: str, raw: str) -> datetime.datetime:
    """An ISO 8601 time (``Z`` or an offset; naive means UTC) as naive UTC."""
    try:
        return parse_rfc3339(raw)
    except ValueError:
        raise reject(field, raw, "an ISO 8601 timestamp such as 2024-06-23T10:30:00Z") from None


def prefixed(prefix: str, number: int | None) -> str | None:
    return None if number is None else f"{prefix}_{number}"


def number_of(prefix: str, raw: str, what: str) -> int:
    """``job_12`` or ``12`` -> 12; anything else is 404 (no such thing can exist)."""
    text = raw[len(prefix) + 1:] if raw.startswith(prefix + "_") else raw
    if not is_digits(text) or len(text) > 18:
        raise NotFound(f"{what} {raw} does not exist")
    return int(text)
