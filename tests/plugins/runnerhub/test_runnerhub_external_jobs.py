"""External jobs: delegations for repositories Plue does not host (seed 002's GitHub jobs),
recorded, handed to hub runners with matching labels, reported on and counted."""

import datetime

from plue_core.db import connection, utcnow
from plue_runnerhub import external_assignment
from plue_actions.models import Runner
from plue_runnerhub.models import ExternalJob
from plue_runnerhub.testing import SEED_DELEGATION, data, delegate, error, hub, register


def poll(forge, headers, **params):
    """What a hub runner does: list its jobs (each call is its heartbeat)."""
    return data(hub(forge, "GET", "/api/jobs", as_user=None, headers=headers, params=params))


def test_a_delegation_for_an_unhosted_repository_waits_pending_for_a_runner(forge):
    delegated = delegate(forge)
    assert delegated["status"] == "queued" and delegated["runner_id"] is None
    assert delegated["job_id"].startswith("job_ext_")
    assert delegated["delegation_id"] == delegated["job_id"].replace("job_ext_", "del_ext_")
    assert delegated["container_id"] is None and delegated["estimated_completion"] is None
    job = data(hub(forge, "GET", f"/api/jobs/{delegated['job_id']}", as_user="olga"))
    assert job["github_job_id"] == 123456789 and job["status"] == "pending"
    assert job["repository"] == "octo/widgets" and job["labels"] == ["ubuntu-latest", "node"]
    assert job["metadata"] == SEED_DELEGATION["metadata"]
    assert job["logs_url"] == f"/api/jobs/{delegated['job_id']}/logs"
    listed = data(hub(forge, "GET", "/api/jobs", as_user="olga",
                      params={"status": "pending", "repository": "octo/widgets"}))
    assert [j["id"] for j in listed["jobs"]] == [delegated["job_id"]]
    assert listed["pagination"] == {"total": 1, "limit": 50, "offset": 0, "pages": 1}
    with connection(forge.ctx.db):
        assert ExternalJob.get_by_id(int(delegated["job_id"].rsplit("_", 1)[1])).queue == \
            "node,ubuntu-latest"


def test_a_matching_runner_takes_the_pending_job_when_it_comes_online(forge):
    job_id = delegate(forge)["job_id"]
    _, other = register(forge, "windows", labels=("windows-latest",))
    assert poll(forge, other)["jobs"] == []  # online, but its labels do not match
    runner, headers = register(forge)
    assert data(hub(forge, "GET", f"/api/jobs/{job_id}", as_user="olga"))["status"] == "pending"
    mine = poll(forge, headers)  # its first call: online now, so the job is handed to it
    assert [(j["id"], j["status"], j["runner_id"]) for j in mine["jobs"]] == \
        [(job_id, "assigned", runner["id"])]
    status = data(hub(forge, "GET", f"/api/runners/{runner['id']}/status", as_user="root"))
    assert status["busy"] is True and status["current_job"]["job_id"] == job_id
    filtered = data(hub(forge, "GET", "/api/jobs", as_user="olga",
                        params={"runner_id": runner["id"], "status": "assigned"}))
    assert [j["id"] for j in filtered["jobs"]] == [job_id]


def test_a_free_online_runner_gets_the_job_at_delegation_up_to_its_capacity(forge):
    runner, headers = register(forge, slots=1)
    poll(forge, headers)
    first = delegate(forge)
    assert first["status"] == "assigned" and first["runner_id"] == runner["id"]
    second = delegate(forge, job_id="123456790")
    assert second["status"] == "queued" and second["runner_id"] is None  # its one slot is taken
    done = hub(forge, "PUT", f"/api/jobs/{first['job_id']}/status", as_user=None,
               headers=headers, body={"status": "completed", "result": "success", "exit_code": 0})
    assert data(done)["status"] == "completed"
    later = data(hub(forge, "GET", f"/api/jobs/{second['job_id']}", as_user="olga"))
    assert later["status"] == "assigned" and later["runner_id"] == runner["id"]  # freed slot


