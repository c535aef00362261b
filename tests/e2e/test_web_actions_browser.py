"""Actions and the runner fleet in a real browser (headless Chromium, selenium) against the real
server: a person starts a workflow from its dispatch form, watches its log arrive, downloads
the artifact the job uploaded, re-runs the failed job, and an administrator opens the fleet
dashboard and pauses a queue; the pages pass axe-core's WCAG A and AA rules. Screenshots go
where ``PLUE_WEB_SCREENSHOTS`` says (docs/web.md shows them)."""

from __future__ import annotations

import base64
import io
import time
import zipfile

import pytest
import requests

from plue_actions.testing import ProtocolRunner, transport_for_url
from plue_core.testing import DEFAULT_PASSWORD, fresh_database_url, run_live_server

from tests.e2e.test_web_browser import Person, browser  # noqa: F401  (a pytest fixture)

pytestmark = pytest.mark.e2e

DEPLOY = """name: Deploy
on:
  workflow_dispatch:
    inputs:
      target:
        description: Where to deploy
        required: true
      level:
        description: How careful to be
        type: choice
        options: [careful, quick]
      dry_run:
        description: Only say what would change
        type: boolean
        default: true
jobs:
  deploy:
    runs-on: ubuntu-latest
    steps:
      - name: Deploy
        run: ./deploy "${{ inputs.target }}"
"""


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("web-actions-browser")
    with fresh_database_url(tmp) as database_url, run_live_server(tmp, database_url) as live:
        for name, admin in (("alice", False), ("root", True)):
            live.plue("admin", "user", "create", "--username", name, "--password",
                      DEFAULT_PASSWORD, "--email", f"{name}@example.org",
                      *(["--admin"] if admin else []))
        yield live


def sign_in(person: Person, user: str) -> None:
    person.open("/user/login")
    if person.find_all("form[action='/user/logout']"):
        person.click("form[action='/user/logout'] button")
        person.open("/user/login")
    person.fill({"user_name": user, "password": DEFAULT_PASSWORD})
    person.click("button.primary")


def test_a_person_dispatches_watches_downloads_and_re_runs(browser, server):  # noqa: F811
    from selenium.webdriver.support.ui import Select, WebDriverWait

    def api(method: str, path: str, **kwargs):
        response = requests.request(method, f"{server.url}/api/v1{path}", timeout=60,
                                    auth=("alice", DEFAULT_PASSWORD), **kwargs)
        assert response.status_code < 300, response.text
        return response.json()

    api("POST", "/user/repos", json={"name": "shipping", "auto_init": True})
    api("POST", "/repos/alice/shipping/contents/.gitea/workflows/deploy.yml", json={
        "message": "Add deploy", "content": base64.b64encode(DEPLOY.encode()).decode()})
    runner = ProtocolRunner(transport_for_url(server.url))
    runner.register(api("GET", "/repos/alice/shipping/actions/runners/registration-token")["token"])

    person = Person(browser, server.url)
    sign_in(person, "alice")

    # The dispatch form, from the runs list filtered by the workflow.
    person.open("/alice/shipping/actions?workflow=deploy.yml")
    person.click_link("Run workflow")
    assert person.path == "/alice/shipping/actions/run?workflow=deploy.yml"
    person.fill({"inputs[target]": "staging"})
    Select(person.find("[name='inputs[level]']")).select_by_visible_text("quick")
    person.find("[name='inputs[dry_run]']").click()  # untick: a real deploy
    person.screenshot("dispatch")
    form_problems = person.accessibility_problems()
    person.click("button.primary")
    assert person.path == "/alice/shipping/actions/runs/1"
    assert "workflow_dispatch" in person.text

    # A runner takes the job; its log reaches the open job page within two seconds.
    task = runner.fetch()
    task_id = int(task["id"])
    assert task["context"]["event"]["inputs"] == {"target": "staging", "level": "quick",
                                                  "dry_run": False}
    person.click_link("deploy")
    assert person.find("[data-job-status]").text == "running"
    runner.update_log(task_id, 0, ["deploying to staging"])
    sent = time.monotonic()
    WebDriverWait(browser, 10, poll_frequency=0.05).until(
        lambda _: "deploying to staging" in person.find("#log").text)
    seen_after = time.monotonic() - sent
    print(f"a log line showed {seen_after:.2f} s after the runner sent it")
    assert seen_after <= 2.0, f"the line took {seen_after:.2f} s to show (promised: 2 s)"

    # The job uploads an artifact, then fails.
    token = task["context"]["token"]
    uploaded = requests.put(f"{server.url}/api/actions/artifacts/{task['context']['run_id']}/"
                            "deploy-report.txt", data=b"3 services changed", timeout=60,
                            headers={"Authorization": f"Bearer {token}"})
    assert uploaded.status_code == 201, uploaded.text
    runner.update_log(task_id, 1, ["error: staging refused the release"], no_more=True)
    runner.update_task(task_id, "RESULT_FAILURE", steps=[
        {"id": "0", "result": "RESULT_FAILURE", "logIndex": "0", "logLength": "2"}])
    WebDriverWait(browser, 10, poll_frequency=0.1).until(
        lambda _: person.find("[data-job-status]").text == "failure")

    # The run page: its artifact downloads as a zip; the failed job runs again.
    person.open("/alice/shipping/actions/runs/1")
    link = person.find(".artifacts a")
    assert link.text == "deploy-report.txt"
    cookies = {cookie["name"]: cookie["value"] for cookie in browser.get_cookies()}
    download = requests.get(link.get_attribute("href"), cookies=cookies, timeout=60)
    assert download.headers["Content-Type"] == "application/zip"
    assert zipfile.ZipFile(io.BytesIO(download.content)).read("deploy-report.txt") == \
        b"3 services changed"
    person.screenshot("run-controls")
    run_problems = person.accessibility_problems()
    person.click("form[action$='/rerun-failed'] button")
    assert person.path == "/alice/shipping/actions/runs/1"
    assert "Attempt 2" in person.text
    again = runner.fetch()
    assert again is not None and int(again["id"]) != task_id
    person.click("form[action$='/cancel'] button")
    assert person.find(".run h2 .status").text == "cancelled"

    # The administrator's fleet: the runner online, the queue paused and resumed.
    sign_in(person, "root")
    person.open("/-/admin/fleet")
    assert "ubuntu-latest" in person.text
    person.click("form[action='/-/admin/fleet/queues/ubuntu-latest/pause'] button")
    assert person.path == "/-/admin/fleet#queues"
    assert person.find_all("form[action='/-/admin/fleet/queues/ubuntu-latest/resume']")
    person.open("/-/admin/fleet")  # from the top, for the picture
    person.screenshot("fleet")
    fleet_problems = person.accessibility_problems()
    person.click("form[action='/-/admin/fleet/queues/ubuntu-latest/resume'] button")
    person.open("/-/admin/actions/runners")
    assert "alice/shipping" in person.text
    problems = form_problems + run_problems + fleet_problems + person.accessibility_problems()
    assert not problems, "\n".join(problems)
