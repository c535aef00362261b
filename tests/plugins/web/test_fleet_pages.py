"""The runner fleet pages: the administrators' dashboard (charts, nodes, runners and their
instances, RunnerHub's queues with pause and resume, its jobs), an instance's metrics and logs
from its real container, the Actions runners at Gitea's settings addresses, who may see them
(everyone else: 404), and what each page costs in SQL."""

from __future__ import annotations

import base64
import re

import pytest

from plue_actions.testing import ProtocolRunner, transport_for_client
from plue_core.testing import (BUSYBOX_IMAGE, basic_auth, make_test_config, make_user, pilot_bearer,
                               recorded_statements)
from plue_runner_pilot.testing import RUNNERS_SETTINGS, remove_org_containers
from plue_web import charts

from tests.plugins.web.conftest import Browser

WORKFLOW = """name: CI
on: push
jobs:
  build:
    runs-on: [docker, linux]
    steps:
      - run: echo build
"""
FLEET = "/-/admin/fleet"


@pytest.fixture
def plue_config(tmp_path, plue_database_url):
    return make_test_config(tmp_path, plue_database_url, runner_pilot=RUNNERS_SETTINGS)


class Forge:
    """root administers the site; alice owns the organization ``gigatech`` (Gitea side: its
    runners), the Runner Pilot organization GT (its node and runner) and ``alice/demo`` with a
    workflow waiting for a ``docker,linux`` runner; carol is a member of ``gigatech`` but no
    owner; bob is a stranger."""

    def __init__(self, client, ctx):
        self.client, self.ctx = client, ctx
        make_user(ctx, "root", admin=True)
        for name in ("alice", "bob", "carol"):
            make_user(ctx, name)
        self.pilot = pilot_bearer(client, "alice")
        self.org_uid = client.simulate_post("/org", json={"name": "Gigatech Pilot", "short_name": "GT"},
                                            headers=self.pilot).json["uid"]
        self.node_uid = client.simulate_post(f"/org/{self.org_uid}/nodes",
                                             json={"name": "local-engine", "type": "Socket"},
                                             headers=self.pilot).json["uid"]
        self.runner_uid = client.simulate_post(
            f"/org/{self.org_uid}/runners", headers=self.pilot,
            json={"name": "Runner-01", "docker_image": BUSYBOX_IMAGE,
                  "github_repo": "Gigatech/my-repo", "github_runner_token": "ghr_secret123456"}
        ).json["uid"]
        assert self.api("POST", "/orgs", {"username": "gigatech"}).status_code == 201
        team = self.api("POST", "/orgs/gigatech/teams",
                        {"name": "readers", "permission": "read",
                         "units": ["repo.code", "repo.actions"]})
        assert team.status_code == 201, team.text
        assert self.api("PUT", f"/teams/{team.json['id']}/members/carol").status_code == 204
        assert self.api("POST", "/user/repos", {"name": "demo", "auto_init": True}).status_code == 201
        assert self.api("POST", "/repos/alice/demo/contents/.gitea/workflows/ci.yml",
                        {"content": base64.b64encode(WORKFLOW.encode()).decode(),
                         "message": "Add CI"}).status_code == 201

    def api(self, method, path, body=None, user="alice"):
        return self.client.simulate_request(method, f"/api/v1{path}", json=body,
                                            headers=basic_auth(user))

    def register_runner(self, scope: str, name: str, labels=("docker", "linux")) -> ProtocolRunner:
        token = self.api("GET", f"{scope}/actions/runners/registration-token",
                         user="root" if scope == "/admin" else "alice").json["token"]
        runner = ProtocolRunner(transport_for_client(self.client))
        runner.register(token, name=name, labels=labels)
        runner.declare(labels)  # a call: it is online
        return runner

    def browser(self, user: str | None = None) -> Browser:
        browser = Browser(self.client)
        if user:
            browser.sign_in(user)
        return browser


@pytest.fixture
def forge(client, ctx):
    return Forge(client, ctx)


def test_the_dashboard_shows_the_fleet_with_charts(forge):
    page = forge.browser("root").get(FLEET)
    assert page.status_code == 200
    text = page.text
    # The monitoring dashboard's numbers, drawn: one waiting job and run.
    assert re.search(r'<svg class="chart" role="img" aria-label="Workflow runs by status: '
                     r'success 0, failure 0, cancelled 0, skipped 0, waiting 1, running 0, '
                     r'blocked 0"', text)
    assert 'aria-label="Actions runners: online 0, busy 0, offline 0"' in text
    assert 'aria-label="CPU usage: ' in text and 'aria-label="Disk usage: ' in text
    assert "<script" not in text.split("</head>")[1] and "style=" not in text  # the CSP holds
    # Runner Pilot's node and runner, with their organization.
    assert re.search(r"<td>local-engine</td><td>Gigatech-Pilot</td><td>Socket</td>", text)
    assert "Runner-01" in text and "ghr_secret" not in text  # the token never shows
    # RunnerHub's queue of the waiting job, and the job.
    assert '<td class="sha">docker,linux</td><td>1</td>' in text
    assert f'action="{FLEET}/queues/docker%2Clinux/pause"' in text
    assert re.search(r"<tr><td>build <span class=\"muted sha\">job_\d+</span>", text)


