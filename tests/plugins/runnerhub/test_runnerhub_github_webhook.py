"""POST /api/github/webhook: GitHub's documented workflow_job, push and ping examples, signed
as GitHub signs them, become RunnerHub external jobs (queued, in_progress, completed); bad or
missing signatures, a server without a secret, unhandled events and malformed deliveries are
refused in RunnerHub's error shape and leave nothing behind; a redelivery does nothing twice."""

import copy
import json
import pathlib
import threading

import falcon.testing
import pytest

from plue_core import create_app
from plue_core.db import connection
from plue_core.testing import EventRecorder, make_test_config, migrate
from plue_runnerhub.models import ExternalJob, GitHubDelivery
from plue_runnerhub.testing import data, error, github_delivery, hub, register

SECRET = "It's a Secret to Everybody"
EXAMPLES = pathlib.Path(__file__).parent / "github_documented_examples"


def example(name: str) -> dict:
    return json.loads((EXAMPLES / f"{name}.json").read_text())


@pytest.fixture
def plue_config(tmp_path, plue_database_url):
    return make_test_config(tmp_path, plue_database_url,
                            runnerhub={"github_webhook_secret": SECRET})


def deliver(forge, event: str, payload, *, secret: str = SECRET, delivery_id=None, **headers):
    content_type = headers.pop("content_type", "application/json")
    body, sent = github_delivery(secret, event, payload, delivery_id, content_type)
    sent.update(headers)
    return forge.client.simulate_post("/api/github/webhook", body=body,
                                      headers={k: v for k, v in sent.items() if v is not None})


def hub_jobs(forge) -> list[dict]:
    return data(hub(forge, "GET", "/api/jobs", as_user="root",
                    params={"repository": "Codertocat/Hello-World"}))["jobs"]


def recorded(forge) -> tuple[int, int]:
    with connection(forge.ctx.db):
        return GitHubDelivery.select().count(), ExternalJob.select().count()


def test_a_queued_workflow_job_becomes_a_pending_hub_job_that_a_matching_runner_gets(forge):
    queued = deliver(forge, "workflow_job", example("workflow_job.queued"),
                     delivery_id="72d3162e-cc78-11e3-81ab-4c9367dc0958")
    answer = data(queued)
    assert queued.json["message"] == "Webhook accepted"
    assert answer["delivery_id"] == "72d3162e-cc78-11e3-81ab-4c9367dc0958"
    assert (answer["event"], answer["action"], answer["repository"], answer["sender"],
            answer["duplicate"]) == ("workflow_job", "queued", "Codertocat/Hello-World",
                                     "Codertocat", False)
    [job] = hub_jobs(forge)
    assert job["id"] == answer["job_id"] and job["status"] == "pending"
    assert (job["github_job_id"], job["job_name"], job["workflow_name"], job["labels"]) == \
        (2832853555, "Test workflow", "Build", ["ubuntu-latest"])
    assert job["metadata"] == {
        "branch": "main", "commit_sha": "f83a356ce8d2f2e8b5b6c4b6d6e2d0b5d0f9a3c1",
        "run_id": 940463255, "run_attempt": 1,
        "html_url": "https://github.com/Codertocat/Hello-World/actions/runs/940463255/job/"
                    "2832853555"}
    # GitHub's webhook delegates for nobody: only RunnerHub admins see the job
    assert data(hub(forge, "GET", "/api/jobs", as_user="olga"))["jobs"] == []

    runner, headers = register(forge, labels=("ubuntu-latest", "docker"))
    held = data(hub(forge, "GET", "/api/jobs", as_user=None, headers=headers))["jobs"]
    assert [(j["id"], j["status"], j["runner_id"]) for j in held] == \
        [(job["id"], "assigned", runner["id"])]


def test_a_runner_already_waiting_gets_the_job_at_once(forge):
    runner, headers = register(forge, labels=("ubuntu-latest",))
    hub(forge, "GET", "/api/jobs", as_user=None, headers=headers)  # online
    job_id = data(deliver(forge, "workflow_job", example("workflow_job.queued")))["job_id"]
    job = data(hub(forge, "GET", f"/api/jobs/{job_id}", as_user="root"))
    assert (job["status"], job["runner_id"]) == ("assigned", runner["id"])


