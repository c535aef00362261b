"""The Actions pages: runs with their filters, a run's jobs in ``needs`` order with their
steps, a job's log (and the endpoint a viewer polls for new lines), and access."""

from __future__ import annotations

from plue_actions.testing import actions_forge  # noqa: F401  (a pytest fixture)

from tests.plugins.web.conftest import Browser

WORKFLOW = """name: CI
on: push
jobs:
  test:
    needs: build
    runs-on: ubuntu-latest
    steps:
      - run: echo testing
  build:
    runs-on: ubuntu-latest
    steps:
      - name: Compile
        run: echo compiling
"""


def _run_one_job(forge):
    """Push the workflow; a runner takes the build job and reports two log lines."""
    forge.push_file(".gitea/workflows/ci.yml", WORKFLOW, message="Add CI")
    runner = forge.runner()
    task = runner.fetch()
    task_id = int(task["id"])
    runner.update_log(task_id, 0, ["compiling <b>now</b>", "done"])
    return runner, task_id


def test_the_runs_list_and_its_filters(actions_forge):  # noqa: F811
    forge = actions_forge
    forge.push_file(".gitea/workflows/ci.yml", WORKFLOW, message="Add CI")
    browser = Browser(forge.client)
    page = browser.get("/alice/demo/actions")
    assert page.status_code == 200
    assert 'href="/alice/demo/actions/runs/1">#1 Add CI</a>' in page.text
    assert '<option value="ci.yml">ci.yml</option>' in page.text
    assert "#1" in browser.get("/alice/demo/actions", params={"status": "waiting"}).text
    assert "#1" not in browser.get("/alice/demo/actions", params={"status": "success"}).text
    assert "#1" not in browser.get("/alice/demo/actions", params={"branch": "other"}).text
    assert "#1" in browser.get("/alice/demo/actions", params={"branch": "main", "workflow": "ci.yml"}).text
    assert browser.get("/alice/demo/actions", params={"status": "nope"}).status_code == 422


def test_a_run_lists_its_jobs_in_needs_order_with_steps(actions_forge):  # noqa: F811
    forge = actions_forge
    _run_one_job(forge)
    text = Browser(forge.client).get("/alice/demo/actions/runs/1").text
    assert text.index(">build</a>") < text.index(">test</a>")
    assert "needs build" in text
    assert '<span class="status running">running</span>' in text


def test_a_job_shows_its_log_and_the_html_url_of_the_api_resolves(actions_forge):  # noqa: F811
    forge = actions_forge
    runner, task_id = _run_one_job(forge)
    job = next(job for job in forge.jobs(forge.runs()[0]["id"]) if job["name"] == "build")
    path = "/" + job["html_url"].split("/", 3)[3]
    page = Browser(forge.client).get(path)
    assert page.status_code == 200
    assert "compiling &lt;b&gt;now&lt;/b&gt;\ndone" in page.text
    assert f'data-log-url="{path}/logs" data-log-next="2"' in page.text


def test_the_log_endpoint_gives_new_lines_and_says_when_the_job_is_done(actions_forge):  # noqa: F811
    forge = actions_forge
    runner, task_id = _run_one_job(forge)
    job_id = next(job["id"] for job in forge.jobs(forge.runs()[0]["id"]) if job["name"] == "build")
    logs = f"/alice/demo/actions/runs/1/jobs/{job_id}/logs"
    browser = Browser(forge.client)
    first = browser.get(logs, params={"start": "1"}, headers={"Accept": "application/json"}).json
    assert first == {"lines": ["done"], "next": 2, "status": "running", "done": False}
    runner.update_log(task_id, 2, ["finished"], no_more=True)
    runner.update_task(task_id, "RESULT_SUCCESS")
    last = browser.get(logs, params={"start": "2"}, headers={"Accept": "application/json"}).json
    assert last["lines"] == ["finished"] and last["done"] and last["status"] == "success"
    page = browser.get(f"/alice/demo/actions/runs/1/jobs/{job_id}")
    assert "data-log-url" not in page.text  # nothing more to wait for


def test_actions_pages_of_a_private_repository_are_404_to_strangers(actions_forge):  # noqa: F811
    forge = actions_forge
    forge.api("PATCH", "/repos/alice/demo", {"private": True})
    forge.push_file(".gitea/workflows/ci.yml", WORKFLOW, message="Add CI")
    job_id = forge.jobs(forge.runs()[0]["id"])[0]["id"]
    for path in ("/alice/demo/actions", "/alice/demo/actions/runs/1",
                 f"/alice/demo/actions/runs/1/jobs/{job_id}",
                 f"/alice/demo/actions/runs/1/jobs/{job_id}/logs"):
        assert Browser(forge.client).get(path).status_code == 404
        bob = Browser(forge.client)
        bob.sign_in("bob")
        assert bob.get(path).status_code == 404
        alice = Browser(forge.client)
        alice.sign_in("alice")
        assert alice.get(path).status_code == 200


def test_unknown_runs_and_jobs_are_404(actions_forge):  # noqa: F811
    forge = actions_forge
    forge.push_file(".gitea/workflows/ci.yml", WORKFLOW, message="Add CI")
    browser = Browser(forge.client)
    assert browser.get("/alice/demo/actions/runs/9").status_code == 404
    assert browser.get("/alice/demo/actions/runs/1/jobs/999999").status_code == 404


def test_a_finished_job_shows_each_steps_part_of_the_log(actions_forge):  # noqa: F811
    forge = actions_forge
    runner, task_id = _run_one_job(forge)
    runner.update_task(task_id, "RESULT_FAILURE", steps=[
        {"id": "0", "result": "RESULT_FAILURE", "logIndex": "1", "logLength": "1"}])
    job_id = next(job["id"] for job in forge.jobs(forge.runs()[0]["id"]) if job["name"] == "build")
    page = Browser(forge.client).get(f"/alice/demo/actions/runs/1/jobs/{job_id}").text
    assert '<summary><span class="status failure">failure</span> Compile</summary>' in page
    assert '<pre class="log">done</pre>' in page
    assert 'id="log"' not in page  # the whole log only while it grows or when no step has lines
