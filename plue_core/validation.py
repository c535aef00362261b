"""One way to read a JSON body: a marshmallow schema, errors that name the field."""

from __future__ import annotations

from typing import Any

import falcon
from marshmallow import EXCLUDE, Schema, ValidationError

from plue_core.errors import BadRequest, Invalid


def _describe(messages: Any, prefix: str = "") -> list[str]:
    if isinstance(messages, dict):
        out = []
        for key, value in messages.items():
            out += _describe(value, f"{prefix}{key}." if isinstance(value, dict) else f"{prefix}{key}")
        return out
    reasons = messages if isinstance(messages, list) else [messages]
    return [f"{prefix.rstrip('.')}: {r}" for r in reasons]


def load_body(req: falcon.Request, schema: Schema | type[Schema], *, unknown: str = EXCLUDE,
              partial: bool = False) -> dict:
    """Parse and validate the JSON body. Gitea ignores unknown fields (``EXCLUDE``); families
    that reject them pass ``unknown=RAISE``. A missing or non-JSON body is a 400."""
    try:
        data = req.get_media(default_when_empty=None)
    except falcon.MediaMalformedError:
        raise BadRequest("request body is not valid JSON") from None
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise Invalid("request body must be a JSON object")
    schema = schema() if isinstance(schema, type) else schema
    try:
        return schema.load(data, unknown=unknown, partial=partial)
    except ValidationError as exc:
        details = _describe(exc.messages)
        raise Invalid("; ".join(details), details=details) from None
