"""A user's e-mail addresses (Gitea's ``/user/emails`` and ``/admin/emails``): the primary one
is ``Account.email`` (sign-in, the ``User`` body), further ones are ``email_address`` rows.
An address belongs to one account at most, primary or further, compared without case
(``users.ensure_email_free``: sign-up, an administrator's edit and adding one all ask it).
Plue sends no mail, so every address counts as verified, as Gitea's without
``REGISTER_EMAIL_CONFIRM``."""

from __future__ import annotations

import peewee

from plue_core.accounts import users
from plue_core.accounts.models import USER, Account, EmailAddress
from plue_core.constraints import unique_write
from plue_core.db import write_transaction
from plue_core.errors import Invalid, NotFound


class ShownEmail:
    """One address as Gitea's ``Email`` shows it."""

    __slots__ = ("email", "primary", "user_id", "username")

    def __init__(self, email: str, primary: bool, user_id: int = 0, username: str = ""):
        self.email, self.primary, self.user_id, self.username = email, primary, user_id, username


def addresses_of(account: Account) -> list[ShownEmail]:
    """The primary address first, then the further ones in the order they were added
    (``user_id`` and ``username`` empty, as Gitea's ``/user/emails`` leaves them)."""
    further = EmailAddress.select(EmailAddress.email).where(
        EmailAddress.account == account.id).order_by(EmailAddress.id)
    shown = [ShownEmail(account.email, True)] if account.email else []
    return shown + [ShownEmail(row.email, False) for row in further]


def add_addresses(account: Account, emails: list[str]) -> None:
    """Add further addresses, all or none: each must be valid and nobody's yet (this user's
    own included), and given once (422 naming the first that is not)."""
    if not emails:
        raise Invalid("Email list empty")
    seen: set[str] = set()
    with unique_write("Email address has been used"):  # a race lost on PostgreSQL
        for email in emails:
            users.validate_email(email)
            if email.lower() in seen or users.email_holders(email):
                raise Invalid(f"Email address has been used: {email}")
            seen.add(email.lower())
        EmailAddress.insert_many([{"account": account.id, "email": email,
                                   "lower_email": email.lower()} for email in emails]).execute()


def delete_addresses(account: Account, emails: list[str]) -> None:
    """Delete further addresses, all or none: 404 for one that is not this user's, 422 for
    the primary one (Gitea's ``ErrPrimaryEmailCannotDelete``)."""
    lowered = {email.lower() for email in emails}
    if account.lower_email in lowered:
        raise Invalid(f"the primary e-mail address {account.email!r} cannot be deleted: "
                      "make another one primary first")
    mine = (EmailAddress.account == account.id) & EmailAddress.lower_email.in_(sorted(lowered))
    with write_transaction():
        missing = lowered - {row.lower_email for row in
                             EmailAddress.select(EmailAddress.lower_email).where(mine)}
        if missing:
            raise NotFound(f"email address {sorted(missing)[0]!r} does not exist")
        EmailAddress.delete().where(mine).execute()


def promote(user: Account, email: str) -> None:
    """``email`` becomes ``user``'s primary address (an administrator's edit; the caller saves
    the row); when it was one of their further addresses, that row goes."""
    EmailAddress.delete().where((EmailAddress.account == user.id)
                                & (EmailAddress.lower_email == email.lower())).execute()
    user.email, user.lower_email = email, email.lower()


def search(q: str = "") -> peewee.SelectQuery:
    """Every user's addresses, primary and further (``/admin/emails[/search]``), ``q`` in the
    address, the user name or the full name; by address, a primary one first."""
    def matching(query, address):
        if needle := q.strip().lower():
            query = query.where(address.contains(needle) | Account.lower_name.contains(needle)
                                | peewee.fn.LOWER(Account.full_name).contains(needle))
        return query

    primary = matching(Account.select(
        Account.email, Account.lower_email, peewee.SQL("1").alias("is_primary"),
        Account.id.alias("user_id"), Account.name.alias("username"))
        .where((Account.type == USER) & Account.lower_email.is_null(False)), Account.lower_email)
    further = matching(EmailAddress.select(
        EmailAddress.email, EmailAddress.lower_email, peewee.SQL("0").alias("is_primary"),
        Account.id.alias("user_id"), Account.name.alias("username"))
        .join(Account, on=EmailAddress.account == Account.id), EmailAddress.lower_email)
    return (primary + further).order_by(peewee.SQL("lower_email"), peewee.SQL("is_primary DESC"),
                                        peewee.SQL("user_id")).dicts()


def shown(row: dict) -> ShownEmail:
    return ShownEmail(row["email"], bool(row["is_primary"]), row["user_id"], row["username"])
