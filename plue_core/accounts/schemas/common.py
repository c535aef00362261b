"""What every accounts response shape shares."""

from __future__ import annotations

import hashlib

from plue_core.timestamps import ZERO_TIME, rfc3339


def gitea_time(value) -> str:
    """RFC 3339 with a Z; Gitea writes the zero time rather than null."""
    return rfc3339(value) or ZERO_TIME


def avatar_url(base_url: str, account) -> str:
    digest = hashlib.md5((account.email or account.name).lower().encode()).hexdigest()
    return f"{base_url.rstrip('/')}/avatars/{digest}"
