"""Hooks the accounts plugin adds (through ``add_hookspecs``) for plugins that own things
belonging to accounts, such as repositories.

Deleting an account asks every plugin first; the deletion itself is announced with the
:class:`~plue_core.accounts.events.AccountDeleted` event, inside the deleting transaction.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pluggy

if TYPE_CHECKING:
    from plue_core.accounts.models import Account
    from plue_core.context import PlueContext

hookspec = pluggy.HookspecMarker("plue")


@hookspec
def account_deletion_blockers(ctx: PlueContext, account: Account) -> list[str]:
    """Return the reasons ``account`` (a user or an organization) cannot be deleted now.

    Fires before ``DELETE /api/v1/orgs/{org}`` and before an administrator deletes a user
    without ``purge``. Answer with readable sentences naming what is in the way, e.g.
    ``["owns repositories: acme/api, acme/web"]``; an empty list (or ``None``) means nothing.
    Any reason from any plugin refuses the deletion with 422 and every reason in the message.
    With ``purge=true`` nobody is asked: the ``account_deleted`` event tells plugins to delete
    what the account owns.
    """


@hookspec(firstresult=True)
def ssh_key_in_use(ctx: PlueContext, fingerprint: str) -> str | None:
    """Return why the SSH key with ``fingerprint`` ("SHA256:...") cannot become a user's key.

    Fires before a user key is added (``POST /user/keys``, ``/admin/users/{username}/keys``):
    a plugin that gives keys another meaning (the ``ssh`` plugin's deploy keys) answers with a
    sentence such as ``"it is a deploy key"``, which refuses the key with 422, so one key never
    stands for two holders. ``None`` when this plugin does not use it; the first answer wins.
    """
