"""The Actions controls of the web pages: re-run (all jobs, failed jobs), cancel, artifacts,
the workflow dispatch form, who may use them, and the live log's polling promise."""

from __future__ import annotations

import io
import re
import zipfile

from plue_actions.testing import actions_forge  # noqa: F401  (a pytest fixture)
from plue_core.testing import recorded_statements

from tests.plugins.web.conftest import Browser

THREE_JOBS = """name: CI
on: push
jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - run: echo build
  lint:
    runs-on: ubuntu-latest
    steps:
      - run: echo lint
  test:
    needs: build
    runs-on: ubuntu-latest
    steps:
      - run: echo test
"""

DISPATCH = """name: Deploy
on:
  workflow_dispatch:
    inputs:
      target:
        description: Where to deploy
        required: true
      level:
        type: choice
        options: [low, high]
        default: low
      dry_run:
        type: boolean
        default: true
jobs:
  deploy:
    runs-on: ubuntu-latest
    steps:
      - run: echo deploying
"""

RUN = "/alice/demo/actions/runs/1"


def signed_in(forge, user: str = "alice") -> Browser:
    browser = Browser(forge.client)
    browser.sign_in(user)
    return browser


def job_rows(forge, attempt: int | None = None) -> dict[str, str]:
    """name -> status label of run 1's jobs in ``attempt`` (its current one by default)."""
    service = forge.ctx.services["actions"]
    Run, Job = service.models.Run, service.models.Job
    run = Run.get(Run.number == 1)
    rows = Job.select().where((Job.run == run.id) & (Job.attempt == (attempt or run.attempt)))
    return {job.name: service.Status(job.status).label for job in rows}


def finish_all(forge, results: dict[str, str]) -> None:
    """A runner takes every job it is given and reports ``results[name]`` for it."""
    Job = forge.ctx.services["actions"].models.Job
    runner = forge.runner()
    while (task := runner.fetch_queued()) is not None:
        runner.update_task(int(task["id"]), results[Job.get(Job.task_id == int(task["id"])).name])


def test_re_run_all_jobs_starts_a_new_attempt(actions_forge):  # noqa: F811
    forge = actions_forge
    forge.push_file(".gitea/workflows/ci.yml", THREE_JOBS, message="Add CI")
    finish_all(forge, {"build": "RESULT_SUCCESS", "lint": "RESULT_SUCCESS",
                       "test": "RESULT_FAILURE"})
    browser = signed_in(forge)
    page = browser.get(RUN)
    assert "Re-run all jobs" in page.text and "Re-run failed jobs" in page.text
    assert "Cancel run" not in page.text
    answer = browser.post(f"{RUN}/rerun", {})
    assert answer.status_code == 303 and answer.headers["location"].endswith(RUN)
    assert job_rows(forge) == {"build": "waiting", "lint": "waiting", "test": "blocked"}
    assert job_rows(forge, attempt=1)["test"] == "failure"  # the first attempt stays
    assert "Attempt 2" in browser.get(RUN).text


def test_re_run_failed_jobs_keeps_the_jobs_that_succeeded(actions_forge):  # noqa: F811
    forge = actions_forge
    forge.push_file(".gitea/workflows/ci.yml", THREE_JOBS, message="Add CI")
    finish_all(forge, {"build": "RESULT_FAILURE", "lint": "RESULT_SUCCESS",
                       "test": "RESULT_SUCCESS"})
    assert job_rows(forge) == {"build": "failure", "lint": "success", "test": "skipped"}
    browser = signed_in(forge)
    answer = browser.post(f"{RUN}/rerun-failed", {}, from_page=RUN)
    assert answer.status_code == 303
    # build failed: it and test (which needs it) run again; lint is kept as it finished.
    assert job_rows(forge) == {"build": "waiting", "lint": "success", "test": "blocked"}
    finish_all(forge, {"build": "RESULT_SUCCESS", "lint": "RESULT_FAILURE",
                       "test": "RESULT_SUCCESS"})
    assert job_rows(forge) == {"build": "success", "lint": "success", "test": "success"}
    page = browser.get(RUN)
    assert '<h2><span class="status success">success</span> Add CI' in page.text
    assert "Re-run failed jobs" not in page.text  # nothing failed in this attempt
    refused = browser.post(f"{RUN}/rerun-failed", {})
    assert refused.status_code == 409 and "no failed jobs to re-run" in refused.text


