"""Who an offered SSH key stands for: a user (their registered keys, through the accounts
service, only while the account may log in) or the repositories whose deploy key it is.
One indexed lookup by fingerprint each, on every connection: a deleted key or a disabled
account is refused at the next connection."""

from __future__ import annotations

import dataclasses

from plue_core.accounts.models import Account
from plue_core.db import utcnow
from plue_core.identity import Identity

from plue_ssh.models import DeployKey


@dataclasses.dataclass(frozen=True)
class KeyHolder:
    fingerprint: str
    key_title: str
    identity: Identity | None = None   # a user's key
    # A deploy key: repository id -> "read" or "write", and who added it (the pusher).
    grants: dict = dataclasses.field(default_factory=dict)
    added_by_id: int | None = None

    @property
    def is_deploy_key(self) -> bool:
        return self.identity is None

    def greeting(self) -> str:
        """What ``ssh git@host`` prints (Gitea's words)."""
        if self.is_deploy_key:
            return (f"Hi there! You've successfully authenticated with the deploy key named "
                    f"{self.key_title}, but Plue does not provide shell access.")
        return (f"Hi there, {self.identity.username}! You've successfully authenticated with "
                f"the key named {self.key_title}, but Plue does not provide shell access.")

    def pusher(self) -> Account | None:
        """The account a push is recorded under: the user, or whoever added the deploy key."""
        if self.identity is not None:
            return self.identity.account
        return Account.get_or_none(Account.id == self.added_by_id) if self.added_by_id else None


def find_key_holder(accounts, fingerprint: str) -> KeyHolder | None:
    found = accounts.identity_for_ssh_key(fingerprint)
    if found is not None:
        key, identity = found
        return KeyHolder(fingerprint, key.title, identity=identity)
    rows = list(DeployKey.select().where(DeployKey.fingerprint == fingerprint).order_by(DeployKey.id))
    if not rows:
        return None
    DeployKey.update(last_used_at=utcnow()).where(DeployKey.fingerprint == fingerprint).execute()
    return KeyHolder(fingerprint, rows[0].title,
                     grants={row.repository_id: "read" if row.read_only else "write" for row in rows},
                     added_by_id=rows[0].created_by_id)