def test_a_queue_is_paused_and_resumed_from_the_dashboard(forge):
    root = forge.browser("root")
    answer = root.post(f"{FLEET}/queues/docker%2Clinux/pause", {}, from_page=FLEET)
    assert answer.status_code == 303 and answer.headers["location"] == f"{FLEET}#queues"
    from plue_runnerhub.models import QueueState
    assert QueueState.get(QueueState.name == "docker,linux").paused
    runner = forge.register_runner("/repos/alice/demo", "held")
    assert runner.fetch_queued() is None  # a paused queue's job is held back
    page = root.get(FLEET).text
    assert f'action="{FLEET}/queues/docker%2Clinux/resume"' in page
    assert '<span class="status blocked">paused</span>' in page
    assert root.post(f"{FLEET}/queues/docker%2Clinux/resume", {}).status_code == 303
    assert not QueueState.get(QueueState.name == "docker,linux").paused
    assert runner.fetch() is not None  # resuming woke the runners


def test_the_fleet_pages_are_404_to_everyone_but_administrators(forge):
    from plue_runnerhub.models import QueueState
    paths = (FLEET, "/-/admin/actions/runners", f"{FLEET}/instances/{forge.runner_uid}")
    anonymous = forge.browser()
    for path in paths:
        answer = anonymous.get(path)
        assert answer.status_code == 303 and answer.headers["location"].startswith("/user/login")
    alice = forge.browser("alice")  # owns the Pilot organization, but no administrator
    for path in paths:
        assert alice.get(path).status_code == 404, path
    assert alice.post(f"{FLEET}/queues/docker%2Clinux/pause", {}, from_page="/").status_code == 404
    assert QueueState.get_or_none(QueueState.name == "docker,linux") is None
    root = forge.browser("root")
    root.get(FLEET)
    assert root.post(f"{FLEET}/queues/docker%2Clinux/pause", {}, csrf=False).status_code == 403
    assert root.get(f"{FLEET}/instances/not-a-uid").status_code == 404


def test_an_organization_s_owners_see_its_own_fleet(forge):
    alice = forge.browser("alice")  # she owns the Runner Pilot organization
    page = alice.get("/Gigatech-Pilot/-/fleet")
    assert page.status_code == 200
    assert "<h1>Runner fleet of Gigatech-Pilot</h1>" in page.text
    assert "<td>local-engine</td><td>Gigatech-Pilot</td>" in page.text
    assert "Runner-01" in page.text
    assert "Workflow runs by status" not in page.text and 'id="queues"' not in page.text
    other = alice.get("/gigatech/-/fleet")  # hers too, with nothing in it
    assert other.status_code == 200 and "local-engine" not in other.text
    assert "No nodes yet" in other.text
    assert forge.browser("carol").get("/gigatech/-/fleet").status_code == 404  # a member
    bob = forge.browser("bob")
    for path in ("/Gigatech-Pilot/-/fleet", "/nobody/-/fleet", "/alice/-/fleet",
                 f"/Gigatech-Pilot/-/fleet/instances/{forge.runner_uid}"):
        assert bob.get(path).status_code == 404, path
    assert forge.browser("root").get("/Gigatech-Pilot/-/fleet").status_code == 200


def test_actions_runners_at_gitea_s_settings_addresses(forge):
    forge.register_runner("/admin", "site-wide")
    forge.register_runner("/orgs/gigatech", "org-runner")
    forge.register_runner("/repos/alice/demo", "repo-runner")
    root = forge.browser("root")
    listed = root.get("/-/admin/actions/runners").text
    for name, scope in (("site-wide", "global"), ("org-runner", "gigatech"),
                        ("repo-runner", "alice/demo")):
        assert re.search(rf"<td>{name} <span class=\"muted\">#\d+</span></td>\s*<td><span "
                         rf"class=\"status success\">online</span></td>\s*<td>{scope}</td>", listed)
    alice = forge.browser("alice")
    org_page = alice.get("/gigatech/-/settings/actions/runners")
    assert org_page.status_code == 200
    assert "org-runner" in org_page.text and "site-wide" in org_page.text
    assert "repo-runner" not in org_page.text
    repo_page = alice.get("/alice/demo/settings/actions/runners")
    assert repo_page.status_code == 200
    assert "repo-runner" in repo_page.text and "site-wide" in repo_page.text
    assert "org-runner" not in repo_page.text  # another owner's
    carol, bob = forge.browser("carol"), forge.browser("bob")
    assert carol.get("/gigatech/-/settings/actions/runners").status_code == 404  # no owner
    assert bob.get("/gigatech/-/settings/actions/runners").status_code == 404
    assert bob.get("/alice/-/settings/actions/runners").status_code == 404  # a user
    assert bob.get("/alice/demo/settings/actions/runners").status_code == 404  # a reader
    assert root.get("/gigatech/-/settings/actions/runners").status_code == 200


