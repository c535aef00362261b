"""issues: indexes that serve a repository's issue list in its order (newest first) without
sorting the whole repository: by state (``state=open|closed`` with both issues and pulls, as
Gitea lists them by default) and without (``state=all``). The trailing ``id`` is the order's
tie-break, so a page of 30 reads 30 index entries on SQLite and PostgreSQL alike (issue 13)."""

from playhouse.migrate import migrate


def up(migrator, db):
    migrate(migrator.add_index("issue", ("repository_id", "is_closed", "created_at", "id"), False),
            migrator.add_index("issue", ("repository_id", "created_at", "id"), False))