def test_the_holding_runner_reports_status_container_artifacts_and_logs(forge):
    runner, headers = register(forge)
    poll(forge, headers)
    job_id = delegate(forge)["job_id"]
    running = data(hub(forge, "PUT", f"/api/jobs/{job_id}/status", as_user=None, headers=headers,
                       body={"status": "running", "container_id": "container_xyz789"}))
    assert running["status"] == "running" and running["started_at"] is not None
    assert running["container_id"] == "container_xyz789"
    sent = data(hub(forge, "POST", f"/api/jobs/{job_id}/logs", as_user=None, headers=headers,
                    body={"logs": [
                        {"timestamp": "2024-06-23T10:30:15Z", "level": "info",
                         "message": "Starting job execution", "step": "setup"},
                        {"message": "Installing dependencies", "step": "build"}]}), 201)
    assert sent == {"job_id": job_id, "received": 2, "total_lines": 2}
    detail = data(hub(forge, "GET", f"/api/jobs/{job_id}", as_user="olga"))
    assert detail["progress"] == {"current_step": "build", "total_steps": None, "percentage": None}
    finished = data(hub(forge, "PUT", f"/api/jobs/{job_id}/status", as_user=None,
                        headers=headers, body={
                            "status": "completed", "result": "success",
                            "completed_at": "2099-06-23T10:45:00Z", "exit_code": 0,
                            "artifacts": [{"name": "build-artifacts",
                                           "path": "/artifacts/build.zip", "size": 1024000}]}))
    assert finished["status"] == "completed" and finished["result"] == "success"
    assert finished["exit_code"] == 0 and finished["completed_at"] == "2099-06-23T10:45:00Z"
    assert finished["artifacts"] == [{"name": "build-artifacts", "path": "/artifacts/build.zip",
                                      "size": 1024000}]
    assert finished["progress"]["percentage"] == 100
    logs = data(hub(forge, "GET", f"/api/jobs/{job_id}/logs", as_user="olga"))
    assert [(line["timestamp"] is not None, line["message"], line["step"])
            for line in logs["logs"]] == [(True, "Starting job execution", "setup"),
                                          (True, "Installing dependencies", "build")]
    assert logs["logs"][0]["timestamp"] == "2024-06-23T10:30:15Z"
    assert logs["metadata"]["total_lines"] == 2 and logs["metadata"]["complete"] is True
    assert logs["metadata"]["job_status"] == "completed"
    tail = data(hub(forge, "GET", f"/api/jobs/{job_id}/logs", as_user="olga",
                    params={"lines": 1}))
    assert [line["message"] for line in tail["logs"]] == ["Installing dependencies"]
    text = hub(forge, "GET", f"/api/jobs/{job_id}/logs", as_user="olga", params={"format": "text"})
    assert text.text.splitlines()[0] == "2024-06-23T10:30:15Z Starting job execution"
    error(hub(forge, "PUT", f"/api/jobs/{job_id}/status", as_user=None, headers=headers,
              body={"status": "failed"}), 409, "CONFLICT")
    error(hub(forge, "POST", f"/api/jobs/{job_id}/logs", as_user=None, headers=headers,
              body={"logs": [{"message": "late"}]}), 409, "CONFLICT")


def test_a_non_zero_exit_code_fails_the_job(forge):
    _, headers = register(forge)
    poll(forge, headers)
    job_id = delegate(forge)["job_id"]
    failed = data(hub(forge, "PUT", f"/api/jobs/{job_id}/status", as_user=None,
                      headers=headers, body={"status": "completed", "exit_code": 2}))
    assert (failed["status"], failed["result"], failed["exit_code"]) == ("failed", "failure", 2)


def test_only_the_holding_runner_or_an_administrator_reports(forge):
    _, holder = register(forge, "holder")
    poll(forge, holder)
    job_id = delegate(forge)["job_id"]
    _, stranger = register(forge, "stranger")
    error(hub(forge, "PUT", f"/api/jobs/{job_id}/status", as_user=None, headers=stranger,
              body={"status": "running"}), 404, "RESOURCE_NOT_FOUND")
    error(hub(forge, "POST", f"/api/jobs/{job_id}/logs", as_user=None, headers=stranger,
              body={"logs": [{"message": "x"}]}), 404, "RESOURCE_NOT_FOUND")
    error(hub(forge, "PUT", f"/api/jobs/{job_id}/status", as_user="olga",
              body={"status": "failed"}), 403, "AUTHORIZATION_FAILED")
    error(hub(forge, "POST", f"/api/jobs/{job_id}/logs", as_user="olga",
              body={"logs": [{"message": "x"}]}), 403, "AUTHORIZATION_FAILED")
    error(hub(forge, "PUT", f"/api/jobs/{job_id}/status", as_user=None,
              headers={"x-runner-uuid": "nobody", "x-runner-token": "nothing"},
              body={"status": "running"}), 401, "AUTHENTICATION_REQUIRED")
    cancelled = data(hub(forge, "PUT", f"/api/jobs/{job_id}/status", as_user="root",
                         body={"status": "cancelled"}))
    assert (cancelled["status"], cancelled["result"]) == ("failed", "cancelled")