def test_the_pages_cost_a_fixed_number_of_statements(forge):
    for index in range(3):
        forge.register_runner("/repos/alice/demo", f"repo-{index}")
        forge.register_runner("/orgs/gigatech", f"org-{index}")
    root = forge.browser("root")
    # The dashboard: the session, the monitoring counts (the runners' three in one), the
    # Runner Pilot's runners, instances and nodes, RunnerHub's queues and newest jobs (not
    # counted: the page shows no pages of them; 18 when it did), the organizations' names;
    # on every page the header's unread notifications.
    costs = ((FLEET, 16), ("/-/admin/actions/runners", 4),
             ("/gigatech/-/settings/actions/runners", 5),
             ("/alice/demo/settings/actions/runners", 4))

    def check():
        found = {}
        for path, most in costs:
            root.get(path)
            with recorded_statements(forge.ctx.db) as statements:
                assert root.get(path).status_code == 200
            assert len(statements) <= most, (path, len(statements), statements)
            found[path] = len(statements)
        return found

    before = check()
    # More of every row (runners, a runner definition, runs and their jobs): the same cost.
    for index in range(3, 6):
        forge.register_runner("/repos/alice/demo", f"repo-{index}")
    forge.client.simulate_post(f"/org/{forge.org_uid}/runners", headers=forge.pilot, json={
        "name": "Runner-02", "docker_image": BUSYBOX_IMAGE, "github_repo": "Gigatech/other",
        "github_runner_token": "ghr_other1234567"})
    for name in ("two", "three"):
        assert forge.api("POST", f"/repos/alice/demo/contents/{name}.txt", {
            "content": base64.b64encode(b"more").decode(), "message": name}).status_code == 201
    assert check() == before


def test_an_instance_shows_its_metrics_and_logs(forge, docker_engine):
    try:
        started = forge.client.simulate_post(
            f"/org/{forge.org_uid}/runners/{forge.runner_uid}/instance",
            json={"node_id": forge.node_uid}, headers=forge.pilot)
        assert started.status_code == 200, started.json
        instance = started.json
        root = forge.browser("root")
        fleet = root.get(FLEET).text
        link = f'{FLEET}/instances/{instance["uid"]}'
        assert f'<a href="{link}">{instance["instance_identifier"]}</a>' in fleet
        assert re.search(r"<td>local-engine</td><td>Gigatech-Pilot</td><td>Socket</td>\s*"
                         r"<td class=\"sha\">local socket</td>\s*<td><span class=\"status "
                         r"success\">active</span></td>\s*<td>1</td>", fleet)
        page = root.get(link)
        assert page.status_code == 200
        assert re.search(r'aria-label="CPU usage: \d+\.\d %"', page.text)
        assert re.search(r'aria-label="Memory usage: \d+\.\d %"', page.text)
        assert re.search(r'aria-label="Disk usage: \d+\.\d %"', page.text)
        for _ in range(50):  # the container writes its lines as it starts
            page = root.get(link)
            if "listening for jobs" in page.text:
                break
        assert '<span class="level-warn">' in page.text and "Runner heartbeat delayed." in page.text
        assert '<span class="level-error">' in page.text
        alice = forge.browser("alice")  # the organization's owner, through its own fleet
        own = alice.get(f'/Gigatech-Pilot/-/fleet/instances/{instance["uid"]}')
        assert own.status_code == 200 and "Runner heartbeat delayed." in own.text
        assert alice.get(f'/gigatech/-/fleet/instances/{instance["uid"]}').status_code == 404
        assert f'href="/Gigatech-Pilot/-/fleet/instances/{instance["uid"]}"' in \
            alice.get("/Gigatech-Pilot/-/fleet").text
        docker_engine.containers.get(instance["instance_identifier"]).remove(force=True)
        gone = root.get(link)
        assert gone.status_code == 200 and "no longer exists" in gone.text
    finally:
        remove_org_containers(docker_engine, forge.org_uid)


def test_bars_scale_to_the_largest_value_and_name_every_value():
    chart = charts.bars("Jobs <by> status", [("ok", 4, "success"), ("bad", 2, "failure"),
                                               ("none", 0, "skipped")], width=360)
    room = 360 - charts.LABEL_WIDTH - charts.VALUE_WIDTH
    assert f'width="{float(room)}" height="18" rx="3" class="bar success"' in chart
    assert f'width="{room / 2}" height="18" rx="3" class="bar failure"' in chart
    assert 'width="0.0" height="18" rx="3" class="bar skipped"' in chart
    assert 'aria-label="Jobs &lt;by&gt; status: ok 4, bad 2, none 0"' in chart
    assert "style" not in chart and "script" not in chart
    assert 'viewBox="0 0 360 0"' not in charts.bars("Empty", [])  # an empty chart has a size


def test_a_gauge_is_clamped_coloured_by_level_and_says_when_unknown():
    assert 'class="bar ok"' in charts.gauge("CPU", 12.5)
    assert 'class="bar warn"' in charts.gauge("CPU", 75)
    high = charts.gauge("Disk", 250)
    assert 'class="bar high"' in high and 'aria-label="Disk: 100.0 %"' in high
    unknown = charts.gauge("Memory", None)
    assert 'class="bar unknown"' in unknown and 'aria-label="Memory: unknown"' in unknown
