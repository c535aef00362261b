"""Server-side sessions for the web pages: the cookie holds a random secret, the database
its SHA-256 digest, the account and the expiry. Signing out (or changing the password)
deletes rows, so a session can be revoked at once, wherever its cookie is."""

from __future__ import annotations

import datetime
import hashlib
import secrets

from plue_core.accounts.models import Account
from plue_core.db import CompiledSelect, utcnow
from plue_core.identity import Identity

from plue_web.models import WebSession

COOKIE = "plue_session"


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def start(user: Account, ttl_seconds: int) -> tuple[str, WebSession]:
    """A new session for ``user``: the cookie's secret (shown only here) and the row. Expired
    rows of every user go in the same step, so the table does not grow without bound."""
    now = utcnow()
    WebSession.delete().where(WebSession.expires_at <= now).execute()
    secret = secrets.token_urlsafe(32)
    row = WebSession.create(user=user.id, token_hash=digest(secret), created_at=now,
                            expires_at=now + datetime.timedelta(seconds=ttl_seconds))
    return secret, row


# Every signed-in page asks it: compiled once (peewee compiling the join cost 2 ms a page).
_BY_DIGEST = CompiledSelect(
    lambda token_hash: WebSession.select(WebSession, Account).join(Account)
    .where(WebSession.token_hash == token_hash).limit(1), str)


def find(secret: str | None) -> WebSession | None:
    """The live session whose cookie secret is ``secret``, its account joined (one query);
    None when unknown, expired, or the account may no longer sign in."""
    if not secret or len(secret) > 128:
        return None
    row = _BY_DIGEST.first(digest(secret))
    if row is None or row.expires_at <= utcnow() or not row.user.active \
            or row.user.prohibit_login:
        return None
    return row


def end(secret: str | None) -> None:
    """Sign out: the session of this cookie is gone."""
    if secret:
        WebSession.delete().where(WebSession.token_hash == digest(secret)).execute()


def end_all_of(user_id: int, *, except_secret: str | None = None) -> int:
    """Revoke every session of a user (a password change), but the one named."""
    query = WebSession.delete().where(WebSession.user == user_id)
    if except_secret:
        query = query.where(WebSession.token_hash != digest(except_secret))
    return query.execute()


def identity_of(row: WebSession) -> Identity:
    """The caller a session stands for: the account, unrestricted (no token scopes)."""
    user = row.user
    return Identity(user_id=user.id, username=user.name, is_admin=user.is_admin,
                    method="session", role="admin" if user.is_admin else user.role, account=user)


def cookie_options(base_url: str) -> dict:
    """HttpOnly, SameSite=Lax, and Secure when the site is served over https."""
    return {"http_only": True, "same_site": "Lax", "path": "/",
            "secure": base_url.lower().startswith("https://")}
