"""docs/accounts.md keeps up with the code: every config key, the hook and the event."""

from __future__ import annotations

import pathlib

from plue_core.accounts.events import AccountDeleted
from plue_core.accounts.settings import AccountsSettings

DOC = (pathlib.Path(__file__).resolve().parents[3] / "docs" / "accounts.md").read_text()


def test_every_accounts_setting_is_documented_with_its_default():
    for name, field in AccountsSettings().fields.items():
        default = str(field.load_default).lower()
        assert f"| `{name}` | {default} |" in DOC, name
        assert field.metadata.get("description"), f"{name} has no description in the schema"


def test_the_deletion_hook_and_event_are_documented():
    assert "account_deletion_blockers(ctx, account)" in DOC
    assert f"`{AccountDeleted.name}`" in DOC
