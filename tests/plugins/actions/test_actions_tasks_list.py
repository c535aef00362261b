"""Gitea's ``GET /repos/{owner}/{repo}/actions/tasks`` (ListActionTasks): the tasks runners
took, newest first, as Gitea's ActionTaskResponse (``total_count``, ``workflow_runs``), each
from the task's own row and its job's and run's."""

from plue_actions.testing import ONE_JOB


FIELDS = {"id", "name", "head_branch", "head_sha", "run_number", "event", "display_title",
          "status", "workflow_id", "url", "created_at", "updated_at", "run_started_at"}


def test_the_tasks_runners_took_newest_first(actions_forge):
    runner = actions_forge.runner()
    actions_forge.push_file(".gitea/workflows/ci.yml", ONE_JOB, "first")
    first = int(runner.fetch()["id"])
    runner.update_task(first, "RESULT_FAILURE")
    actions_forge.push_file("README.md", "changed", "second")
    second = int(runner.fetch()["id"])
    listed = actions_forge.api("GET", "/repos/alice/demo/actions/tasks")
    assert listed.status_code == 200, listed.text
    assert listed.json["total_count"] == 2 and set(listed.json) == {"total_count", "workflow_runs"}
    newest, oldest = listed.json["workflow_runs"]
    assert set(newest) == FIELDS
    assert (newest["id"], oldest["id"]) == (second, first)
    assert (newest["status"], oldest["status"]) == ("running", "failure")
    runs = actions_forge.runs()
    assert newest["run_number"] == 2 and newest["display_title"] == "second"
    assert newest["head_sha"] == runs[0]["head_sha"] and newest["head_branch"] == "main"
    assert newest["name"] == "build" and newest["event"] == "push"
    assert newest["workflow_id"] == "ci.yml"
    assert newest["url"].endswith("/alice/demo/actions/runs/2")
    page = actions_forge.api("GET", "/repos/alice/demo/actions/tasks", params={"limit": 1, "page": 2})
    assert [t["id"] for t in page.json["workflow_runs"]] == [first]
    assert page.json["total_count"] == 2 and page.headers["x-total-count"] == "2"


def test_a_private_repositorys_tasks_are_hidden(actions_forge):
    assert actions_forge.api("GET", "/repos/alice/demo/actions/tasks").json == {
        "total_count": 0, "workflow_runs": []}
    assert actions_forge.api("PATCH", "/repos/alice/demo", {"private": True}).status_code == 200
    assert actions_forge.api("GET", "/repos/alice/demo/actions/tasks", as_user="bob").status_code == 404
    assert actions_forge.api("GET", "/repos/alice/demo/actions/tasks", as_user=None).status_code == 404
