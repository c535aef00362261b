"""Issue and pull-request numbers: one counter row per repository, bumped inside the
creating transaction.

PostgreSQL: a single ``INSERT ... ON CONFLICT DO UPDATE ... RETURNING`` takes the row lock,
so a concurrent creator waits for the first transaction to commit (or roll back) and then
sees its value. SQLite: the caller's ``write_transaction`` (``BEGIN IMMEDIATE``) already holds
the database write lock, so the upsert and the read cannot interleave. Either way the number
commits or rolls back together with the issue: never duplicated, never skipped.
"""

from __future__ import annotations

from plue_core.db import database, is_sqlite

from plue_issues.models import IssueIndex


def allocate_number(repository_id: int) -> int:
    """The next number of ``repository_id``; call inside the transaction that inserts the
    issue (``plue_core.db.write_transaction``)."""
    upsert = (IssueIndex.insert(repository=repository_id, max_index=1)
              .on_conflict(conflict_target=[IssueIndex.repository],
                           update={IssueIndex.max_index: IssueIndex.max_index + 1}))
    if is_sqlite(database):
        upsert.execute()
        return (IssueIndex.select(IssueIndex.max_index)
                .where(IssueIndex.repository == repository_id).scalar())
    rows = list(upsert.returning(IssueIndex.max_index).tuples().execute())
    return rows[0][0]


def current_number(repository_id: int) -> int:
    """The highest number handed out so far (0 for a repository without issues)."""
    return (IssueIndex.select(IssueIndex.max_index)
            .where(IssueIndex.repository == repository_id).scalar()) or 0
