"""Field types every accounts wire shape shares."""

from __future__ import annotations

import hashlib

from marshmallow import fields

ZERO_TIME = "0001-01-01T00:00:00Z"


class Timestamp(fields.Field):
    """RFC 3339 with a Z; Gitea writes the zero time rather than null."""

    def _serialize(self, value, attr, obj, **kwargs):
        if value is None:
            return ZERO_TIME
        return value.strftime("%Y-%m-%dT%H:%M:%SZ")


def avatar_url(base_url: str, account) -> str:
    digest = hashlib.md5((account.email or account.name).lower().encode()).hexdigest()
    return f"{base_url.rstrip('/')}/avatars/{digest}"
