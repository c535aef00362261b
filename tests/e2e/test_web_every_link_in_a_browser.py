"""Every page address Plue hands out, opened in headless Chromium against the real server.

One scenario in a private repository of an organization (labels, a milestone, an issue and
its comment, a branch, a tag, a pull request with a review and a line comment, a workflow run
and its job, their commit statuses) and a local webhook receiver that hears every event.
Then every URL under the server's address that the API answers or the webhook payloads hold
(``html_url``, ``compare_url``, a pushed commit's ``url``, the ``target_url`` Plue writes for
a job, ``download_url``, ``clone_url``, a tag's archives, a workflow's ``badge_url``...;
only ``/api/`` addresses, which are no pages, are left out) is opened:

- by the signed-in owner: a 200, and the ``#anchor`` it names is an element of the page;
- by an anonymous visitor: a 404 for everything of the private repository.

Pages are opened by the browser (the status read from the navigation's timing entry);
downloads (archives, raw bytes, images) with the browser's cookies."""

from __future__ import annotations

import base64
import time
import urllib.parse

import pytest
import requests

from plue_actions.testing import ProtocolRunner, transport_for_url
from plue_core.testing import DEFAULT_PASSWORD, fresh_database_url, run_live_server

from tests.e2e.test_web_browser import Person, browser  # noqa: F401  (a pytest fixture)
from tests.plugins.webhooks.receiver import WebhookReceiver

pytestmark = pytest.mark.e2e

WORKFLOW = """name: CI
on: push
jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - run: echo hello
"""
# Addresses that are files, not pages: fetched with the browser's cookies, not navigated to.
DOWNLOADS = (".zip", ".tar.gz", ".svg", ".png", ".patch", ".diff")


@pytest.fixture(scope="module")
def receiver():
    """The local webhook receiver of this test (tests/plugins/webhooks/receiver.py)."""
    server = WebhookReceiver()
    yield server
    server.close()


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("web-every-link")
    with fresh_database_url(tmp) as database_url, \
            run_live_server(tmp, database_url, webhooks={"allowed_host_list": "loopback"}) as live:
        live.plue("admin", "user", "create", "--username", "alice", "--password",
                  DEFAULT_PASSWORD, "--email", "alice@example.org")
        yield live


def addresses(body, base: str, found: dict[str, str], key: str = "") -> dict[str, str]:
    """Every URL under ``base`` in ``body`` that is not an API address, with the field that
    held it."""
    if isinstance(body, dict):
        for name, value in body.items():
            addresses(value, base, found, name)
    elif isinstance(body, list):
        for item in body:
            addresses(item, base, found, key)
    elif isinstance(body, str) and body.startswith(base + "/") and key != "avatar_url":
        path = body[len(base):]
        if not path.startswith("/api/"):
            found.setdefault(body, key)
    return found


