"""FetchTask's statements on the wake-up path: the global and the scope's queue versions in
one query, and the claimed run's locked row reused for the task payload (not read again)."""

from __future__ import annotations

import re

ONE_JOB = """on: push
jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - run: echo hi
"""


def test_a_fetch_reads_the_queue_versions_once_and_the_run_once(actions_forge):
    runner = actions_forge.runner()  # a repository runner: its scope is not the global one
    assert runner.fetch(timeout_ms=0) is None
    actions_forge.push_file(".gitea/workflows/ci.yml", ONE_JOB)
    db = actions_forge.ctx.db
    statements = []
    execute_sql = db.execute_sql

    def recording(sql, params=None, *args, **kwargs):
        statements.append(sql)
        return execute_sql(sql, params, *args, **kwargs)

    db.execute_sql = recording
    try:
        task = runner.fetch(timeout_ms=0)
    finally:
        db.execute_sql = execute_sql
    assert task is not None and task["context"]["run_number"]

    def selects_from(table: str) -> list[str]:
        return [sql for sql in statements
                if sql.startswith("SELECT") and re.search(rf'FROM "{table}" AS', sql)]

    assert len(selects_from("action_tasks_version")) == 1, statements
    assert len(selects_from("action_run")) == 1, statements  # the claim's locked read