def test_a_pending_job_can_only_be_failed_or_cancelled(forge):
    job_id = delegate(forge)["job_id"]
    error(hub(forge, "PUT", f"/api/jobs/{job_id}/status", as_user="root",
              body={"status": "running"}), 409, "CONFLICT")
    error(hub(forge, "PUT", f"/api/jobs/{job_id}/status", as_user="root",
              body={"status": "completed"}), 409, "CONFLICT")
    failed = data(hub(forge, "PUT", f"/api/jobs/{job_id}/status", as_user="root",
                      body={"status": "failed"}))
    assert (failed["status"], failed["result"], failed["runner_id"]) == ("failed", "failure", None)


def test_who_may_delegate_and_who_sees_external_jobs(forge):
    refused = error(hub(forge, "POST", "/api/jobs/delegate", body=SEED_DELEGATION, as_user="bob"),
                    403, "AUTHORIZATION_FAILED")
    assert "operator" in refused["message"]
    malformed = error(hub(forge, "POST", "/api/jobs/delegate", as_user="olga",
                          body={**SEED_DELEGATION, "repository": "invalid-repo"}),
                      400, "VALIDATION_ERROR")
    assert malformed["details"] == {"field": "repository", "value": "invalid-repo",
                                    "expected": "owner/repo format"}
    for bad in ("-octo/widgets", "octo/wid gets", "octo/..", "a" * 40 + "/x"):
        error(hub(forge, "POST", "/api/jobs/delegate", as_user="olga",
                  body={**SEED_DELEGATION, "repository": bad}), 400, "VALIDATION_ERROR")
    with connection(forge.ctx.db):
        assert ExternalJob.select().count() == 0  # nothing half-made
    job_id = delegate(forge)["job_id"]
    error(hub(forge, "GET", f"/api/jobs/{job_id}", as_user="bob"), 404, "RESOURCE_NOT_FOUND")
    assert data(hub(forge, "GET", "/api/jobs", as_user="bob"))["jobs"] == []
    assert data(hub(forge, "GET", f"/api/jobs/{job_id}", as_user="root"))["id"] == job_id
    error(hub(forge, "GET", "/api/jobs/job_ext_999999", as_user="root"), 404,
          "RESOURCE_NOT_FOUND")
    # The admin's own delegation works too; a hosted repository keeps today's behaviour.
    assert delegate(forge, as_user="root")["status"] == "queued"


def test_hosted_and_external_jobs_list_together_sorted_and_paged(forge):
    forge.push_file(".gitea/workflows/ci.yml", "on: push\njobs:\n  build:\n    runs-on: "
                    "ubuntu-latest\n    steps:\n      - run: echo hi\n", "ci")
    external = [delegate(forge, as_user="root", job_id=str(n))["job_id"] for n in (1, 2)]
    everything = data(hub(forge, "GET", "/api/jobs", as_user="root", params={"order": "asc"}))
    ids = [job["id"] for job in everything["jobs"]]
    assert len(ids) == 3 and ids[1:] == external and ids[0].startswith("job_")
    page = data(hub(forge, "GET", "/api/jobs", as_user="root",
                    params={"limit": 1, "offset": 1, "sort": "created_at", "order": "desc"}))
    assert [j["id"] for j in page["jobs"]] == [external[0]]
    assert page["pagination"] == {"total": 3, "limit": 1, "offset": 1, "pages": 3}
    hosted = data(hub(forge, "GET", "/api/jobs", as_user="root",
                      params={"repository": "alice/demo"}))
    assert [j["repository"] for j in hosted["jobs"]] == ["alice/demo"]
    by_status = data(hub(forge, "GET", "/api/jobs", as_user="root", params={"sort": "status"}))
    assert by_status["pagination"]["total"] == 3
    error(hub(forge, "GET", "/api/jobs", as_user="root", params={"status": "sleeping"}), 400,
          "VALIDATION_ERROR")


def test_external_jobs_count_in_queues_and_metrics(forge):
    delegate(forge)
    runner, headers = register(forge)
    poll(forge, headers)
    delegate(forge, job_id="2")  # the runner takes one job at a time: this one waits
    queue = next(q for q in data(hub(forge, "GET", "/api/queues/status", as_user="olga"))["queues"]
                 if q["name"] == "node,ubuntu-latest")
    assert (queue["waiting"], queue["active"], queue["completed"], queue["failed"]) == (1, 1, 0, 0)
    metrics = data(hub(forge, "GET", "/api/metrics", as_user="root"))
    assert metrics["application"]["active_jobs"] == 1
    first = poll(forge, headers)["jobs"][0]["id"]
    hub(forge, "PUT", f"/api/jobs/{first}/status", as_user=None, headers=headers,
        body={"status": "failed", "exit_code": 1})
    queue = next(q for q in data(hub(forge, "GET", "/api/queues/status", as_user="olga"))["queues"]
                 if q["name"] == "node,ubuntu-latest")
    assert (queue["waiting"], queue["active"], queue["failed"]) == (0, 1, 1)
    metrics = data(hub(forge, "GET", "/api/metrics", as_user="root"))
    assert metrics["application"]["completed_jobs_today"] == 1
    cleared = data(hub(forge, "DELETE", "/api/queues/node,ubuntu-latest/failed", as_user="root"))
    assert cleared == {"name": "node,ubuntu-latest", "cleared": 1}


