"""The dashboard (``/api/monitoring/dashboard``, and the web's fleet page drawn from it) sends a
fixed number of statements: the runners' three counts in one, and each recent failure's
repository name joined, not read per repository (issue 15: on PostgreSQL each statement is a
round trip)."""

from __future__ import annotations


from plue_core.testing import basic_auth, recorded_statements

from tests.plugins.monitoring.test_monitoring_metrics import WORKFLOW, finish_two_jobs


def dashboard(forge) -> tuple[dict, list[str]]:
    with recorded_statements(forge.ctx.db) as statements:
        response = forge.client.simulate_get("/api/monitoring/dashboard",
                                             headers=basic_auth("root"))
    assert response.status_code == 200, response.text
    return response.json["data"], statements


def test_failures_in_more_repositories_cost_no_more_statements(actions_forge):
    forge = actions_forge
    finish_two_jobs(forge)
    dashboard(forge)  # warm: the first basic-auth sign-in of root checks its throttle
    data, few = dashboard(forge)
    assert [failure["repository"] for failure in data["recent_failures"]] == ["alice/demo"]
    assert data["runners"] == {"total": 1, "online": 1, "busy": 0, "offline": 0}
    for name in ("other", "third"):
        assert forge.api("POST", "/user/repos", {"name": name, "auto_init": True}).status_code == 201
        forge.repo = f"alice/{name}"
        runner = forge.runner(name=f"runner-{name}")  # a repository's own
        forge.push_file(".gitea/workflows/ci.yml", WORKFLOW, "add ci")
        for result in ("RESULT_FAILURE", "RESULT_FAILURE"):
            task = runner.fetch()
            runner.update_task(int(task["id"]), result)
    data, many = dashboard(forge)
    assert sorted({failure["repository"] for failure in data["recent_failures"]}) == [
        "alice/demo", "alice/other", "alice/third"]
    assert len(data["recent_failures"]) == 5 and data["runners"]["total"] == 3
    assert len(many) == len(few), many
    # The runners' total, online and busy counts: one statement.
    assert sum('FROM "action_runner"' in sql for sql in many) == 1, many
