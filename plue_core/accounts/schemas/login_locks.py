"""Plue's ``LoginLock``: a login throttling counter as administrators see it."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from plue_core.accounts.login_throttle import SCOPES
from plue_core.accounts.schemas.common import Timestamp


class LoginLockSchema(Schema):
    scope = fields.String(validate=validate.OneOf(SCOPES),
                          metadata={"description": "pair (user from address), address or account"})
    user = fields.String(allow_none=True, metadata={"description": "the login name counted"})
    address = fields.String(allow_none=True,
                            metadata={"description": "client address (IPv6: its /64)"})
    failures = fields.Integer()
    last_failure = Timestamp()
    locked = fields.Boolean()
    locked_until = Timestamp(metadata={"description": "zero time when not locked"})
    retry_after = fields.Integer(metadata={"description": "seconds until the lock ends; 0 if none"})
