"""Wire shapes: seed 003's repository object, the commits listing (a Plue addition), and
RunnerHub's /api/github bodies."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from plue_core.timestamps import rfc3339


class Timestamp(fields.DateTime):
    """Naive UTC as seed 003 writes it: ``2026-02-19T00:15:00Z``."""

    def _serialize(self, value, attr, obj, **kwargs):
        return rfc3339(value)


class AddRepositoryRequest(Schema):
    url = fields.Raw(required=True, metadata={"description": "https://github.com/owner/name"})


class RepositorySchema(Schema):
    id = fields.Integer()
    user_id = fields.Integer()
    name = fields.String()
    owner = fields.String()
    provider = fields.String()
    url = fields.String()
    is_valid = fields.Boolean()
    last_synced_at = Timestamp(allow_none=True)
    created_at = Timestamp()


class DeletedSchema(Schema):
    message = fields.String()


class ValidationSchema(Schema):
    id = fields.Integer()
    url = fields.String()
    provider = fields.String()
    is_valid = fields.Boolean()
    message = fields.String()


class CommitSchema(Schema):
    sha = fields.String()
    message = fields.String()
    author = fields.String()
    date = Timestamp(allow_none=True)


class SyncRequest(Schema):
    sync_type = fields.String(load_default="incremental",
                              validate=validate.OneOf(["full", "incremental"]))
    repositories = fields.List(fields.String(validate=validate.Length(min=1, max=511)),
                               load_default=None, validate=validate.Length(max=500))


class WebhookTokenRequest(Schema):
    token = fields.Raw(required=True, metadata={
        "description": "the GitLab webhook's Secret token (8 to 255 printable characters)"})
