"""A claim's events (the job started, its commit status, the run started) ask the webhooks'
audience once: the claim's transaction is a ``transaction_memo`` scope, as a push's is."""

from __future__ import annotations

from plue_core.testing import recorded_statements
from plue_actions.testing import ONE_JOB


def test_a_claim_asks_the_webhooks_audience_once(actions_forge):
    runner = actions_forge.runner()
    assert runner.fetch(timeout_ms=0) is None
    actions_forge.push_file(".gitea/workflows/ci.yml", ONE_JOB)
    with recorded_statements(actions_forge.ctx.db) as statements:
        task = runner.fetch(timeout_ms=0)
    assert task is not None
    audience = [sql for sql in statements if sql.startswith("SELECT DISTINCT") and 'FROM "webhook"' in sql]
    assert len(audience) == 1, statements
    # ... and the claim's events still moved the run.
    run = actions_forge.api("GET", f"/repos/{actions_forge.repo}/actions/runs").json["workflow_runs"][0]
    assert run["status"] == "in_progress"
