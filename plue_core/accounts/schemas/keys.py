"""Gitea's PublicKey and CreateKeyOption."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from plue_core.accounts.schemas.common import Timestamp
from plue_core.accounts.schemas.users import USER_SHAPE, UserView


class PublicKeySchema(Schema):
    """``key_type`` is the kind of key in Gitea's sense ("user"), not the algorithm."""

    def __init__(self, *, base_url: str, viewer=None, **kwargs):
        super().__init__(**kwargs)
        self.base_url = base_url
        self.viewer = viewer

    id = fields.Integer()
    key = fields.String(attribute="content")
    url = fields.Method("get_url")
    title = fields.String()
    fingerprint = fields.String()
    created_at = Timestamp()
    last_used_at = Timestamp()
    user = fields.Method("get_user")
    read_only = fields.Boolean()
    key_type = fields.Constant("user")

    def get_url(self, key):
        return f"{self.base_url.rstrip('/')}/api/v1/user/keys/{key.id}"

    def get_user(self, key):
        return USER_SHAPE(key.user, UserView(self.base_url, self.viewer))


class CreateKeyOption(Schema):
    title = fields.String(required=True, validate=validate.Length(min=1, max=255))
    key = fields.String(required=True)
    read_only = fields.Boolean(load_default=False)
