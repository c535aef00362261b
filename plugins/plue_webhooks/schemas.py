"""Gitea's ``CreateHookOption``, ``EditHookOption`` and ``Hook`` (for validation and the
OpenAPI document), and Plue's delivery records."""

from marshmallow import Schema, fields, validate

# Gitea's CreateHookOption.type enum; gogs hooks get Gitea's own payload and headers, as in
# Gitea, the others their formats (formats.CHAT_FORMATS).
HOOK_TYPES = ("dingtalk", "discord", "gitea", "gogs", "msteams", "slack", "telegram", "feishu",
              "wechatwork", "packagist")


class CreateHookOption(Schema):
    type = fields.String(required=True, metadata={"enum": list(HOOK_TYPES)},
                         validate=validate.OneOf(
                             HOOK_TYPES, error="type must be one of " + ", ".join(HOOK_TYPES)))
    config = fields.Dict(keys=fields.String(), values=fields.String(), required=True,
                         metadata={"expected": "an object of strings with url and content_type"})
    events = fields.List(fields.String(), load_default=list)
    branch_filter = fields.String(load_default="", validate=validate.Length(max=255))
    authorization_header = fields.String(load_default="")
    active = fields.Boolean(load_default=False)
    name = fields.String(load_default="", validate=validate.Length(max=255))


class EditHookOption(Schema):
    config = fields.Dict(keys=fields.String(), values=fields.String())
    events = fields.List(fields.String())
    branch_filter = fields.String(validate=validate.Length(max=255))
    authorization_header = fields.String()
    active = fields.Boolean()
    name = fields.String(validate=validate.Length(max=255))


class HookSchema(Schema):
    """Gitea's ``Hook``: the secret is never shown, the authorization header neither."""

    id = fields.Integer()
    type = fields.String()
    name = fields.String()
    branch_filter = fields.String()
    config = fields.Dict(keys=fields.String(), values=fields.String())
    events = fields.List(fields.String())
    authorization_header = fields.String()
    active = fields.Boolean()
    updated_at = fields.DateTime()
    created_at = fields.DateTime()


class DeliveryAttemptSchema(Schema):
    attempt = fields.Integer()
    started_at = fields.DateTime()
    duration_ms = fields.Integer()
    request = fields.Dict(metadata={"description": "url, headers (secrets redacted), body"})
    response = fields.Dict(allow_none=True,
                           metadata={"description": "status, headers, body (truncated)"})
    error = fields.String()


class DeliverySchema(Schema):
    """Plue's record of one delivery (Gitea's UI calls them "recent deliveries")."""

    id = fields.Integer()
    uuid = fields.String()
    event = fields.String()
    state = fields.String(metadata={"enum": ["pending", "delivered", "failed", "dropped"]})
    attempts = fields.Integer()
    created_at = fields.DateTime()
    finished_at = fields.DateTime(allow_none=True)
    next_attempt_at = fields.DateTime(allow_none=True)
    payload = fields.Dict()
    history = fields.List(fields.Nested(DeliveryAttemptSchema))
