"""RunnerHub's body integers at the ends of 64 bits (docs/plugins.md, section 5, body integers):
a delegation's ``metadata.pr_number`` is a pull request's number, Gitea's and GitHub's int64,
kept whole (a BIGINT: PostgreSQL's INTEGER refused one past 2**31 - 1 with a 500); a job's
``exit_code`` is a process's, 32 bits, and an artifact's ``size`` 64: past them a 400 naming
the field (past 64 bits SQLite could not even bind the value: a 500)."""

from __future__ import annotations

import pytest

from plue_core.integers import INT64_MAX, INT64_MIN
from plue_runnerhub.testing import PIPELINE, data, error, hub

DELEGATE = {"repository": "alice/demo", "job_id": "123456789", "job_name": "Build and Test",
            "workflow_name": "CI/CD Pipeline", "labels": ["ubuntu-latest", "node"]}


@pytest.mark.parametrize("number", [2 ** 31, 2 ** 53, INT64_MAX])
def test_a_delegation_keeps_a_64_bit_pull_request_number(actions_forge, number):
    actions_forge.push_file(".gitea/workflows/pipeline.yml", PIPELINE, "add pipeline")
    body = {**DELEGATE, "metadata": {"branch": "main", "pr_number": number}}
    delegated = data(hub(actions_forge, "POST", "/api/jobs/delegate", body=body), 201)
    job = data(hub(actions_forge, "GET", f"/api/jobs/{delegated['job_id']}"))
    assert job["metadata"]["pr_number"] == number


@pytest.mark.parametrize("number", [INT64_MAX + 1, INT64_MIN, 0])
def test_a_pull_request_number_outside_1_to_int64_is_a_400_naming_it(actions_forge, number):
    body = {**DELEGATE, "metadata": {"branch": "main", "pr_number": number}}
    details = error(hub(actions_forge, "POST", "/api/jobs/delegate", body=body), 400,
                    "VALIDATION_ERROR")["details"]
    assert details["field"] == "metadata.pr_number" and details["value"] == number


@pytest.mark.parametrize("body, field", [
    ({"status": "failed", "exit_code": 2 ** 31}, "exit_code"),
    ({"status": "failed", "exit_code": -2 ** 31 - 1}, "exit_code"),
    ({"status": "failed", "exit_code": INT64_MAX}, "exit_code"),
    ({"status": "failed", "artifacts": [{"name": "a", "size": INT64_MAX + 1}]},
     "artifacts.0.size"),
])
def test_a_job_status_number_past_its_domain_is_a_400_naming_it(actions_forge, body, field):
    """On an external job (a repository Plue does not host), which keeps both."""
    external = {**DELEGATE, "repository": "someone/elsewhere"}
    job = data(hub(actions_forge, "POST", "/api/jobs/delegate", as_user="root", body=external),
               201)
    response = hub(actions_forge, "PUT", f"/api/jobs/{job['job_id']}/status", as_user="root",
                   body=body)
    details = error(response, 400, "VALIDATION_ERROR")["details"]
    assert details["field"] == field, details


@pytest.mark.parametrize("code", [-2 ** 31, 2 ** 31 - 1])
def test_an_external_job_keeps_a_32_bit_exit_code(actions_forge, code):
    external = {**DELEGATE, "repository": "someone/elsewhere"}
    job = data(hub(actions_forge, "POST", "/api/jobs/delegate", as_user="root", body=external),
               201)
    data(hub(actions_forge, "PUT", f"/api/jobs/{job['job_id']}/status", as_user="root",
             body={"status": "failed", "exit_code": code}))
    kept = data(hub(actions_forge, "GET", f"/api/jobs/{job['job_id']}", as_user="root"))
    assert kept["exit_code"] == code
