"""Gitea's PublicKey and CreateKeyOption."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from plue_core.accounts.schemas.common import gitea_time
from plue_core.accounts.schemas.users import USER_SHAPE
from plue_core.shapes import Shape, boolean, integer, obj, string, time


# ``key_type`` is the kind of key in Gitea's sense ("user"), not the algorithm.
PUBLIC_KEY_SHAPE = Shape("PublicKey", [
    integer("id"),
    string("key", "content"),
    string("url", lambda key, view: f"{view.base_url}/api/v1/user/keys/{key.id}"),
    string("title"),
    string("fingerprint"),
    time("created_at", lambda key, _: gitea_time(key.created_at)),
    time("last_used_at", lambda key, _: gitea_time(key.last_used_at)),
    obj("user", lambda key, view: USER_SHAPE(key.user, view), shape=USER_SHAPE),
    boolean("read_only"),
    string("key_type", const="user"),
], description="Gitea's PublicKey")


class CreateKeyOption(Schema):
    title = fields.String(required=True, validate=validate.Length(min=1, max=255))
    key = fields.String(required=True)
    read_only = fields.Boolean(load_default=False)
