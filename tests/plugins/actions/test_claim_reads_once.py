"""A claim's events (the job started, its commit status, the run started) ask the webhooks'
audience once: the claim's transaction is a ``transaction_memo`` scope, as a push's is."""

from __future__ import annotations

ONE_JOB = """on: push
jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - run: echo hi
"""


def test_a_claim_asks_the_webhooks_audience_once(actions_forge):
    runner = actions_forge.runner()
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
    assert task is not None
    audience = [sql for sql in statements if sql.startswith("SELECT DISTINCT") and 'FROM "webhook"' in sql]
    assert len(audience) == 1, statements
    # ... and the claim's events still moved the run.
    run = actions_forge.api("GET", f"/repos/{actions_forge.repo}/actions/runs").json["workflow_runs"][0]
    assert run["status"] == "in_progress"
