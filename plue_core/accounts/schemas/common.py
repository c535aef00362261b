"""Field types every accounts wire shape shares."""

from __future__ import annotations

import hashlib

from marshmallow import fields

from plue_core.timestamps import ZERO_TIME, rfc3339


def gitea_time(value) -> str:
    """RFC 3339 with a Z; Gitea writes the zero time rather than null."""
    return rfc3339(value) or ZERO_TIME


class Timestamp(fields.Field):
    """``gitea_time`` as a marshmallow field."""

    def _serialize(self, value, attr, obj, **kwargs):
        return gitea_time(value)


def avatar_url(base_url: str, account) -> str:
    digest = hashlib.md5((account.email or account.name).lower().encode()).hexdigest()
    return f"{base_url.rstrip('/')}/avatars/{digest}"