def build_scenario(server, receiver) -> dict:
    session = requests.Session()
    session.auth = ("alice", DEFAULT_PASSWORD)

    def api(method: str, path: str, expect: int, **body):
        response = session.request(method, f"{server.url}/api/v1{path}", json=body or None,
                                    timeout=60)
        assert response.status_code == expect, (method, path, response.text)
        return response.json() if response.content else None

    def file(path: str, text: str, **options):
        return api("POST", f"/repos/acme/vault/contents/{path}", 201,
                   content=base64.b64encode(text.encode()).decode(), **options)

    api("POST", "/orgs", 201, username="acme")
    api("POST", "/orgs/acme/teams", 201, name="devs", permission="write",
        units=["repo.code", "repo.issues", "repo.pulls"])
    api("POST", "/orgs/acme/repos", 201, name="vault", private=True, auto_init=True)
    api("POST", "/repos/acme/vault/hooks", 201, type="gitea", active=True,
        events=["push", "create", "delete", "issues", "issue_comment", "pull_request",
                "pull_request_review", "status", "workflow_run", "workflow_job"],
        config={"url": receiver.url, "content_type": "json", "secret": "s3cret"})
    label = api("POST", "/repos/acme/vault/labels", 201, name="bug", color="#ee0701")
    milestone = api("POST", "/repos/acme/vault/milestones", 201, title="v1")
    api("POST", "/repos/acme/vault/issues", 201, title="Crash", body="It breaks",
        labels=[label["id"]], milestone=milestone["id"])
    api("POST", "/repos/acme/vault/issues/1/comments", 201, body="Seen it too")
    file("src/app.py", "print('hello')\n", new_branch="feature/x", message="Add the app")
    api("POST", "/repos/acme/vault/tags", 201, tag_name="v1", target="main")
    pull = api("POST", "/repos/acme/vault/pulls", 201, title="Feature", head="feature/x",
               base="main", body="Fixes #1")
    number = pull["number"]
    review = api("POST", f"/repos/acme/vault/pulls/{number}/reviews", 200, event="COMMENT",
                 body="A look", comments=[{"path": "src/app.py", "new_position": 1,
                                           "body": "This line"}])
    token = api("GET", "/repos/acme/vault/actions/runners/registration-token", 200)["token"]
    runner = ProtocolRunner(transport_for_url(server.url))
    runner.register(token)
    file(".gitea/workflows/ci.yml", WORKFLOW, message="Add CI")
    task = runner.fetch()
    runner.update_task(int(task["id"]), "RESULT_SUCCESS")
    sha = api("GET", "/repos/acme/vault/branches/main", 200)["commit"]["id"]
    run = api("GET", "/repos/acme/vault/actions/runs", 200)["workflow_runs"][0]

    answers = []
    for path in ("/repos/acme/vault", "/orgs/acme", "/users/alice", "/user", "/user/repos",
                 "/orgs/acme/repos", "/orgs/acme/teams", "/repos/search?q=vault",
                 "/repos/acme/vault/issues?state=all", "/repos/acme/vault/issues/1",
                 "/repos/acme/vault/issues/1/comments", "/repos/acme/vault/issues/comments",
                 "/repos/acme/vault/issues/1/timeline", f"/repos/acme/vault/issues/{number}/timeline",
                 "/repos/acme/vault/pulls?state=all", f"/repos/acme/vault/pulls/{number}",
                 f"/repos/acme/vault/pulls/{number}/reviews",
                 f"/repos/acme/vault/pulls/{number}/reviews/{review['id']}/comments",
                 f"/repos/acme/vault/pulls/{number}/commits",
                 f"/repos/acme/vault/pulls/{number}/files", "/repos/acme/vault/commits",
                 f"/repos/acme/vault/git/commits/{sha}", f"/repos/acme/vault/commits/{sha}/status",
                 f"/repos/acme/vault/commits/{sha}/statuses", "/repos/acme/vault/branches",
                 "/repos/acme/vault/branches/feature%2Fx", "/repos/acme/vault/tags",
                 "/repos/acme/vault/tags/v1", "/repos/acme/vault/contents",
                 "/repos/acme/vault/contents/README.md",
                 "/repos/acme/vault/contents/src?ref=feature/x",
                 "/repos/acme/vault/labels", "/repos/acme/vault/milestones",
                 "/repos/acme/vault/actions/runs", f"/repos/acme/vault/actions/runs/{run['id']}",
                 f"/repos/acme/vault/actions/runs/{run['id']}/jobs",
                 "/repos/acme/vault/actions/workflows"):
        answers.append((f"GET {path}", api("GET", path, 200)))
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and not {"push", "workflow_job", "status"} <= {
            delivery.event_type for delivery in receiver.deliveries}:
        time.sleep(0.2)
    for delivery in receiver.deliveries:
        answers.append((f"webhook {delivery.event_type}", receiver.check(delivery, "s3cret")))
    found: dict[str, str] = {}
    for origin, body in answers:
        for url, key in addresses(body, server.url, {}).items():
            found.setdefault(url, f"{origin} {key}")
    return found


def sign_in(person: Person) -> None:
    person.open("/user/login")
    person.fill({"user_name": "alice", "password": DEFAULT_PASSWORD})
    person.click("button.primary")


def navigation_status(person: Person, url: str) -> int:
    person.driver.get(url)
    return person.driver.execute_script(
        "return performance.getEntriesByType('navigation')[0].responseStatus")


def open_each(person: Person, found: dict[str, str], *, owner: bool) -> list[str]:
    """What is wrong with each address, opened by ``person``."""
    problems = []
    for url, origin in sorted(found.items()):
        parts = urllib.parse.urlsplit(url)
        if parts.path.endswith(DOWNLOADS) or "/raw/" in parts.path:
            cookies = {c["name"]: c["value"] for c in person.driver.get_cookies()}
            status = requests.get(url, cookies=cookies, timeout=60,
                                  allow_redirects=True).status_code
        else:
            status = navigation_status(person, url)
        expected = 200 if owner else (404 if parts.path.startswith("/acme/vault") else 200)
        if status != expected:
            problems.append(f"{url} ({origin}): {status}, expected {expected}")
        elif owner and parts.fragment and not person.find_all(f"[id='{parts.fragment}']"):
            problems.append(f"{url} ({origin}): no element #{parts.fragment}")
    return problems


def test_every_page_address_opens_for_its_owner_and_is_a_404_to_a_stranger(
        browser, server, receiver):  # noqa: F811
    found = build_scenario(server, receiver)
    fields = set(found.values())
    # The scenario reached every kind of address this test means to open.
    paths = {urllib.parse.urlsplit(url).path for url in found}
    for kind in ("/acme/vault/issues/", "/acme/vault/pulls/", "/acme/vault/commit/",
                 "/acme/vault/src/branch/", "/acme/vault/archive/", "/acme/vault/compare/",
                 "/acme/vault/actions/runs/", "/jobs/", "/acme/vault/raw/"):
        assert any(kind in path for path in paths), (kind, sorted(found))
    assert any("#issuecomment-" in url for url in found), sorted(found)
    assert any(origin.endswith("target_url") for origin in fields), sorted(fields)
    assert f"{server.url}/acme" in found and f"{server.url}/alice" in found
    assert len(found) >= 30, sorted(found)  # 32 when written

    person = Person(browser, server.url)
    browser.delete_all_cookies()
    sign_in(person)
    problems = open_each(person, found, owner=True)
    browser.delete_all_cookies()
    problems += open_each(person, found, owner=False)
    assert not problems, "\n".join(problems)
