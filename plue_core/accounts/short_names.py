"""Runner Pilot's organization short names (seed 001: ``"short_name": "GT"``).

A short name is the only handle the seed gives a client for ``/org/{org_id}``, so it names one
organization: unique among all organizations regardless of case (the ``lower_short_name``
unique index is the last word on races), written like an account name so it fits in a URL
path, and never shaped like a uid, so ``/org/{org_id}`` is never ambiguous. An empty short name
means "none" (the org is then addressed by its uid only).
"""

from __future__ import annotations

import contextlib
import uuid

from plue_core.accounts.models import ORGANIZATION, Account
from plue_core.accounts.users import is_valid_name_syntax
from plue_core.errors import Conflict, Invalid


def looks_like_uid(text: str) -> bool:
    """Whether ``text`` parses as a uid (36 characters with hyphens, or 32 hex digits)."""
    try:
        uuid.UUID(str(text))
    except ValueError:
        return False
    return True


def validate(short_name: str) -> str:
    """``short_name`` if it may name an organization (``""`` clears it), else 422."""
    if short_name == "":
        return short_name
    if not is_valid_name_syntax(short_name):
        raise Invalid(f"short_name {short_name!r} is invalid: use 1-40 letters, digits, '-', '_' "
                      "or '.', starting and ending with a letter or digit")
    if looks_like_uid(short_name):
        raise Invalid(f"short_name {short_name!r} looks like an organization uid; /org/{{org_id}} "
                      "takes both, so a short name must not")
    return short_name


def lowered(short_name: str) -> str | None:
    """The stored ``lower_short_name``: NULL for "none", so any number of orgs may have none."""
    return short_name.lower() or None


def find_org(short_name: str) -> Account | None:
    lower = lowered(str(short_name))
    if lower is None:
        return None
    return Account.get_or_none((Account.lower_short_name == lower)
                               & (Account.type == ORGANIZATION))


def _taken_message(short_name: str) -> str:
    return (f"short_name {short_name!r} is already taken by another organization (short names "
            "are unique regardless of case)")


def ensure_free(short_name: str, org_id: int | None = None) -> None:
    """409 when another organization than ``org_id`` has ``short_name``."""
    holder = find_org(short_name)
    if holder is not None and holder.id != org_id:
        raise Conflict(_taken_message(short_name))


@contextlib.contextmanager
def claiming(short_name: str, org_id: int | None = None):
    """Around a ``unique_write`` that stores ``short_name``: when that write lost a race (its
    unique violation became a 422 about the name), answer the 409 the check gives instead
    whenever the short name is what the winner took."""
    try:
        yield
    except Invalid:
        if short_name:
            ensure_free(short_name, org_id)
        raise
