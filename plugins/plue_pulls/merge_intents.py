"""Merges in flight. A merge commits its intent (style, the base tip before and after) before
git moves the base branch, and deletes it in the transaction that records the merge. If the
process dies in between, git_hosting's ref journal replays the move as a push; hearing that
push, ``merging.finish_interrupted`` finds the intent whose ``after`` is the new tip and marks the pull request
merged, so git and the database agree as if the merge had finished."""

from __future__ import annotations

from plue_core.db import write_transaction

from plue_pulls.models import MergeIntent, PullRequest


def declare(pull: PullRequest, style: str, before: str, after: str, doer) -> None:
    """Committed before the move (the caller holds the base repository's write lock). A
    leftover of an earlier attempt that never moved anything is replaced."""
    with write_transaction():
        MergeIntent.delete().where(MergeIntent.pull == pull.id).execute()
        MergeIntent.insert(pull=pull.id, style=style, before_sha=before, after_sha=after,
                           doer=doer.id if doer is not None else None).execute()


def forget(pull: PullRequest) -> None:
    """Inside the merge's recording transaction, or after the move was undone."""
    MergeIntent.delete().where(MergeIntent.pull == pull.id).execute()


def find(pull: PullRequest, new_base_tip: str) -> MergeIntent | None:
    """The unfinished merge of ``pull`` that was moving its base branch to ``new_base_tip``."""
    return MergeIntent.get_or_none((MergeIntent.pull == pull.id)
                                   & (MergeIntent.after_sha == new_base_tip))
