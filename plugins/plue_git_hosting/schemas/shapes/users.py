"""Accounts as git_hosting needs them: commit authors found by e-mail in one query.

Users themselves are rendered by the accounts plugin (``accounts.user_json``), so a user looks
the same in every plugin's answers.
"""

from __future__ import annotations

from plue_core.accounts.models import USER, Account

def accounts_by_email(emails) -> dict:
    """Accounts whose e-mail is one of ``emails`` (lower-cased keys), in one query, so commit
    authors on a page map to users without a lookup per commit."""
    wanted = {e.lower() for e in emails if e}
    if not wanted:
        return {}
    rows = Account.select().where(Account.lower_email.in_(list(wanted)) & (Account.type == USER))
    return {row.lower_email: row for row in rows}