def test_a_paused_queue_holds_its_external_jobs_until_resumed(forge):
    _, headers = register(forge)
    poll(forge, headers)
    data(hub(forge, "POST", "/api/queues/node,ubuntu-latest/pause", as_user="root"))
    job_id = delegate(forge)["job_id"]
    assert poll(forge, headers)["jobs"] == []
    data(hub(forge, "POST", "/api/queues/node,ubuntu-latest/resume", as_user="root"))
    assert data(hub(forge, "GET", f"/api/jobs/{job_id}", as_user="olga"))["status"] == "assigned"


def test_jobs_of_a_runner_gone_offline_go_to_another(forge):
    first, first_headers = register(forge, "first")
    poll(forge, first_headers)
    job_id = delegate(forge)["job_id"]
    held = data(hub(forge, "GET", f"/api/jobs/{job_id}", as_user="olga"))
    assert held["runner_id"] == first["id"]
    _, second_headers = register(forge, "second")
    poll(forge, second_headers)
    service = forge.ctx.services["actions"]
    with connection(forge.ctx.db):
        Runner.update(last_online=utcnow() - datetime.timedelta(hours=1)) \
            .where(Runner.uuid == first["uuid"]).execute()
        external_assignment.scheduled_pass(service)
    moved = data(hub(forge, "GET", f"/api/jobs/{job_id}", as_user="olga"))
    assert moved["status"] == "assigned" and moved["runner_id"] != first["id"]


def test_estimated_completion_follows_earlier_runs_of_the_same_job(forge):
    _, headers = register(forge)
    poll(forge, headers)
    first = delegate(forge)["job_id"]
    hub(forge, "PUT", f"/api/jobs/{first}/status", as_user=None, headers=headers,
        body={"status": "running"})
    hub(forge, "PUT", f"/api/jobs/{first}/status", as_user=None, headers=headers,
        body={"status": "completed"})
    with connection(forge.ctx.db):  # it took ten minutes
        job = ExternalJob.get_by_id(int(first.rsplit("_", 1)[1]))
        ExternalJob.update(started=job.stopped - datetime.timedelta(minutes=10)) \
            .where(ExternalJob.id == job.id).execute()
    second = delegate(forge, job_id="2")
    assert second["status"] == "assigned" and second["estimated_completion"] is not None
    created = datetime.datetime.fromisoformat(second["created_at"].replace("Z", "+00:00"))
    estimate = datetime.datetime.fromisoformat(
        second["estimated_completion"].replace("Z", "+00:00"))
    assert datetime.timedelta(minutes=9) < estimate - created < datetime.timedelta(minutes=11)


def test_a_container_id_is_refused_for_a_hosted_job(forge):
    forge.push_file(".gitea/workflows/ci.yml", "on: push\njobs:\n  build:\n    runs-on: "
                    "ubuntu-latest\n    steps:\n      - run: echo hi\n", "ci")
    (job,) = data(hub(forge, "GET", "/api/jobs", as_user="root"))["jobs"]
    refused = error(hub(forge, "PUT", f"/api/jobs/{job['id']}/status", as_user="root",
                        body={"status": "failed", "container_id": "c1"}), 400, "VALIDATION_ERROR")
    assert refused["details"]["field"] == "container_id"
    assert data(hub(forge, "GET", f"/api/jobs/{job['id']}", as_user="root"))["status"] == "pending"


def test_log_lines_a_runner_sends_are_validated_with_the_seeds_details(forge):
    _, headers = register(forge)
    poll(forge, headers)
    job_id = delegate(forge)["job_id"]
    for body, field in (({}, "logs"), ({"logs": []}, "logs"), ({"logs": "a line"}, "logs")):
        refused = error(hub(forge, "POST", f"/api/jobs/{job_id}/logs", as_user=None,
                            headers=headers, body=body), 400, "VALIDATION_ERROR")
        assert refused["details"]["field"] == field
        assert "expected" in refused["details"]
