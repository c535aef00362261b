"""Events the accounts plugin publishes."""

from __future__ import annotations

import dataclasses
from typing import ClassVar

from plue_core.events import Event


@dataclasses.dataclass(frozen=True)
class AccountDeleted(Event):
    """An account is being deleted. Published inside the deleting transaction *before* the
    account row goes, so listeners can delete or re-point rows that reference it (and their
    work rolls back with the deletion if anything fails). ``purge`` is true when an
    administrator asked to delete everything the account owns (``?purge=true``), or when an
    organization goes because its last owner was purged."""

    name: ClassVar[str] = "account_deleted"

    account_id: int
    account_name: str
    account_type: str  # "user" | "organization"
    purge: bool
