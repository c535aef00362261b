"""/api/jobs over real actions runs: shapes, filters, pagination, visibility, logs."""

from tests.plugins.runnerhub.hub import CI, data, error, hub


def _push_and_claim(forge):
    runner = forge.runner(labels=("ubuntu-latest",))
    forge.push_file(".gitea/workflows/ci.yml", CI, "add ci")
    task = runner.fetch()
    assert task is not None
    return runner, task


def test_listing_jobs_shows_the_seed_fields_and_pagination(actions_forge):
    runner, task = _push_and_claim(actions_forge)
    listing = data(hub(actions_forge, "GET", "/api/jobs"))
    assert listing["pagination"] == {"total": 2, "limit": 50, "offset": 0, "pages": 1}
    build = next(j for j in listing["jobs"] if j["job_name"] == "Build and Test")
    assert set(build) >= {"id", "github_job_id", "job_name", "repository", "workflow_name",
                          "status", "runner_id", "container_id", "labels", "started_at",
                          "estimated_completion", "metadata"}
    assert build["id"] == f"job_{build['github_job_id']}"
    assert build["repository"] == "alice/demo" and build["workflow_name"] == "CI"
    assert build["status"] == "running" and build["runner_id"].startswith("runner_")
    assert build["labels"] == ["ubuntu-latest"] and build["container_id"] is None
    assert build["metadata"]["branch"] == "main" and len(build["metadata"]["commit_sha"]) == 40
    assert build["started_at"].endswith("Z")
    deploy = next(j for j in listing["jobs"] if j["job_name"] == "deploy")
    assert deploy["status"] == "pending" and deploy["runner_id"] is None