def test_re_run_one_job_from_its_page_runs_what_needs_it_too(actions_forge):  # noqa: F811
    forge = actions_forge
    forge.push_file(".gitea/workflows/ci.yml", THREE_JOBS, message="Add CI")
    finish_all(forge, {"build": "RESULT_SUCCESS", "lint": "RESULT_SUCCESS",
                       "test": "RESULT_SUCCESS"})
    service = forge.ctx.services["actions"]
    Job = service.models.Job
    build = Job.get((Job.name == "build") & (Job.attempt == 1))
    browser = signed_in(forge)
    page = browser.get(f"{RUN}/jobs/{build.id}")
    assert f'action="{RUN}/jobs/{build.id}/rerun"' in page.text
    answer = browser.post(f"{RUN}/jobs/{build.id}/rerun", {})
    assert answer.status_code == 303 and answer.headers["location"].endswith(RUN)
    # build again, and test which needs it; lint kept.
    assert job_rows(forge) == {"build": "waiting", "lint": "success", "test": "blocked"}
    assert "Re-run this job" not in browser.get(f"{RUN}/jobs/{build.id}").text  # running now
    assert browser.post(f"{RUN}/jobs/{build.id}/rerun", {}, from_page=RUN).status_code == 409
    assert browser.post(f"{RUN}/jobs/999999/rerun", {}, from_page=RUN).status_code == 404
    bob = signed_in(forge, "bob")
    assert "Re-run this job" not in bob.get(f"{RUN}/jobs/{build.id}").text
    assert bob.post(f"{RUN}/jobs/{build.id}/rerun", {}, from_page=RUN).status_code == 403


def test_cancel_stops_a_running_run_and_a_finished_one_cannot_be_cancelled(actions_forge):  # noqa: F811
    forge = actions_forge
    forge.push_file(".gitea/workflows/ci.yml", THREE_JOBS, message="Add CI")
    forge.runner().fetch()  # one job running, one waiting, one blocked
    browser = signed_in(forge)
    page = browser.get(RUN)
    assert "Cancel run" in page.text and "Re-run all jobs" not in page.text
    assert browser.post(f"{RUN}/rerun", {}).status_code == 409  # still running
    assert browser.post(f"{RUN}/cancel", {}, from_page=RUN).status_code == 303
    assert set(job_rows(forge).values()) == {"cancelled"}
    again = browser.post(f"{RUN}/cancel", {}, from_page=RUN)
    assert again.status_code == 409 and "already finished" in again.text


def test_controls_need_write_access_a_session_and_the_csrf_token(actions_forge):  # noqa: F811
    forge = actions_forge
    forge.push_file(".gitea/workflows/ci.yml", THREE_JOBS, message="Add CI")
    forge.runner().fetch()
    bob = signed_in(forge, "bob")
    assert "Cancel run" not in bob.get(RUN).text  # a reader sees no controls
    for path in (f"{RUN}/cancel", f"{RUN}/rerun", f"{RUN}/rerun-failed",
                 "/alice/demo/actions/run"):
        assert bob.post(path, {}, from_page=RUN).status_code == 403, path
        anonymous = Browser(forge.client)
        answer = anonymous.post(path, {}, from_page="/user/login")
        assert answer.status_code == 303 and answer.headers["location"].startswith("/user/login")
    alice = signed_in(forge)
    alice.get(RUN)
    assert alice.post(f"{RUN}/cancel", {}, csrf=False).status_code == 403
    assert "running" in job_rows(forge).values()  # nothing was cancelled
    forge.api("PATCH", "/repos/alice/demo", {"private": True})
    for path in (f"{RUN}/cancel", f"{RUN}/rerun", "/alice/demo/actions/run"):
        assert bob.post(path, {}, from_page="/").status_code == 404
        assert bob.get("/alice/demo/actions/run").status_code == 404
    assert "running" in job_rows(forge).values()


def test_artifacts_are_listed_on_the_run_and_download_as_zip(actions_forge):  # noqa: F811
    forge = actions_forge
    forge.push_file(".gitea/workflows/ci.yml", THREE_JOBS, message="Add CI")
    task = forge.runner().fetch()
    token, run_id = task["context"]["token"], task["context"]["run_id"]
    upload = forge.client.simulate_put(f"/api/actions/artifacts/{run_id}/report one.txt",
                                       body=b"hello artifact",
                                       headers={"Authorization": f"Bearer {token}"})
    assert upload.status_code == 201
    browser = Browser(forge.client)  # reading needs no more than read access
    page = browser.get(RUN).text
    link = f"{RUN}/artifacts/report%20one.txt"
    assert f'<a href="{link}" download>report one.txt</a>' in page
    download = browser.get(link)
    assert download.status_code == 200 and download.headers["content-type"] == "application/zip"
    assert "report one.txt.zip" in download.headers["content-disposition"]
    assert zipfile.ZipFile(io.BytesIO(download.content)).read("report one.txt") == b"hello artifact"
    assert browser.get(f"{RUN}/artifacts/nothing").status_code == 404
    forge.api("PATCH", "/repos/alice/demo", {"private": True})
    assert Browser(forge.client).get(link).status_code == 404


