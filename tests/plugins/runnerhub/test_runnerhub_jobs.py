"""/api/jobs over real actions runs: shapes, filters, pagination, visibility, logs."""

from plue_runnerhub.testing import CI, data, error, hub


def _push_and_claim(forge):
    runner = forge.runner(labels=("ubuntu-latest",))
    forge.push_file(".gitea/workflows/ci.yml", CI, "add ci")
    task = runner.fetch()
    assert task is not None
    return runner, task


def test_listing_jobs_shows_the_seed_fields_and_pagination(actions_forge):
    _runner, _task = _push_and_claim(actions_forge)
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


def test_jobs_filter_by_status_repository_and_runner(actions_forge):
    _runner, _task = _push_and_claim(actions_forge)
    running = data(hub(actions_forge, "GET", "/api/jobs", params={"status": "running"}))
    assert [j["job_name"] for j in running["jobs"]] == ["Build and Test"]
    pending = data(hub(actions_forge, "GET", "/api/jobs", params={"status": "pending"}))
    assert [j["job_name"] for j in pending["jobs"]] == ["deploy"]
    by_repo = data(hub(actions_forge, "GET", "/api/jobs", params={"repository": "alice/demo"}))
    assert by_repo["pagination"]["total"] == 2
    other = data(hub(actions_forge, "GET", "/api/jobs", params={"repository": "alice/none"}))
    assert other["jobs"] == [] and other["pagination"]["total"] == 0
    runner_id = running["jobs"][0]["runner_id"]
    mine = data(hub(actions_forge, "GET", "/api/jobs", params={"runner_id": runner_id}))
    assert [j["runner_id"] for j in mine["jobs"]] == [runner_id]


def test_jobs_paginate_with_limit_and_offset_and_sort(actions_forge):
    _push_and_claim(actions_forge)
    first = data(hub(actions_forge, "GET", "/api/jobs",
                     params={"limit": 1, "offset": 0, "sort": "created_at", "order": "asc"}))
    second = data(hub(actions_forge, "GET", "/api/jobs",
                      params={"limit": 1, "offset": 1, "sort": "created_at", "order": "asc"}))
    assert first["pagination"] == {"total": 2, "limit": 1, "offset": 0, "pages": 2}
    assert second["pagination"]["offset"] == 1
    assert first["jobs"][0]["id"] != second["jobs"][0]["id"]
    assert first["jobs"][0]["job_name"] == "Build and Test"
    by_status = data(hub(actions_forge, "GET", "/api/jobs", params={"sort": "status"}))
    assert [j["status"] for j in by_status["jobs"]] == ["running", "pending"]
    capped = data(hub(actions_forge, "GET", "/api/jobs", params={"limit": 500}))
    assert capped["pagination"]["limit"] == 100


def test_bad_query_parameters_are_validation_errors_naming_the_field(actions_forge):
    for params, field in (({"status": "done"}, "status"), ({"sort": "name"}, "sort"),
                          ({"order": "sideways"}, "order"),
                          ({"repository": "no-slash"}, "repository"),
                          ({"runner_id": "robot"}, "runner_id")):
        problem = error(hub(actions_forge, "GET", "/api/jobs", params=params), 400,
                        "VALIDATION_ERROR")
        assert problem["details"]["field"] == field, problem
    problem = error(hub(actions_forge, "GET", "/api/jobs", params={"repository": "x"}), 400,
                    "VALIDATION_ERROR")
    assert problem["message"] == "Invalid repository format"
    assert problem["details"] == {"field": "repository", "value": "x",
                                  "expected": "owner/repo format"}
    problem = error(hub(actions_forge, "GET", "/api/jobs", params={"limit": "many"}), 400,
                    "VALIDATION_ERROR")
    assert "limit" in problem["message"]
    problem = error(hub(actions_forge, "GET", "/api/jobs", params={"offset": str(10**30)}), 400,
                    "VALIDATION_ERROR")
    assert problem["details"]["field"] == "offset"


def test_jobs_need_authentication(actions_forge):
    error(hub(actions_forge, "GET", "/api/jobs", as_user=None), 401, "AUTHENTICATION_REQUIRED")


def test_a_private_repositorys_jobs_are_invisible_to_other_users(actions_forge):
    _push_and_claim(actions_forge)
    job_id = data(hub(actions_forge, "GET", "/api/jobs"))["jobs"][0]["id"]
    assert data(hub(actions_forge, "GET", "/api/jobs", as_user="bob"))["pagination"]["total"] == 2
    response = actions_forge.api("PATCH", "/repos/alice/demo", {"private": True})
    assert response.status_code == 200, response.text
    hidden = data(hub(actions_forge, "GET", "/api/jobs", as_user="bob"))
    assert hidden["jobs"] == [] and hidden["pagination"]["total"] == 0
    error(hub(actions_forge, "GET", f"/api/jobs/{job_id}", as_user="bob"), 404,
          "RESOURCE_NOT_FOUND")
    error(hub(actions_forge, "GET", f"/api/jobs/{job_id}/logs", as_user="bob"), 404,
          "RESOURCE_NOT_FOUND")
    assert data(hub(actions_forge, "GET", f"/api/jobs/{job_id}", as_user="root"))["id"] == job_id
    assert data(hub(actions_forge, "GET", "/api/queues/status", as_user="bob"))["queues"] == []


