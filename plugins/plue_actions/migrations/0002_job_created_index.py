"""actions: an index on ``action_run_job (created, id)``, the order of RunnerHub's job list
(``GET /api/jobs``, newest first): a page reads its jobs from the index instead of sorting
every job the caller may see (issue 13: 10,000 jobs cost a page 65 ms on SQLite before)."""

from playhouse.migrate import migrate


def up(migrator, db):
    migrate(migrator.add_index("action_run_job", ("created", "id"), False))
