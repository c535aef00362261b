"""@mentions in issue bodies and comments, recorded for the ``mentioned_by`` filter. As in
Gitea, a mention is recorded when the text is written and never taken back by an edit."""

from __future__ import annotations

import re

from plue_core.accounts.models import USER, Account

from plue_issues.models import IssueMention

# "@name" not preceded by a word character (so e-mail addresses do not count).
_MENTION = re.compile(r"(?<![\w@.])@([A-Za-z0-9](?:[\w.-]*[A-Za-z0-9_])?)")


def mentioned_names(text: str) -> set[str]:
    return {match.lower() for match in _MENTION.findall(text or "")}


def record_mentions(issue_id: int, text: str) -> None:
    names = mentioned_names(text)
    if not names:
        return
    users = Account.select(Account.id).where(Account.lower_name.in_(list(names))
                                             & (Account.type == USER))
    rows = [{"issue": issue_id, "user": user.id} for user in users]
    if rows:
        IssueMention.insert_many(rows).on_conflict_ignore().execute()
