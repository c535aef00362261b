"""Workflow runs, jobs and commit statuses as Gitea's ``workflow_run``, ``workflow_job`` and
``status`` payloads: a push starts a run that a protocol-level runner takes and finishes;
a status posted through the API is announced too."""

from __future__ import annotations

from plue_actions.testing import ActionsForge

WORKFLOW = """
name: CI
on: push
jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - run: echo hello
"""


def test_a_run_its_job_and_its_statuses_reach_the_hook(forge, receiver):
    actions = ActionsForge(forge.ctx, forge.client, repo="alice/project")
    runner = actions.runner()
    forge.add_hook(receiver.url, events=["workflow_run", "workflow_job", "status"])
    actions.push_file(".gitea/workflows/ci.yml", WORKFLOW, "add ci")
    task = runner.fetch()
    runner.update_task(int(task["id"]), "RESULT_SUCCESS")
    forge.send()
    seen = [(d.event_type, d.payload.get("action") or d.payload.get("state"))
            for d in receiver.deliveries]
    assert [s for s in seen if s[0] == "workflow_run"] == [
        ("workflow_run", "requested"), ("workflow_run", "in_progress"),
        ("workflow_run", "completed")]
    assert [s for s in seen if s[0] == "workflow_job"] == [
        ("workflow_job", "queued"), ("workflow_job", "in_progress"),
        ("workflow_job", "completed")]
    assert [s for s in seen if s[0] == "status"] == [
        ("status", "pending"), ("status", "pending"), ("status", "success")]
    payloads = [receiver.check(d, "s3cret") for d in receiver.deliveries]
    done = [p for p in payloads if p.get("action") == "completed"]
    run = next(p for p in done if "workflow_run" in p)
    assert run["workflow_run"]["conclusion"] == "success"
    assert run["workflow"]["path"] == ".gitea/workflows/ci.yml" and run["workflow"]["name"] == "CI"
    job = next(p for p in done if "workflow_job" in p)
    assert job["workflow_job"]["name"] == "build" and job["workflow_job"]["status"] == "completed"
    assert job["sender"]["login"] == "alice"
    for body in (run, job):  # a user's repository: Gitea leaves ``organization`` out
        assert body["repository"]["full_name"] == "alice/project" and "organization" not in body
    status = [p for p in payloads if "state" in p][-1]
    assert status["context"] == "CI / build (push)" and status["commit"]["id"] == status["sha"]


def test_a_status_posted_through_the_api_is_announced(forge, receiver):
    head = forge.write_file("a.txt", "a\n")["commit"]["sha"]
    forge.add_hook(receiver.url, events=["status"])
    response = forge.post(f"/repos/alice/project/statuses/{head}",
                          {"state": "failure", "context": "lint", "description": "2 errors",
                           "target_url": "https://ci.example.com/1"}, as_user="bob")
    assert response.status_code == 201, response.text
    forge.send()
    [delivery] = receiver.deliveries
    payload = receiver.check(delivery, "s3cret")
    assert (payload["state"], payload["context"], payload["description"]) == (
        "failure", "lint", "2 errors")
    assert payload["id"] == response.json["id"] and payload["sender"]["login"] == "bob"
    assert payload["commit"]["added"] == ["a.txt"]
