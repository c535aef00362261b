"""The web's server-side sessions: a row per signed-in browser, found by the digest of the
cookie's secret (the secret itself is never stored), revoked by deleting the row."""

from __future__ import annotations

import peewee

from plue_core.accounts.models import Account
from plue_core.db import BaseModel, utcnow


class WebSession(BaseModel):
    # Deleting an account ends its sessions.
    user = peewee.ForeignKeyField(Account, on_delete="CASCADE", index=True)
    token_hash = peewee.CharField(max_length=64, unique=True)
    created_at = peewee.DateTimeField(default=utcnow)
    expires_at = peewee.DateTimeField(index=True)

    class Meta:
        table_name = "web_session"


MODELS = [WebSession]
