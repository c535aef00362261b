"""Gitea's re-run operations over /api/v1 (routers/api/v1/repo/action.go): the whole run
(``rerunWorkflowRun``), its failed jobs (``rerunFailedWorkflowRun``: 201, no body) and one job
(``rerunWorkflowJob``: 201, the job's row in the new attempt), each with the jobs that need
what runs again; a runner picks the re-queued jobs up. Write on the repository is needed; a
run still running, a disabled workflow or nothing failed is Gitea's 400. And the runs of one
workflow file (``ActionsListWorkflowRuns``)."""

from __future__ import annotations

from plue_actions.testing import NEEDS_CHAIN as CHAIN

RUN = "/repos/alice/demo/actions/runs"


def _names(forge, run_id: int) -> dict[str, dict]:
    return {job["name"]: job for job in forge.jobs(run_id)}


def _work(forge, runner, results: dict[str, str]) -> list[str]:
    """Finish every job the runner is given, by name (``results``); the names in order."""
    Job = forge.ctx.services["actions"].models.Job
    done = []
    while (task := runner.fetch_queued()) is not None:
        name = Job.get(Job.task_id == int(task["id"])).name
        runner.update_task(int(task["id"]), results[name])
        done.append(name)
    return done


def _failed_run(forge):
    runner = forge.runner()
    forge.push_file(".gitea/workflows/ci.yml", CHAIN)
    assert sorted(_work(forge, runner, {"lint": "RESULT_SUCCESS", "build": "RESULT_FAILURE"})) \
        == ["build", "lint"]
    run = forge.runs()[0]
    assert run["conclusion"] == "failure"
    return runner, run["id"]


def test_rerun_failed_jobs_requeues_them_and_what_needs_them(actions_forge):
    runner, run_id = _failed_run(actions_forge)
    first = _names(actions_forge, run_id)
    path = f"{RUN}/{run_id}/rerun-failed-jobs"
    assert actions_forge.api("POST", path, as_user="bob").status_code == 403
    assert actions_forge.api("POST", path, as_user=None).status_code == 401
    answer = actions_forge.api("POST", path)
    assert (answer.status_code, answer.text) == (201, "")
    again = _names(actions_forge, run_id)
    assert {name: (job["status"], job["run_attempt"]) for name, job in again.items()} == {
        "lint": ("completed", 2), "build": ("queued", 2), "deploy": ("pending", 2)}
    assert again["lint"]["conclusion"] == "success" and again["build"]["id"] != first["build"]["id"]
    assert _work(actions_forge, runner, {"build": "RESULT_SUCCESS", "deploy": "RESULT_SUCCESS"}) \
        == ["build", "deploy"]
    assert actions_forge.runs()[0]["conclusion"] == "success"
    nothing = actions_forge.api("POST", path)
    assert nothing.status_code == 400
    assert nothing.json["message"] == "this workflow run has no failed jobs to re-run"
    assert actions_forge.api("POST", f"{RUN}/999999/rerun-failed-jobs").status_code == 404


def test_rerun_one_job_answers_its_new_row_and_reruns_what_needs_it(actions_forge):
    runner, run_id = _failed_run(actions_forge)
    build = _names(actions_forge, run_id)["build"]
    path = f"{RUN}/{run_id}/jobs/{build['id']}/rerun"
    assert actions_forge.api("POST", path, as_user="bob").status_code == 403
    answer = actions_forge.api("POST", path)
    assert answer.status_code == 201, answer.text
    assert answer.json["name"] == "build" and answer.json["run_attempt"] == 2
    assert answer.json["status"] == "queued" and answer.json["id"] != build["id"]
    assert answer.json["run_id"] == run_id
    again = _names(actions_forge, run_id)
    assert again["build"]["id"] == answer.json["id"]
    assert (again["lint"]["status"], again["deploy"]["status"]) == ("completed", "pending")
    assert _work(actions_forge, runner, {"build": "RESULT_SUCCESS", "deploy": "RESULT_SUCCESS"}) \
        == ["build", "deploy"]
    # A job of an earlier attempt, of no run, or another run's: Gitea's 404.
    assert actions_forge.api("POST", path).status_code == 404
    assert actions_forge.api("POST", f"{RUN}/{run_id}/jobs/999999/rerun").status_code == 404
    lint = again["lint"]["id"]
    ok = actions_forge.api("POST", f"{RUN}/{run_id}/jobs/{lint}/rerun")
    assert ok.status_code == 201 and ok.json["name"] == "lint" and ok.json["run_attempt"] == 3
    # build, deploy (that lint's re-run does not touch) kept as they finished
    assert {job["name"]: job["status"] for job in actions_forge.jobs(run_id)} == {
        "lint": "queued", "build": "completed", "deploy": "completed"}


