"""Field types every accounts wire shape shares."""

from __future__ import annotations

import hashlib

from marshmallow import fields

from plue_core.timestamps import ZERO_TIME, rfc3339


class Timestamp(fields.Field):
    """RFC 3339 with a Z; Gitea writes the zero time rather than null."""

    def _serialize(self, value, attr, obj, **kwargs):
        return rfc3339(value) or ZERO_TIME


def avatar_url(base_url: str, account) -> str:
    digest = hashlib.md5((account.email or account.name).lower().encode()).hexdigest()
    return f"{base_url.rstrip('/')}/avatars/{digest}"
