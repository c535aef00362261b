"""Every page address the Actions API and its commit statuses hand out opens a page for its
viewer: runs, jobs, attempts, workflows, the statuses' ``target_url`` and the run's
``head_commit``/``repository`` links -- collected from the answers, opened in a browser
session (the run page, a job's log page, the workflow file)."""

from __future__ import annotations

import urllib.parse

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
PAGE_KEYS = ("html_url", "target_url")


def page_urls(body, found: set[str]) -> set[str]:
    if isinstance(body, dict):
        for key, value in body.items():
            if key in PAGE_KEYS and isinstance(value, str) and value:
                found.add(value)
            else:
                page_urls(value, found)
    elif isinstance(body, list):
        for item in body:
            page_urls(item, found)
    return found


def test_every_page_address_of_the_actions_api_opens(actions_forge):  # noqa: F811
    forge = actions_forge
    forge.push_file(".gitea/workflows/ci.yml", WORKFLOW, message="Add CI")
    runner = forge.runner()
    task = runner.fetch()
    runner.update_log(int(task["id"]), 0, ["compiling"])
    runner.update_task(int(task["id"]), "RESULT_SUCCESS")
    [run] = forge.runs()
    [job] = forge.jobs(run["id"])
    sha = run["head_sha"]
    found: set[str] = set()
    for path in ("/repos/alice/demo/actions/runs", f"/repos/alice/demo/actions/runs/{run['id']}",
                 f"/repos/alice/demo/actions/runs/{run['id']}/jobs",
                 f"/repos/alice/demo/actions/runs/{run['id']}/attempts/1",
                 f"/repos/alice/demo/actions/jobs/{job['id']}", "/repos/alice/demo/actions/jobs",
                 "/repos/alice/demo/actions/workflows",
                 f"/repos/alice/demo/commits/{sha}/statuses",
                 f"/repos/alice/demo/commits/{sha}/status", f"/repos/alice/demo/statuses/{sha}"):
        response = forge.api("GET", path)
        assert response.status_code == 200, (path, response.text)
        page_urls(response.json, found)
    base = forge.api("GET", "/repos/alice/demo").json["html_url"].rsplit("/alice/demo", 1)[0]
    named = {url[len(base):].split("/")[3] for url in found if url.count("/") > 5}
    assert {"actions", "src"} <= named, sorted(found)
    assert any("/jobs/" in url for url in found), sorted(found)

    browser = Browser(forge.client)
    browser.sign_in("alice")
    for url in sorted(found):
        assert url.startswith(base + "/"), url
        parts = urllib.parse.urlsplit(url[len(base):])
        page = browser.get(parts.path + (f"?{parts.query}" if parts.query else ""))
        assert page.status_code == 200, (url, page.status_code)
