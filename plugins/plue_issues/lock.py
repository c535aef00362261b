"""Locked issues, as Gitea's: a writer locks an issue or pull request (with a reason) and
unlocks it; while locked only writers and site administrators may comment or react
(``comments.py``, ``reactions.py``). Locking and unlocking are ``lock`` / ``unlock`` events
on the timeline (Gitea's comment types 23 and 24), a lock's reason their body."""

from __future__ import annotations

from plue_core.db import write_transaction

from plue_issues import timeline
from plue_issues.models import Issue

LOCK, UNLOCK = "lock", "unlock"
# Gitea's repo.issues.comment_on_locked, word for word.
COMMENT_ON_LOCKED = "You cannot comment on a locked issue."


def set_locked(issue: Issue, doer, locked: bool, reason: str = "") -> None:
    """Lock (``locked``) or unlock ``issue``; nothing when it is so already, also when two
    requests race (the row's state is the condition of its update)."""
    with write_transaction():
        changed = (Issue.update(is_locked=locked)
                   .where((Issue.id == issue.id) & (Issue.is_locked == (not locked))).execute())
        if changed:
            timeline.record(issue, doer, LOCK if locked else UNLOCK,
                            body=reason if locked else "")
    issue.is_locked = locked
