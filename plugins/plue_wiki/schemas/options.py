"""Gitea's ``CreateWikiPageOptions`` (create and edit). Unknown fields are ignored, as Gitea does."""

from __future__ import annotations

from marshmallow import Schema, fields


class CreateWikiPageOptions(Schema):
    title = fields.String(load_default="", allow_none=True)
    content_base64 = fields.String(load_default="", allow_none=True)
    message = fields.String(load_default="", allow_none=True)
