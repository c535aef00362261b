"""Gitea's ``EditAttachmentOptions``: the one request body that renames any attachment."""

from __future__ import annotations

from marshmallow import Schema, fields, validate


class EditAttachmentOptions(Schema):
    name = fields.String(allow_none=True, validate=validate.Length(max=255))
