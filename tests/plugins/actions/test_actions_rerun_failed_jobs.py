"""Re-running only the failed jobs of a run (the actions service's ``rerun_run`` with
``failed_only``): the failed and cancelled jobs and everything that needs them run again; the
rest are copied into the new attempt as they finished — every matrix row, and the outputs the
jobs run again read from them."""

from __future__ import annotations

import pytest

from plue_actions.testing import actions_forge  # noqa: F401  (a pytest fixture)
from plue_core.errors import Conflict

MATRIX = """name: CI
on: push
jobs:
  prepare:
    runs-on: ubuntu-latest
    outputs:
      version: ${{ steps.v.outputs.version }}
    steps:
      - id: v
        run: echo "version=1.2" >> "$GITHUB_OUTPUT"
  test:
    runs-on: ubuntu-latest
    strategy:
      matrix:
        python: ["3.11", "3.12"]
    steps:
      - run: echo test
  package:
    needs: [prepare]
    runs-on: ubuntu-latest
    steps:
      - run: echo "${{ needs.prepare.outputs.version }}"
  publish:
    needs: [package]
    runs-on: ubuntu-latest
    steps:
      - run: echo publish
"""


def _run(forge):
    service = forge.ctx.services["actions"]
    return service, service.models.Run.get(service.models.Run.number == 1)


def _jobs(service, run, attempt=None):
    Job = service.models.Job
    rows = Job.select().where((Job.run == run.id) & (Job.attempt == (attempt or run.attempt)))
    return {job.name: job for job in rows.order_by(Job.id)}


def _work(forge, results: dict[str, str], outputs: dict[str, dict] | None = None) -> None:
    service = forge.ctx.services["actions"]
    Job = service.models.Job
    runner = forge.runner(name=f"runner-{len(results)}-{id(results)}")
    while (task := runner.fetch_queued()) is not None:
        name = Job.get(Job.task_id == int(task["id"])).name
        runner.update_task(int(task["id"]), results[name], outputs=(outputs or {}).get(name))


def test_the_failed_jobs_and_what_needs_them_run_again(actions_forge):  # noqa: F811
    forge = actions_forge
    forge.push_file(".gitea/workflows/ci.yml", MATRIX, message="Add CI")
    _work(forge, {"prepare": "RESULT_SUCCESS", "test (3.11)": "RESULT_SUCCESS",
                  "test (3.12)": "RESULT_SUCCESS", "package": "RESULT_FAILURE",
                  "publish": "RESULT_SUCCESS"}, outputs={"prepare": {"version": "1.2"}})
    service, run = _run(forge)
    first = _jobs(service, run)
    assert service.Status(first["package"].status).label == "failure"
    assert service.Status(first["publish"].status).label == "skipped"

    service.rerun_run(forge.ctx.services["git_hosting"].get_repository_by_id(run.repository_id),
                      run, None, failed_only=True)
    service, run = _run(forge)
    assert run.attempt == 2
    second = _jobs(service, run)
    labels = {name: service.Status(job.status).label for name, job in second.items()}
    # Both matrix rows of test kept (once each), prepare kept; package runs again and
    # publish, which needs it, waits for it.
    assert labels == {"prepare": "success", "test (3.11)": "success", "test (3.12)": "success",
                      "package": "waiting", "publish": "blocked"}
    assert second["prepare"].task_id == first["prepare"].task_id  # its log and outputs
    # The job run again gets the kept job's outputs in its needs context.
    runner = forge.runner(name="again")
    task = runner.fetch()
    assert task["needs"]["prepare"]["outputs"] == {"version": "1.2"}
    assert _jobs(service, run, attempt=1)["package"].status == first["package"].status


def test_nothing_failed_nothing_to_re_run(actions_forge):  # noqa: F811
    forge = actions_forge
    forge.push_file(".gitea/workflows/ci.yml", MATRIX, message="Add CI")
    _work(forge, {"prepare": "RESULT_SUCCESS", "test (3.11)": "RESULT_SUCCESS",
                  "test (3.12)": "RESULT_SUCCESS", "package": "RESULT_SUCCESS",
                  "publish": "RESULT_SUCCESS"})
    service, run = _run(forge)
    repository = forge.ctx.services["git_hosting"].get_repository_by_id(run.repository_id)
    with pytest.raises(Conflict, match="no failed jobs to re-run"):
        service.rerun_run(repository, run, None, failed_only=True)
    assert _run(forge)[1].attempt == 1  # no partial attempt left behind
