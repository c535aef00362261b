"""Gitea's request bodies for releases (names as in Gitea's OpenAPI; renaming a file is the
attachment store's ``EditAttachmentOptions``).
Unknown fields are ignored, as Gitea does."""

from __future__ import annotations

from marshmallow import Schema, fields, validate


class CreateReleaseOption(Schema):
    tag_name = fields.String(required=True, validate=validate.Length(max=255))
    target_commitish = fields.String(load_default="", allow_none=True,
                                     validate=validate.Length(max=255))
    name = fields.String(load_default="", allow_none=True, validate=validate.Length(max=255))
    body = fields.String(load_default="", allow_none=True)
    draft = fields.Boolean(load_default=False)
    prerelease = fields.Boolean(load_default=False)
    tag_message = fields.String(load_default="", allow_none=True)


class EditReleaseOption(Schema):
    """Gitea changes what is given: an empty string keeps a text field as it was."""

    tag_name = fields.String(allow_none=True, validate=validate.Length(max=255))
    target_commitish = fields.String(allow_none=True, validate=validate.Length(max=255))
    name = fields.String(allow_none=True, validate=validate.Length(max=255))
    body = fields.String(allow_none=True)
    draft = fields.Boolean(allow_none=True)
    prerelease = fields.Boolean(allow_none=True)
