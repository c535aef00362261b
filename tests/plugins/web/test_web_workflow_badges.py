"""A workflow's ``badge_url`` (``/actions/workflows/{file}/badge.svg``) is Gitea's status
badge: the workflow's name and the status of its latest run on the default branch (or
``?branch=``, ``?event=``), ``no status`` before any; a private repository's is a 404 to a
stranger."""

from __future__ import annotations

import urllib.parse
import xml.etree.ElementTree as ElementTree

from plue_actions.testing import actions_forge  # noqa: F401  (a pytest fixture)

from tests.plugins.web.conftest import Browser

WORKFLOW = """name: CI
on: push
jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - run: echo compiling
"""


def _badge(browser: Browser, path: str) -> str:
    page = browser.get(path)
    assert page.status_code == 200, (path, page.text)
    assert page.headers["content-type"] == "image/svg+xml"
    svg = ElementTree.fromstring(page.content)
    return svg.get("aria-label")


def test_the_badge_says_the_latest_runs_status_on_a_branch(actions_forge):  # noqa: F811
    forge = actions_forge
    forge.push_file(".gitea/workflows/ci.yml", WORKFLOW, message="Add CI")
    [workflow] = forge.api("GET", "/repos/alice/demo/actions/workflows").json["workflows"]
    parts = urllib.parse.urlsplit(workflow["badge_url"])
    assert parts.path == "/alice/demo/actions/workflows/ci.yml/badge.svg"
    browser = Browser(forge.client)
    browser.sign_in("alice")
    assert _badge(browser, parts.path) == "ci: waiting"
    runner = forge.runner()
    task = runner.fetch()
    assert _badge(browser, parts.path) == "ci: running"
    runner.update_task(int(task["id"]), "RESULT_FAILURE")
    assert _badge(browser, parts.path) == "ci: failure"
    assert _badge(browser, parts.path + "?event=push") == "ci: failure"
    assert _badge(browser, parts.path + "?event=pull_request") == "ci: no status"
    assert _badge(browser, parts.path + "?branch=elsewhere") == "ci: no status"
    assert _badge(browser, "/alice/demo/actions/workflows/none.yml/badge.svg") == \
        "none: no status"


def test_a_private_repositorys_badge_is_a_404_to_a_stranger(actions_forge):  # noqa: F811
    forge = actions_forge
    assert forge.api("PATCH", "/repos/alice/demo", {"private": True}).status_code == 200
    forge.push_file(".gitea/workflows/ci.yml", WORKFLOW, message="Add CI")
    path = "/alice/demo/actions/workflows/ci.yml/badge.svg"
    owner = Browser(forge.client)
    owner.sign_in("alice")
    assert _badge(owner, path) == "ci: waiting"
    assert Browser(forge.client).get(path).status_code == 404
