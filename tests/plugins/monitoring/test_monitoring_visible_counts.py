"""The dashboard's and the queues' job counts are those of the repositories the caller may
read (administrators: all), by the same visibility rule as the RunnerHub jobs list; a private
repository's jobs are not counted for someone who cannot see it (issue 11, item 4)."""

from __future__ import annotations

import pytest

from plue_core.testing import basic_auth

WORKFLOW = """
name: CI
on: push
jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - run: echo build
  test:
    runs-on: ubuntu-latest
    steps:
      - run: echo test
"""


@pytest.fixture
def public_and_private_runs(actions_forge):
    """alice/demo (public) and alice/secret (private) each with one run of two queued jobs."""
    actions_forge.push_file(".gitea/workflows/ci.yml", WORKFLOW, "add ci")
    created = actions_forge.api("POST", "/user/repos", {"name": "secret", "private": True,
                                                        "auto_init": True})
    assert created.status_code == 201, created.text
    actions_forge.repo = "alice/secret"
    actions_forge.push_file(".gitea/workflows/ci.yml", WORKFLOW, "add ci")
    assert len(actions_forge.runs()) == 1
    return actions_forge


def _get(forge, path: str, user: str) -> dict:
    response = forge.client.simulate_get(path, headers=basic_auth(user))
    assert response.status_code == 200, response.text
    return response.json["data"]


@pytest.mark.parametrize("user, runs, jobs", [("bob", 1, 2), ("alice", 2, 4), ("root", 2, 4)])
def test_the_dashboard_counts_only_the_runs_and_jobs_the_caller_may_see(
        public_and_private_runs, user, runs, jobs):
    data = _get(public_and_private_runs, "/api/monitoring/dashboard", user)
    assert sum(data["runs"].values()) == runs
    assert sum(data["jobs"].values()) == jobs and data["jobs"]["waiting"] == jobs


@pytest.mark.parametrize("user, waiting", [("bob", 2), ("alice", 4), ("root", 4)])
def test_the_queues_count_only_the_jobs_the_caller_may_see(public_and_private_runs, user,
                                                           waiting):
    data = _get(public_and_private_runs, "/api/queues/status", user)
    assert data["summary"]["total_waiting"] == waiting
    assert [(q["name"], q["waiting"]) for q in data["queues"]] == [("ubuntu-latest", waiting)]
