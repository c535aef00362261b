"""A push queues a run; a protocol-level runner fetches, logs and finishes it."""

WORKFLOW = """
name: CI
on: push
jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - run: echo hello
"""


def test_a_push_with_a_workflow_queues_a_run_a_runner_completes(actions_forge):
    runner = actions_forge.runner()
    actions_forge.push_file(".gitea/workflows/ci.yml", WORKFLOW, "add ci")
    runs = actions_forge.runs()
    assert len(runs) == 1 and runs[0]["status"] == "queued", runs
    task = runner.fetch()
    assert task is not None
    assert "echo hello" in task["workflowPayload"]
    assert task["context"]["repository"] == "alice/demo"
    assert task["secrets"]["GITHUB_TOKEN"].startswith("plta_")
    assert actions_forge.runs()[0]["status"] == "in_progress"
    assert runner.update_log(int(task["id"]), 0, ["hello"])["ackIndex"] == "1"
    runner.update_task(int(task["id"]), "RESULT_SUCCESS")
    run = actions_forge.runs()[0]
    assert (run["status"], run["conclusion"]) == ("completed", "success")
    job = actions_forge.jobs(run["id"])[0]
    logs = actions_forge.api("GET", f"/repos/alice/demo/actions/jobs/{job['id']}/logs")
    assert logs.status_code == 200 and logs.text.strip().endswith("hello")
