"""What a site administrator does to users: search them, edit them (Gitea's EditUserOption
plus Plue's RunnerHub ``role``). Deletion is in ``deletion.py``."""

from __future__ import annotations

import peewee

from plue_core.accounts import emails, users
from plue_core.accounts.models import ORGANIZATION, USER, VISIBILITIES, Account
from plue_core.constraints import unique_write
from plue_core.db import utcnow
from plue_core.errors import BadRequest, Invalid, NotFound

SORTS = {"name": Account.lower_name, "created": Account.created_at,
         "updated": Account.updated_at, "id": Account.id}
_FLAGS = {"is_active": Account.active, "is_admin": Account.is_admin,
          "is_restricted": Account.restricted, "is_prohibit_login": Account.prohibit_login}
# EditUserOption fields copied as they are (after validation).
_PLAIN = ("full_name", "location", "website", "description", "active", "restricted",
          "prohibit_login", "must_change_password", "allow_create_organization",
          "max_repo_creation")


def target_user(username: str) -> Account:
    """The user an admin route names; an organization there is 422, as in Gitea."""
    account = users.find_account(username)
    if account is None:
        raise NotFound(f"user {username!r} does not exist")
    if account.type == ORGANIZATION:
        raise Invalid(f"{username!r} is an organization, not a user")
    return account


def search_users(*, q: str = "", visibility: str | None = None, flags: dict | None = None,
                 sort: str | None = None, order: str | None = None) -> peewee.SelectQuery:
    """Gitea's ``adminSearchUsers``: ``flags`` maps is_active/is_admin/... to True/False."""
    query = Account.select().where(Account.type == USER)
    if q:
        needle = q.strip().lower()
        query = query.where(Account.lower_name.contains(needle) | Account.full_name.contains(q)
                            | Account.lower_email.contains(needle))
    if visibility:
        users.validate_choice("visibility", visibility, VISIBILITIES)
        query = query.where(Account.visibility == visibility)
    for name, value in (flags or {}).items():
        if value is not None:
            query = query.where(_FLAGS[name] == value)
    if sort is not None and sort not in SORTS:
        raise Invalid(f"sort: must be one of {', '.join(SORTS)}; got {sort!r}")
    if order not in (None, "asc", "desc"):
        raise Invalid(f"order: must be asc or desc; got {order!r}")
    column = SORTS[sort or "name"]
    return query.order_by(column.desc() if (sort and order == "desc") else column.asc(), Account.id)


def _is_last_admin(user: Account) -> bool:
    return user.is_admin and Account.select().where(
        (Account.type == USER) & Account.is_admin).count() <= 1


def update_user(settings: dict, user: Account, changes: dict) -> Account:
    """Apply an administrator's edit; keys that are absent or ``None`` stay unchanged."""
    changes = {k: v for k, v in changes.items() if v is not None}
    if changes.get("source_id"):
        raise Invalid("source_id: Plue has no external authentication sources; use 0")
    if "visibility" in changes:
        users.validate_choice("visibility", changes["visibility"], VISIBILITIES)
    if "role" in changes:
        users.validate_choice("role", changes["role"], users.ROLES)
    if changes.get("max_repo_creation", -1) < -1:
        raise Invalid("max_repo_creation: use -1 for the instance default or a count >= 0")
    with unique_write(f"email: e-mail address {changes.get('email')!r} is already used"):
        if "email" in changes and changes["email"].lower() != (user.lower_email or ""):
            users.validate_email(changes["email"])
            users.ensure_email_free(
                changes["email"], f"email: e-mail address {changes['email']!r} is already used",
                account_id=user.id)
            emails.promote(user, changes["email"])
        if changes.get("password"):
            users.set_password(settings, user, changes["password"])
        if "admin" in changes and changes["admin"] != user.is_admin:
            if not changes["admin"] and _is_last_admin(user):
                raise BadRequest(f"{user.name!r} is the last site administrator; make someone "
                                 "else an administrator first")
            user.is_admin = changes["admin"]
            if not user.is_admin and user.role == "admin" and "role" not in changes:
                user.role = "viewer"
        if "role" in changes:
            user.role = changes["role"]
        if "visibility" in changes:
            user.visibility = changes["visibility"]
        for key in _PLAIN:
            if key in changes:
                setattr(user, key, changes[key])
        user.updated_at = utcnow()
        user.save()
    return user