def test_in_progress_and_completed_update_the_job(forge):
    job_id = data(deliver(forge, "workflow_job", example("workflow_job.queued")))["job_id"]
    assert data(deliver(forge, "workflow_job", example("workflow_job.in_progress")))["job_id"] \
        == job_id
    running = data(hub(forge, "GET", f"/api/jobs/{job_id}", as_user="root"))
    assert (running["status"], running["started_at"]) == ("running", "2021-06-15T19:22:27Z")
    data(deliver(forge, "workflow_job", example("workflow_job.completed")))
    done = data(hub(forge, "GET", f"/api/jobs/{job_id}", as_user="root"))
    assert (done["status"], done["result"], done["completed_at"]) == \
        ("completed", "success", "2021-06-15T19:22:31Z")
    # a finished job stays finished, whatever GitHub repeats about it
    data(deliver(forge, "workflow_job", example("workflow_job.in_progress")))
    assert data(hub(forge, "GET", f"/api/jobs/{job_id}", as_user="root"))["status"] == \
        "completed"
    assert len(hub_jobs(forge)) == 1


@pytest.mark.parametrize("conclusion, status, result", [
    ("failure", "failed", "failure"), ("cancelled", "failed", "cancelled"),
    ("timed_out", "failed", "failure"), ("skipped", "completed", "skipped")])
def test_a_completed_job_carries_githubs_conclusion(forge, conclusion, status, result):
    payload = example("workflow_job.completed")
    payload["workflow_job"]["conclusion"] = conclusion
    # the queued delivery was lost: the job is recorded when it is first heard of
    job_id = data(deliver(forge, "workflow_job", payload))["job_id"]
    job = data(hub(forge, "GET", f"/api/jobs/{job_id}", as_user="root"))
    assert (job["status"], job["result"]) == (status, result)


def test_a_redelivery_is_answered_but_does_nothing_twice(forge):
    first = deliver(forge, "workflow_job", example("workflow_job.queued"), delivery_id="d-1")
    again = deliver(forge, "workflow_job", example("workflow_job.queued"), delivery_id="d-1")
    assert again.json["message"] == "Delivery already received"
    assert data(again)["duplicate"] is True
    assert data(again)["job_id"] == data(first)["job_id"]
    assert recorded(forge) == (1, 1)
    # GitHub's "redeliver" of another delivery of the same job: one job still
    data(deliver(forge, "workflow_job", example("workflow_job.queued"), delivery_id="d-2"))
    assert recorded(forge) == (2, 1)