def test_a_running_run_or_a_disabled_workflow_is_not_rerun(actions_forge):
    actions_forge.push_file(".gitea/workflows/ci.yml", CHAIN)
    run_id = actions_forge.runs()[0]["id"]
    job_id = _names(actions_forge, run_id)["build"]["id"]
    for path in (f"{RUN}/{run_id}/rerun", f"{RUN}/{run_id}/rerun-failed-jobs",
                 f"{RUN}/{run_id}/jobs/{job_id}/rerun"):
        refused = actions_forge.api("POST", path)
        assert (refused.status_code, refused.json["message"]) == (
            400, "this workflow run is not done"), path
    assert actions_forge.api("POST", f"{RUN}/{run_id}/cancel").status_code == 202
    assert actions_forge.api(
        "PUT", "/repos/alice/demo/actions/workflows/ci.yml/disable").status_code == 204
    refused = actions_forge.api("POST", f"{RUN}/{run_id}/rerun")
    assert (refused.status_code, refused.json["message"]) == (400, "workflow ci.yml is disabled")
    assert actions_forge.api(
        "PUT", "/repos/alice/demo/actions/workflows/ci.yml/enable").status_code == 204
    assert actions_forge.api("POST", f"{RUN}/{run_id}/rerun").status_code == 201


def test_the_runs_of_one_workflow_file(actions_forge):
    actions_forge.push_file(".gitea/workflows/ci.yml", CHAIN, "ci")
    actions_forge.push_file(".gitea/workflows/other.yml", CHAIN.replace("CI", "Other"), "other")
    base = "/repos/alice/demo/actions/workflows"
    listed = actions_forge.api("GET", f"{base}/ci.yml/runs")
    assert listed.status_code == 200, listed.text
    # ci.yml ran on both pushes, other.yml on the second only
    assert listed.json["total_count"] == 2 and listed.headers["x-total-count"] == "2"
    assert {run["path"] for run in listed.json["workflow_runs"]} == {"ci.yml@refs/heads/main"}
    other = actions_forge.api("GET", f"{base}/other.yml/runs", params={"status": "queued"})
    assert other.json["total_count"] == 1
    assert other.json["workflow_runs"][0]["display_title"] == "other"
    assert actions_forge.api("GET", f"{base}/nope.yml/runs").status_code == 404
    assert actions_forge.api("GET", f"{base}/ci.yml/runs", params={"status": "x"}).status_code == 400
    # Its runs still list it once its file is gone (Gitea: they prove it was there).
    sha = actions_forge.api("GET", "/repos/alice/demo/contents/.gitea/workflows/other.yml").json["sha"]
    gone = actions_forge.api("DELETE", "/repos/alice/demo/contents/.gitea/workflows/other.yml",
                             {"sha": sha, "message": "drop other"})
    assert gone.status_code == 200, gone.text
    assert actions_forge.api("GET", f"{base}/other.yml/runs").json["total_count"] == 1
    assert actions_forge.api("PATCH", "/repos/alice/demo", {"private": True}).status_code == 200
    assert actions_forge.api("GET", f"{base}/ci.yml/runs", as_user="bob").status_code == 404


MATRIX = """name: CI
on: [push]
jobs:
  build:
    runs-on: ubuntu-latest
    strategy:
      fail-fast: false
      matrix:
        os: [linux, mac]
    steps:
      - run: echo ${{ matrix.os }}
  deploy:
    needs: [build]
    runs-on: ubuntu-latest
    steps:
      - run: echo deploy
"""


def test_a_matrix_row_is_rerun_alone_with_what_needs_its_job(actions_forge):
    """As Gitea's (each matrix row its own job there): re-running one row, or the failed rows,
    leaves the other rows of that job as they finished; what needs the job runs again."""
    runner = actions_forge.runner()
    actions_forge.push_file(".gitea/workflows/ci.yml", MATRIX)
    assert sorted(_work(actions_forge, runner, {"build (linux)": "RESULT_SUCCESS",
                                                "build (mac)": "RESULT_FAILURE"})) \
        == ["build (linux)", "build (mac)"]
    run_id = actions_forge.runs()[0]["id"]
    first = _names(actions_forge, run_id)
    assert set(first) == {"build (linux)", "build (mac)", "deploy"}

    failed = actions_forge.api("POST", f"{RUN}/{run_id}/rerun-failed-jobs")
    assert failed.status_code == 201, failed.text
    again = _names(actions_forge, run_id)
    assert {name: (job["status"], job["run_attempt"]) for name, job in again.items()} == {
        "build (linux)": ("completed", 2), "build (mac)": ("queued", 2),
        "deploy": ("pending", 2)}
    assert _work(actions_forge, runner, {"build (mac)": "RESULT_SUCCESS",
                                         "deploy": "RESULT_SUCCESS"}) == ["build (mac)", "deploy"]

    linux = _names(actions_forge, run_id)["build (linux)"]
    one = actions_forge.api("POST", f"{RUN}/{run_id}/jobs/{linux['id']}/rerun")
    assert one.status_code == 201 and one.json["name"] == "build (linux)", one.text
    third = _names(actions_forge, run_id)
    assert {name: (job["status"], job["run_attempt"]) for name, job in third.items()} == {
        "build (linux)": ("queued", 3), "build (mac)": ("completed", 3),
        "deploy": ("pending", 3)}
    assert _work(actions_forge, runner, {"build (linux)": "RESULT_SUCCESS",
                                         "deploy": "RESULT_SUCCESS"}) == ["build (linux)", "deploy"]
    assert actions_forge.runs()[0]["conclusion"] == "success"
