"""Gitea's ``User`` for repository owners, commit authors and collaborators.

The same fields and rules as the accounts plugin's ``/users/{name}`` (e-mail shown only to the
user and to site administrators), built from the ``Account`` row.
"""

from __future__ import annotations

import hashlib

from plue_core.identity import Identity

from plugins.plue_git_hosting.shapes import rfc3339


def avatar_url(base_url: str, account) -> str:
    digest = hashlib.md5((account.email or account.name).lower().encode()).hexdigest()
    return f"{base_url}/avatars/{digest}"


def user_json(base_url: str, account, viewer: Identity | None) -> dict:
    shows_email = viewer is not None and (viewer.is_admin or viewer.user_id == account.id)
    return {
        "id": account.id,
        "login": account.name,
        "login_name": "",
        "source_id": 0,
        "full_name": account.full_name or "",
        "email": account.email if shows_email else "",
        "avatar_url": avatar_url(base_url, account),
        "html_url": f"{base_url}/{account.name}",
        "language": "",
        "is_admin": bool(account.is_admin),
        "last_login": rfc3339(account.last_login),
        "created": rfc3339(account.created_at),
        "restricted": bool(account.restricted),
        "active": bool(account.active),
        "prohibit_login": bool(account.prohibit_login),
        "location": account.location or "",
        "website": account.website or "",
        "description": account.description or "",
        "visibility": account.visibility,
        "followers_count": 0,
        "following_count": 0,
        "starred_repos_count": 0,
        "username": account.name,
    }


def accounts_by_email(emails) -> dict:
    """Accounts whose e-mail is one of ``emails`` (lower-cased keys), in one query, so commit
    authors on a page map to users without a lookup per commit."""
    from plue_core.accounts.models import USER, Account

    wanted = {e.lower() for e in emails if e}
    if not wanted:
        return {}
    rows = Account.select().where(Account.lower_email.in_(list(wanted)) & (Account.type == USER))
    return {row.lower_email: row for row in rows}