def test_two_copies_of_one_delivery_at_once_make_one_job(forge):
    body, headers = github_delivery(SECRET, "workflow_job", example("workflow_job.queued"),
                                    "same-delivery")
    barrier, answers = threading.Barrier(4), []

    def send():
        barrier.wait()
        answers.append(forge.client.simulate_post("/api/github/webhook", body=body,
                                                  headers=headers))

    threads = [threading.Thread(target=send) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(data(answer)["duplicate"] for answer in answers) == [False, True, True, True]
    assert len({data(answer)["job_id"] for answer in answers}) == 1
    assert recorded(forge) == (1, 1)


def test_ping_is_accepted(forge):
    answer = data(deliver(forge, "ping", example("ping")))
    assert (answer["event"], answer["action"], answer["job_id"]) == ("ping", None, None)


def test_a_form_encoded_delivery_is_read_from_its_payload_field(forge):
    answer = data(deliver(forge, "workflow_job", example("workflow_job.queued"),
                          content_type="application/x-www-form-urlencoded"))
    assert answer["job_id"] is not None and len(hub_jobs(forge)) == 1


@pytest.mark.parametrize("signature", [
    None, "", "sha256=" + "0" * 64, "sha1=0123", "not a signature", "sha256=ünïcode"])
def test_a_missing_or_wrong_signature_is_401_and_changes_nothing(forge, signature):
    refused = deliver(forge, "workflow_job", example("workflow_job.queued"),
                      **{"X-Hub-Signature-256": signature})
    error(refused, 401, "AUTHENTICATION_REQUIRED")
    assert "X-Hub-Signature-256" in refused.json["error"]["message"]
    assert recorded(forge) == (0, 0)


def test_a_body_changed_after_signing_is_refused(forge):
    body, headers = github_delivery(SECRET, "workflow_job", example("workflow_job.queued"))
    tampered = body.replace(b"ubuntu-latest", b"gpu-runners!!")
    refused = forge.client.simulate_post("/api/github/webhook", body=tampered, headers=headers)
    error(refused, 401, "AUTHENTICATION_REQUIRED")
    assert recorded(forge) == (0, 0)


def test_another_secret_is_refused(forge):
    error(deliver(forge, "ping", example("ping"), secret="not the secret"), 401,
          "AUTHENTICATION_REQUIRED")


def test_without_a_configured_secret_every_delivery_is_refused(tmp_path, plue_database_url):
    app = create_app(make_test_config(tmp_path, plue_database_url))
    migrate(app)
    try:
        forge = type("Forge", (), {"client": falcon.testing.TestClient(app), "ctx": app.plue})
        for secret in ("", SECRET):
            refused = deliver(forge, "ping", example("ping"), secret=secret)
            assert error(refused, 401, "AUTHENTICATION_REQUIRED")["message"] == \
                "GitHub webhooks are refused: no webhook secret is configured on this server"
        assert recorded(forge) == (0, 0)
    finally:
        app.plue.close()


def test_an_event_not_handled_is_a_400_naming_the_handled_ones(forge):
    refused = deliver(forge, "issues", {"action": "opened", **example("ping")})
    details = error(refused, 400, "VALIDATION_ERROR")["details"]
    assert details == {"field": "X-GitHub-Event", "value": "issues",
                       "expected": "one of workflow_job, push, ping"}
    assert error(deliver(forge, None, example("ping")), 400,
                 "VALIDATION_ERROR")["details"]["field"] == "X-GitHub-Event"
    assert recorded(forge) == (0, 0)


def _broken(change):
    payload = example("workflow_job.queued")
    change(payload)
    return payload


@pytest.mark.parametrize("payload, field", [
    ("{not json", "body"),
    ("[1, 2]", "body"),
    (_broken(lambda p: p.pop("workflow_job")), "workflow_job"),
    (_broken(lambda p: p.update(action="exploded")), "action"),
    (_broken(lambda p: p["workflow_job"].update(id="seven")), "workflow_job.id"),
    (_broken(lambda p: p["workflow_job"].update(labels="ubuntu-latest")), "workflow_job.labels"),
    (_broken(lambda p: p["workflow_job"].update(started_at="yesterday")),
     "workflow_job.started_at"),
    (_broken(lambda p: p["repository"].update(full_name="no-slash")), "repository"),
    (_broken(lambda p: p.pop("repository")), "repository.full_name"),
])
def test_a_malformed_delivery_is_a_400_naming_the_field_and_records_nothing(
        forge, payload, field):
    refused = deliver(forge, "workflow_job", payload)
    assert error(refused, 400, "VALIDATION_ERROR")["details"]["field"] == field
    assert recorded(forge) == (0, 0)


def test_an_unknown_conclusion_is_refused(forge):
    payload = copy.deepcopy(example("workflow_job.completed"))
    payload["workflow_job"]["conclusion"] = "exploded"
    assert error(deliver(forge, "workflow_job", payload), 400,
                 "VALIDATION_ERROR")["details"]["field"] == "workflow_job.conclusion"


def test_a_missing_or_overlong_delivery_id_is_a_400(forge):
    for delivery_id in ("", "x" * 65):
        refused = deliver(forge, "ping", example("ping"), **{"X-GitHub-Delivery": delivery_id})
        assert error(refused, 400, "VALIDATION_ERROR")["details"]["field"] == \
            "X-GitHub-Delivery"
    assert recorded(forge) == (0, 0)


def test_the_secret_is_never_shown_by_plue_config_show(forge):
    assert forge.ctx.config.as_dict(redact=True)["runnerhub"]["github_webhook_secret"] != SECRET


@pytest.fixture
def recorded_app(tmp_path, plue_database_url):
    recorder = EventRecorder()
    app = create_app(make_test_config(tmp_path, plue_database_url,
                                      runnerhub={"github_webhook_secret": SECRET}),
                     plugins=[recorder])
    migrate(app)
    forge = type("Forge", (), {"client": falcon.testing.TestClient(app), "ctx": app.plue})
    yield forge, recorder
    app.plue.close()


def test_each_delivery_is_published_once_as_the_github_webhook_event(recorded_app):
    forge, recorder = recorded_app
    for _ in range(2):
        data(deliver(forge, "push", example("push"), delivery_id="push-1"))
    [event] = recorder.of("github_webhook")
    assert (event.delivery_id, event.github_event, event.action, event.repository) == \
        ("push-1", "push", "", "Codertocat/Hello-World")
    assert event.payload == example("push")


def test_the_event_shares_the_deliverys_transaction(recorded_app):
    forge, recorder = recorded_app
    recorder.fail_on = "github_webhook"  # a listener failing undoes the whole delivery
    failed = deliver(forge, "workflow_job", example("workflow_job.queued"))
    assert failed.status_code == 500
    assert recorded(forge) == (0, 0)
    recorder.fail_on = None
    data(deliver(forge, "workflow_job", example("workflow_job.queued")))
    assert recorded(forge) == (1, 1)
