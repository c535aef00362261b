"""/api/queues: one queue per runs-on label set; pausing holds jobs back from runners."""

from plue_runnerhub.testing import CI, data, error, hub


def _queue(forge, name, as_user="root"):
    queues = data(hub(forge, "GET", "/api/queues/status", as_user=as_user))["queues"]
    return next(q for q in queues if q["name"] == name)


def test_queue_status_counts_real_jobs_per_label_set(actions_forge):
    runner = actions_forge.runner(labels=("ubuntu-latest",))
    actions_forge.push_file(".gitea/workflows/ci.yml", CI, "add ci")
    status = data(hub(actions_forge, "GET", "/api/queues/status"))
    assert status["queues"] == [
        {"name": "linux,self-hosted", "waiting": 0, "active": 0, "completed": 0, "failed": 0,
         "delayed": 1, "paused": False},
        {"name": "ubuntu-latest", "waiting": 1, "active": 0, "completed": 0, "failed": 0,
         "delayed": 0, "paused": False}]
    assert status["summary"] == {"total_waiting": 1, "total_active": 0, "total_completed": 0,
                                 "total_failed": 0}
    task = runner.fetch()
    assert _queue(actions_forge, "ubuntu-latest")["active"] == 1
    runner.update_task(int(task["id"]), "RESULT_FAILURE")
    assert _queue(actions_forge, "ubuntu-latest")["failed"] == 1
    assert _queue(actions_forge, "linux,self-hosted")["completed"] == 1  # skipped counts done


def test_a_paused_queue_hands_out_nothing_until_resumed(actions_forge):
    runner = actions_forge.runner(labels=("ubuntu-latest",))
    paused = data(hub(actions_forge, "POST", "/api/queues/ubuntu-latest/pause", as_user="root"))
    assert paused["paused"] is True and paused["name"] == "ubuntu-latest"
    actions_forge.push_file(".gitea/workflows/ci.yml", CI, "add ci")
    assert runner.fetch(timeout_ms=0) is None
    assert runner.fetch(timeout_ms=0) is None  # the same version: no pick, still nothing
    assert _queue(actions_forge, "ubuntu-latest")["waiting"] == 1
    resumed = data(hub(actions_forge, "POST", "/api/queues/ubuntu-latest/resume", as_user="root"))
    assert resumed["paused"] is False
    task = runner.fetch(timeout_ms=0)
    assert task is not None and "echo build" in task["workflowPayload"]


def test_pausing_another_queue_does_not_hold_this_one(actions_forge):
    runner = actions_forge.runner(labels=("ubuntu-latest",))
    data(hub(actions_forge, "POST", "/api/queues/self-hosted,linux/pause", as_user="root"))
    assert _queue(actions_forge, "linux,self-hosted")["paused"] is True  # names are sorted
    actions_forge.push_file(".gitea/workflows/ci.yml", CI, "add ci")
    assert runner.fetch(timeout_ms=0) is not None


def test_clearing_failed_jobs_resets_the_count_but_keeps_the_runs(actions_forge):
    runner = actions_forge.runner(labels=("ubuntu-latest",))
    actions_forge.push_file(".gitea/workflows/ci.yml", CI, "add ci")
    runner.update_task(int(runner.fetch()["id"]), "RESULT_FAILURE")
    cleared = data(hub(actions_forge, "DELETE", "/api/queues/ubuntu-latest/failed", as_user="root"))
    assert cleared == {"name": "ubuntu-latest", "cleared": 1}
    assert _queue(actions_forge, "ubuntu-latest")["failed"] == 0
    assert actions_forge.runs()[0]["conclusion"] == "failure"
    failed = data(hub(actions_forge, "GET", "/api/jobs", params={"status": "failed"}))
    assert failed["pagination"]["total"] == 1  # the job's history stays
    # A later failure counts again.
    actions_forge.push_file(".gitea/workflows/ci.yml", CI + "\n", "touch ci")
    runner.update_task(int(runner.fetch()["id"]), "RESULT_FAILURE")
    assert _queue(actions_forge, "ubuntu-latest")["failed"] == 1


def test_only_administrators_switch_queues(actions_forge):
    for method, path in (("POST", "/api/queues/ubuntu-latest/pause"),
                         ("POST", "/api/queues/ubuntu-latest/resume"),
                         ("DELETE", "/api/queues/ubuntu-latest/failed")):
        error(hub(actions_forge, method, path, as_user="alice"), 403, "AUTHORIZATION_FAILED")
        error(hub(actions_forge, method, path, as_user=None), 401, "AUTHENTICATION_REQUIRED")
    error(hub(actions_forge, "POST", "/api/queues/%20/pause", as_user="root"), 400,
          "VALIDATION_ERROR")
    error(hub(actions_forge, "GET", "/api/queues/status", as_user=None), 401,
          "AUTHENTICATION_REQUIRED")
