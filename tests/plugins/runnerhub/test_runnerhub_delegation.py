"""POST /api/jobs/delegate starts one job of a workflow as an actions run."""

from plue_core.testing import recorded_statements
from plue_runnerhub.testing import PIPELINE, data, error, hub


def _body(**changes):
    body = {"repository": "alice/demo", "job_id": "123456789", "job_name": "Build and Test",
            "workflow_name": "CI/CD Pipeline", "labels": ["ubuntu-latest", "node"],
            "metadata": {"branch": "main", "pr_number": 42}}
    body.update(changes)
    return body


def test_delegating_a_job_queues_a_run_of_only_that_job(actions_forge):
    actions_forge.push_file(".gitea/workflows/pipeline.yml", PIPELINE, "add pipeline")
    assert actions_forge.runs() == []  # workflow_dispatch only: the push started nothing
    response = hub(actions_forge, "POST", "/api/jobs/delegate", body=_body())
    assert response.json["message"] == "Job delegated successfully"
    delegated = data(response, 201)
    assert delegated["delegation_id"].startswith("del_")
    assert delegated["status"] == "queued" and delegated["runner_id"] is None
    assert delegated["container_id"] is None and delegated["created_at"].endswith("Z")
    runs = actions_forge.runs()
    assert len(runs) == 1 and runs[0]["event"] == "workflow_dispatch"
    assert [job["name"] for job in actions_forge.jobs(runs[0]["id"])] == ["Build and Test"]
    job = data(hub(actions_forge, "GET", f"/api/jobs/{delegated['job_id']}"))
    assert job["metadata"]["pr_number"] == 42 and job["metadata"]["branch"] == "main"
    assert job["labels"] == ["ubuntu-latest", "node"]
    runner = actions_forge.runner(labels=("ubuntu-latest", "node"))
    task = runner.fetch()
    assert task is not None and "echo build" in task["workflowPayload"]
    job = data(hub(actions_forge, "GET", f"/api/jobs/{delegated['job_id']}"))
    assert job["status"] == "running"
    held = data(hub(actions_forge, "GET", f"/api/runners/{job['runner_id']}/status"))
    assert held["name"] == "runner-1" and held["current_job"]["job_id"] == delegated["job_id"]


def test_a_delegated_job_brings_the_jobs_it_needs(actions_forge):
    actions_forge.push_file(".gitea/workflows/pipeline.yml", PIPELINE, "add pipeline")
    sha = actions_forge.api("GET", "/repos/alice/demo/branches/main").json["commit"]["id"]
    delegated = data(hub(actions_forge, "POST", "/api/jobs/delegate", body=_body(
        job_id="deploy", job_name=None, labels=None, workflow_name="pipeline.yml",
        metadata={"commit_sha": sha})), 201)
    run = actions_forge.runs()[0]
    assert sorted(job["name"] for job in actions_forge.jobs(run["id"])) == ["Build and Test", "deploy"]
    job = data(hub(actions_forge, "GET", f"/api/jobs/{delegated['job_id']}"))
    assert job["job_name"] == "deploy" and job["status"] == "pending"
    assert job["metadata"]["commit_sha"] == sha


def test_delegation_errors_name_what_is_wrong(actions_forge):
    actions_forge.push_file(".gitea/workflows/pipeline.yml", PIPELINE, "add pipeline")
    problem = error(hub(actions_forge, "POST", "/api/jobs/delegate",
                        body=_body(repository="invalid-repo")), 400, "VALIDATION_ERROR")
    assert problem["details"] == {"field": "repository", "value": "invalid-repo",
                                  "expected": "owner/repo format"}
    problem = error(hub(actions_forge, "POST", "/api/jobs/delegate",
                        body=_body(workflow_name="Nightly")), 400, "VALIDATION_ERROR")
    assert problem["details"]["field"] == "workflow_name" and "CI/CD Pipeline" in problem["details"]["expected"]
    problem = error(hub(actions_forge, "POST", "/api/jobs/delegate",
                        body=_body(job_id=None, job_name="Package")), 400, "VALIDATION_ERROR")
    assert "build, lint, deploy" in problem["details"]["expected"]
    problem = error(hub(actions_forge, "POST", "/api/jobs/delegate",
                        body=_body(labels=["windows-latest"])), 400, "VALIDATION_ERROR")
    assert problem["details"]["field"] == "labels"
    error(hub(actions_forge, "POST", "/api/jobs/delegate", body={"repository": "alice/demo"}),
          400, "VALIDATION_ERROR")
    error(hub(actions_forge, "POST", "/api/jobs/delegate",
              body=_body(metadata={"commit_sha": "zzz"})), 400, "VALIDATION_ERROR")
    assert actions_forge.runs() == []  # nothing half-made
    error(hub(actions_forge, "POST", "/api/jobs/delegate", body=_body(), as_user="bob"), 403,
          "AUTHORIZATION_FAILED")
    actions_forge.api("PATCH", "/repos/alice/demo", {"private": True})
    # A private repository bob cannot see answers as one Plue does not host: an external job,
    # which bob (RunnerHub viewer) may not delegate.
    hidden = error(hub(actions_forge, "POST", "/api/jobs/delegate", body=_body(), as_user="bob"),
                   403, "AUTHORIZATION_FAILED")
    unhosted = error(hub(actions_forge, "POST", "/api/jobs/delegate",
                         body=_body(repository="octo/widgets"), as_user="bob"),
                     403, "AUTHORIZATION_FAILED")
    assert hidden["message"] == unhosted["message"]
    error(hub(actions_forge, "POST", "/api/jobs/delegate", body=_body(), as_user=None), 401,
          "AUTHENTICATION_REQUIRED")


def test_only_a_delegated_run_has_its_delegation_read(actions_forge):
    """A page of jobs reads the delegations of its workflow_dispatch runs only (the runs
    ``delegate_hosted`` starts): a page of pushes' jobs asks nothing more (issue 13)."""
    actions_forge.push_file(".gitea/workflows/ci.yml", "on: push\njobs:\n  build:\n"
                            "    runs-on: ubuntu-latest\n    steps:\n      - run: echo hi\n")
    statements = []

    def listed() -> list[dict]:
        with recorded_statements(actions_forge.ctx.db) as recorded:
            jobs = data(hub(actions_forge, "GET", "/api/jobs"))["jobs"]
        statements[:] = recorded
        return jobs

    pushed = listed()
    assert len(pushed) == 1 and pushed[0]["metadata"]["pr_number"] is None
    assert not [sql for sql in statements if '"runnerhub_delegation"' in sql], statements
    actions_forge.push_file(".gitea/workflows/pipeline.yml", PIPELINE, "add pipeline")
    delegated = data(hub(actions_forge, "POST", "/api/jobs/delegate", body=_body()), 201)
    both = {job["id"]: job for job in listed()}
    assert both[delegated["job_id"]]["metadata"]["pr_number"] == 42
    assert len([sql for sql in statements if '"runnerhub_delegation"' in sql]) == 1