def test_job_details_show_progress_from_the_tasks_steps(actions_forge):
    runner, task = _push_and_claim(actions_forge)
    jobs = data(hub(actions_forge, "GET", "/api/jobs", params={"status": "running"}))["jobs"]
    job_id = jobs[0]["id"]
    detail = data(hub(actions_forge, "GET", f"/api/jobs/{job_id}"))
    assert detail["progress"] == {"current_step": "Checkout", "total_steps": 2, "percentage": 0}
    assert detail["logs_url"] == f"/api/jobs/{job_id}/logs"
    assert detail["resource_usage"] is None
    assert detail["updated_at"].endswith("Z")
    assert set(detail["metadata"]) == {"branch", "commit_sha", "pr_number"}
    runner.update_task(int(task["id"]), steps=[
        {"id": "0", "result": "RESULT_SUCCESS", "startedAt": "2026-01-01T00:00:00Z",
         "stoppedAt": "2026-01-01T00:00:01Z", "logIndex": "0", "logLength": "2"},
        {"id": "1", "startedAt": "2026-01-01T00:00:01Z", "logIndex": "2", "logLength": "1"}])
    detail = data(hub(actions_forge, "GET", f"/api/jobs/{job_id}"))
    assert detail["progress"] == {"current_step": "Build", "total_steps": 2, "percentage": 50}
    pending = data(hub(actions_forge, "GET", "/api/jobs", params={"status": "pending"}))["jobs"]
    waiting = data(hub(actions_forge, "GET", f"/api/jobs/{pending[0]['id']}"))
    assert waiting["progress"] == {"current_step": None, "total_steps": 1, "percentage": 0}


def test_unknown_jobs_are_not_found(actions_forge):
    for job_id in ("job_999999", "nonsense", "job_"):
        error(hub(actions_forge, "GET", f"/api/jobs/{job_id}"), 404, "RESOURCE_NOT_FOUND")


def test_job_logs_come_from_the_stored_lines_with_steps_levels_and_filters(actions_forge):
    runner, task = _push_and_claim(actions_forge)
    task_id = int(task["id"])
    runner.call("UpdateLog", {"taskId": str(task_id), "index": "0", "rows": [
        {"time": "2026-01-01T00:00:00Z", "content": "checking out"},
        {"time": "2026-01-01T00:00:05Z", "content": "::warning::shallow clone"},
        {"time": "2026-01-01T00:00:10Z", "content": "building"}], "noMore": False})
    runner.update_task(task_id, steps=[
        {"id": "0", "result": "RESULT_SUCCESS", "logIndex": "0", "logLength": "2"},
        {"id": "1", "logIndex": "2", "logLength": "1"}])
    job_id = data(hub(actions_forge, "GET", "/api/jobs", params={"status": "running"}))["jobs"][0]["id"]
    log = data(hub(actions_forge, "GET", f"/api/jobs/{job_id}/logs"))
    assert log["logs"][0] == {"timestamp": "2026-01-01T00:00:00Z", "level": "info",
                              "message": "checking out", "step": "Checkout"}
    assert log["logs"][1]["level"] == "warning" and log["logs"][2]["step"] == "Build"
    assert log["metadata"]["total_lines"] == 3 and log["metadata"]["job_status"] == "running"
    assert log["metadata"]["complete"] is False and log["metadata"]["last_update"].endswith("Z")
    tail = data(hub(actions_forge, "GET", f"/api/jobs/{job_id}/logs", params={"lines": 1}))
    assert [line["message"] for line in tail["logs"]] == ["building"]
    since = data(hub(actions_forge, "GET", f"/api/jobs/{job_id}/logs",
                     params={"since": "2026-01-01T00:00:05Z", "follow": "true"}))
    assert [line["message"] for line in since["logs"]] == ["::warning::shallow clone", "building"]
    text = hub(actions_forge, "GET", f"/api/jobs/{job_id}/logs", params={"format": "text"})
    assert text.status_code == 200 and text.headers["content-type"].startswith("text/plain")
    assert text.text.splitlines()[-1] == "2026-01-01T00:00:10Z building"
    # Archived at noMore: the same lines come from the log file.
    runner.update_log(task_id, 3, [], no_more=True)
    archived = data(hub(actions_forge, "GET", f"/api/jobs/{job_id}/logs"))
    assert [line["message"] for line in archived["logs"]] == [line["message"] for line in log["logs"]]
    for params, field in (({"format": "xml"}, "format"), ({"lines": "-1"}, "lines"),
                          ({"since": "yesterday"}, "since"), ({"follow": "maybe"}, "follow")):
        problem = error(hub(actions_forge, "GET", f"/api/jobs/{job_id}/logs", params=params),
                        400, "VALIDATION_ERROR")
        assert problem["details"]["field"] == field
