"""One way to read a JSON body: a marshmallow schema, errors that name the field.

Each failing field becomes a problem (``plue_core.problems``): its dotted path, the value
received and what was expected (a field's ``metadata["expected"]``, then marshmallow's
reason)."""

from __future__ import annotations

from typing import Any

import falcon
from marshmallow import EXCLUDE, Schema, ValidationError, fields, validate

from plue_core.errors import BadRequest, Invalid
from plue_core.integers import INT64_MAX, INT64_MIN
from plue_core.problems import Problem, problem
from plue_core.timestamps import naive_utc

# An issue's or a pull request's title (a pull request is an issue): Gitea's VARCHAR(255).
TITLE_MAX_LENGTH = 255
title_length = validate.Length(max=TITLE_MAX_LENGTH)
# An id or number in a body: the database's 64-bit columns cannot hold (or even compare) more.
int64 = validate.Range(min=INT64_MIN, max=INT64_MAX, error="must be a 64-bit integer")
# A value whose own domain is 32 bits (a process's exit code), kept in a 32-bit column.
int32 = validate.Range(min=-2 ** 31, max=2 ** 31 - 1, error="must be a 32-bit integer")


class UtcDateTime(fields.DateTime):
    """An RFC 3339 date-time in a request body, with any offset, kept as naive UTC (how rows
    store time)."""

    def _deserialize(self, value, attr, data, **kwargs):
        try:
            return naive_utc(super()._deserialize(value, attr, data, **kwargs))
        except ValueError as exc:  # an offset that takes it past year 1 or 9999
            raise ValidationError(str(exc)) from None


def _received(data: Any, path: list[str]) -> Any:
    for key in path:
        if isinstance(data, dict) and key in data:
            data = data[key]
        elif isinstance(data, list) and key.isdigit() and int(key) < len(data):
            data = data[int(key)]
        else:
            return None  # absent (e.g. a required field that was not sent)
    return data


def _schema_field(schema: Schema | None, path: list[str]) -> fields.Field | None:
    """The marshmallow field at ``path`` (for its ``metadata["expected"]``), when declared."""
    field = None
    for key in path:
        if key.isdigit() and isinstance(field, fields.List):
            field = field.inner
            continue
        if isinstance(field, fields.Nested):
            schema = field.schema
        elif field is not None:
            return None
        if schema is None or key not in schema.fields:
            return None
        field = schema.fields[key]
    return field


def _problems(messages: Any, data: Any, schema: Schema | None, path: list[str]) -> list[Problem]:
    if isinstance(messages, dict):
        out = []
        for key, value in messages.items():
            out += _problems(value, data, schema, path + [str(key)])
        return out
    reasons = [str(r) for r in (messages if isinstance(messages, list) else [messages])]
    name = ".".join(part for part in path if part != "_schema") or "body"  # schema-wide
    field = _schema_field(schema, path)
    declared = field.metadata.get("expected") if field is not None else None
    expected = "; ".join(reasons) if not declared else f"{declared} ({'; '.join(reasons)})"
    return [problem(name, _received(data, path), expected)]


def describe(error: ValidationError, data: Any, schema: Schema | None = None) -> list[Problem]:
    """A marshmallow error as problems, one per failing field, in the order of the schema."""
    return _problems(error.messages, data, schema, [])


def message_of(problems: list[Problem]) -> str:
    return "; ".join(map(str, problems))


def load_body(req: falcon.Request, schema: Schema | type[Schema], *, unknown: str = EXCLUDE,
              partial: bool = False) -> dict:
    """Parse and validate the JSON body. Gitea ignores unknown fields (``EXCLUDE``); families
    that reject them pass ``unknown=RAISE``. A missing or non-JSON body is a 400."""
    try:
        data = req.get_media(default_when_empty=None)
    except falcon.MediaMalformedError:
        raise BadRequest("request body is not valid JSON",
                         details=[problem("body", expected="a JSON object")]) from None
    if data is None:
        data = {}
    if not isinstance(data, dict):
        # A multipart body parses to a form object: name its media type, which JSON can hold.
        received = data if isinstance(data, (list, str, int, float, bool)) else req.content_type
        raise Invalid("request body must be a JSON object",
                      details=[problem("body", received, "a JSON object")])
    return load_data(data, schema, unknown=unknown, partial=partial)


def load_data(data: dict, schema: Schema | type[Schema], *, unknown: str = EXCLUDE,
              partial: bool = False) -> dict:
    """Validate ``data`` already parsed (a web form's fields) as :func:`load_body` does."""
    schema = schema() if isinstance(schema, type) else schema
    try:
        return schema.load(data, unknown=unknown, partial=partial)
    except ValidationError as exc:
        problems = describe(exc, data, schema)
        raise Invalid(message_of(problems), details=problems) from None