def test_the_dispatch_form_shows_the_inputs_and_starts_a_run_with_them(actions_forge):  # noqa: F811
    forge = actions_forge
    forge.push_file(".gitea/workflows/deploy.yml", DISPATCH, message="Add deploy")
    browser = signed_in(forge)
    runs = browser.get("/alice/demo/actions", params={"workflow": "deploy.yml"}).text
    assert 'href="/alice/demo/actions/run?workflow=deploy.yml">Run workflow</a>' in runs
    assert '<a href="/alice/demo/settings/actions/runners">Runners</a>' in runs  # her own
    reader = signed_in(forge, "bob").get("/alice/demo/actions").text
    assert "Run workflow" not in reader and "/settings/actions/runners" not in reader
    form = browser.get("/alice/demo/actions/run", params={"workflow": "deploy.yml"})
    assert form.status_code == 200
    assert re.search(r'<label for="input-1">Where to deploy <span class="muted">\(required\)'
                     r'</span></label>\s*<input id="input-1" name="inputs\[target\]" value="" '
                     r'required>', form.text)
    assert '<option value="low" selected>low</option>' in form.text
    assert 'type="checkbox" id="input-3" name="inputs[dry_run]" checked' in form.text
    answer = browser.post("/alice/demo/actions/run?workflow=deploy.yml",
                          {"ref": "main", "inputs[target]": "staging", "inputs[level]": "high"})
    assert answer.status_code == 303 and answer.headers["location"] == RUN
    service = forge.ctx.services["actions"]
    run = service.models.Run.get(service.models.Run.number == 1)
    # The unticked checkbox is false, as in Gitea's form.
    assert run.event == "workflow_dispatch"
    assert run.inputs == {"target": "staging", "level": "high", "dry_run": False}
    assert browser.get(RUN).status_code == 200


def test_a_bad_dispatch_answers_the_form_again_and_starts_nothing(actions_forge):  # noqa: F811
    forge = actions_forge
    forge.push_file(".gitea/workflows/deploy.yml", DISPATCH, message="Add deploy")
    forge.push_file(".gitea/workflows/ci.yml", THREE_JOBS, message="Add CI")
    browser = signed_in(forge)
    browser.get("/alice/demo/actions/run?workflow=deploy.yml")
    answer = browser.post("/alice/demo/actions/run?workflow=deploy.yml",
                          {"ref": "main", "inputs[target]": "prod", "inputs[level]": "medium",
                           "inputs[dry_run]": "on"})
    assert answer.status_code == 422
    assert ("Input &#39;level&#39; must be one of [&#39;low&#39;, &#39;high&#39;], got "
            "&#39;medium&#39;") in answer.text
    assert 'name="inputs[target]" value="prod"' in answer.text
    assert 'name="inputs[dry_run]" checked' in answer.text  # what was typed stays
    service = forge.ctx.services["actions"]
    dispatched = service.models.Run.select().where(service.models.Run.event == "workflow_dispatch")
    assert dispatched.count() == 0
    no_trigger = browser.get("/alice/demo/actions/run", params={"workflow": "ci.yml"})
    assert no_trigger.status_code == 422 and "no workflow_dispatch trigger" in no_trigger.text
    assert browser.get("/alice/demo/actions/run", params={"workflow": "nope.yml"}).status_code == 404
    choice = browser.get("/alice/demo/actions/run").text
    assert '<option value="deploy.yml">deploy.yml</option>' in choice


def test_the_pages_cost_a_fixed_number_of_statements(actions_forge):  # noqa: F811
    forge = actions_forge
    forge.push_file(".gitea/workflows/ci.yml", THREE_JOBS, message="Add CI")
    forge.push_file(".gitea/workflows/deploy.yml", DISPATCH, message="Add deploy")
    task = forge.runner().fetch()
    for name in ("a", "b", "c"):
        forge.client.simulate_put(f"/api/actions/artifacts/{task['context']['run_id']}/{name}",
                                  body=b"x", headers={"Authorization":
                                                      f"Bearer {task['context']['token']}"})
    browser = signed_in(forge)
    browser.get(RUN)
    with recorded_statements(forge.ctx.db) as run_page:
        assert browser.get(RUN).status_code == 200
    # the session, the repository, the run, its jobs, their steps, its artifacts; the
    # header's unread notifications
    assert len(run_page) <= 7, run_page
    with recorded_statements(forge.ctx.db) as form_page:
        assert browser.get("/alice/demo/actions/run?workflow=deploy.yml").status_code == 200
    assert len(form_page) <= 4, form_page


def test_a_live_log_is_polled_every_second_without_a_held_request(actions_forge):  # noqa: F811
    """The promise "a viewer sees new lines within 2 s without holding a server thread per
    viewer": the page asks for new lines every second (so a line shows at most a second plus
    one request after it arrived), and each ask is a short request of a fixed cost that
    answers at once (no thread waits on it: none is held between asks)."""
    forge = actions_forge
    forge.push_file(".gitea/workflows/ci.yml", THREE_JOBS, message="Add CI")
    runner = forge.runner()
    task_id = int(runner.fetch()["id"])
    runner.update_log(task_id, 0, ["one"])
    service = forge.ctx.services["actions"]
    job = service.models.Job.get(service.models.Job.task_id == task_id)
    path = f"{RUN}/jobs/{job.id}"
    browser = Browser(forge.client)
    page = browser.get(path).text
    interval = int(re.search(r'data-log-interval="(\d+)"', page).group(1))
    assert interval <= 1000
    runner.update_log(task_id, 1, ["two", "three"])
    with recorded_statements(forge.ctx.db) as statements:
        answer = browser.get(f"{path}/logs", params={"start": "1"},
                             headers={"Accept": "application/json"}).json
    assert answer["lines"] == ["two", "three"] and answer["next"] == 3 and not answer["done"]
    assert len(statements) <= 5, statements
