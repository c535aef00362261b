"""PUT /api/jobs/{id}/status goes through the actions finishing path: the run moves on."""

from plue_runnerhub.testing import CI, data, error, hub


def _running(forge):
    runner = forge.runner(labels=("ubuntu-latest",))
    forge.push_file(".gitea/workflows/ci.yml", CI, "add ci")
    task = runner.fetch()
    jobs = data(hub(forge, "GET", "/api/jobs", params={"sort": "created_at", "order": "asc"}))
    return runner, task, jobs["jobs"][0]["id"], jobs["jobs"][1]["id"]


def test_the_runner_holding_a_job_completes_it_and_the_job_that_needs_it_is_queued(actions_forge):
    runner, task, build, deploy = _running(actions_forge)
    body = {"status": "completed", "result": "success", "completed_at": "2024-06-23T10:45:00Z",
            "exit_code": 0, "artifacts": [{"name": "build-artifacts", "path": "/artifacts/build.zip",
                                           "size": 1024000}]}
    done = data(hub(actions_forge, "PUT", f"/api/jobs/{build}/status", as_user=None, body=body,
                    headers=runner.headers))
    assert done["status"] == "completed" and done["result"] == "success"
    assert done["progress"]["percentage"] == 100
    after = data(hub(actions_forge, "GET", f"/api/jobs/{deploy}"))
    assert after["status"] == "pending" and after["result"] is None
    run = actions_forge.runs()[0]
    jobs = {job["name"]: job for job in actions_forge.jobs(run["id"])}
    assert jobs["Build and Test"]["conclusion"] == "success"
    assert jobs["deploy"]["status"] == "queued"  # Blocked -> Waiting: needs were decided
    statuses = actions_forge.api("GET", f"/repos/alice/demo/commits/{run['head_sha']}/statuses")
    assert any(s["status"] == "success" for s in statuses.json), statuses.json
    # The runner is told on its next UpdateTask that the task is over.
    answer = runner.update_task(int(task["id"]))
    assert answer["state"]["result"] == "RESULT_SUCCESS"
    error(hub(actions_forge, "PUT", f"/api/jobs/{build}/status", as_user=None, body=body,
              headers=runner.headers), 409, "CONFLICT")


def test_a_non_zero_exit_code_fails_the_job_and_the_run(actions_forge):
    runner, _task, build, deploy = _running(actions_forge)
    failed = data(hub(actions_forge, "PUT", f"/api/jobs/{build}/status", as_user=None,
                      body={"status": "completed", "exit_code": 2}, headers=runner.headers))
    assert (failed["status"], failed["result"]) == ("failed", "failure")
    assert data(hub(actions_forge, "GET", f"/api/jobs/{deploy}"))["result"] == "skipped"
    run = actions_forge.runs()[0]
    assert (run["status"], run["conclusion"]) == ("completed", "failure")


def test_running_is_a_heartbeat_from_the_runner(actions_forge):
    runner, _task, build, _deploy = _running(actions_forge)
    beat = data(hub(actions_forge, "PUT", f"/api/jobs/{build}/status", as_user=None,
                    body={"status": "running"}, headers=runner.headers))
    assert beat["status"] == "running"


def test_only_the_holding_runner_or_an_administrator_may_set_a_status(actions_forge):
    runner, task, build, _deploy = _running(actions_forge)
    other = actions_forge.runner(labels=("ubuntu-latest",), name="other")
    error(hub(actions_forge, "PUT", f"/api/jobs/{build}/status", as_user=None,
              body={"status": "failed"}, headers=other.headers), 403, "AUTHORIZATION_FAILED")
    error(hub(actions_forge, "PUT", f"/api/jobs/{build}/status", as_user=None,
              body={"status": "failed"}, headers={"x-runner-uuid": runner.uuid,
                                                  "x-runner-token": "wrong"}),
          401, "AUTHENTICATION_REQUIRED")
    error(hub(actions_forge, "PUT", f"/api/jobs/{build}/status", as_user="alice",
              body={"status": "failed"}), 403, "AUTHORIZATION_FAILED")
    error(hub(actions_forge, "PUT", f"/api/jobs/{build}/status", as_user=None,
              body={"status": "failed"}), 401, "AUTHENTICATION_REQUIRED")
    cancelled = data(hub(actions_forge, "PUT", f"/api/jobs/{build}/status", as_user="root",
                         body={"status": "cancelled"}))
    assert (cancelled["status"], cancelled["result"]) == ("failed", "cancelled")
    assert runner.update_task(int(task["id"]))["state"]["result"] == "RESULT_CANCELLED"


def test_an_administrator_may_fail_a_waiting_job_but_not_complete_it(actions_forge):
    actions_forge.push_file(".gitea/workflows/ci.yml", CI, "add ci")
    build = data(hub(actions_forge, "GET", "/api/jobs", params={"status": "pending",
                                                                 "order": "asc"}))["jobs"][0]
    error(hub(actions_forge, "PUT", f"/api/jobs/{build['id']}/status", as_user="root",
              body={"status": "completed"}), 409, "CONFLICT")
    error(hub(actions_forge, "PUT", f"/api/jobs/{build['id']}/status", as_user="root",
              body={"status": "running"}), 409, "CONFLICT")
    failed = data(hub(actions_forge, "PUT", f"/api/jobs/{build['id']}/status", as_user="root",
                      body={"status": "failed"}))
    assert failed["result"] == "failure"
    run = actions_forge.runs()[0]
    assert run["conclusion"] == "failure"


def test_status_bodies_are_validated(actions_forge):
    runner, _task, build, _deploy = _running(actions_forge)
    for body, field in (({}, "status"), ({"status": "done"}, "status"),
                        ({"status": "completed", "result": "great"}, "result"),
                        ({"status": "completed", "completed_at": "soon"}, "completed_at"),
                        ({"status": "completed", "artifacts": [{"size": 1}]}, "artifacts")):
        problem = error(hub(actions_forge, "PUT", f"/api/jobs/{build}/status", as_user=None,
                            body=body, headers=runner.headers), 400, "VALIDATION_ERROR")
        assert field in problem["message"], problem
