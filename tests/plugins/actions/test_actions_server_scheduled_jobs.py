"""The scheduled jobs: cron schedules, abandoned jobs, expired artifacts, ephemeral runners,
and the stored-secret encryption they rely on."""

import datetime

import pytest

from plue_core.db import connection
from plue_actions import scheduled_jobs
from plue_actions.crypto import SecretBox
from plue_actions.logs import Masker
from plue_actions.models import Artifact, Job, Schedule, Secret
from plue_actions.testing import ONE_JOB, ProtocolRunner, transport_for_client

SCHEDULED = """
name: nightly
on:
  schedule:
    - cron: "0 3 * * *"
jobs:
  nightly:
    runs-on: ubuntu-latest
    steps:
      - run: echo night
"""


def _past() -> datetime.datetime:
    return datetime.datetime.utcnow() - datetime.timedelta(days=3)


def test_a_due_schedule_on_the_default_branch_starts_a_run(actions_forge):
    actions_forge.push_file(".gitea/workflows/nightly.yml", SCHEDULED)
    assert actions_forge.runs() == []
    service = actions_forge.ctx.services["actions"]
    with connection(actions_forge.ctx.db):
        schedule = Schedule.get()
        assert schedule.cron == "0 3 * * *" and schedule.next_run_at.hour == 3
        assert scheduled_jobs.start_schedules(service) == 0  # not due yet
        Schedule.update(next_run_at=_past()).execute()
        assert scheduled_jobs.start_schedules(service) == 1
        assert Schedule.get().next_run_at > datetime.datetime.utcnow()
    run = actions_forge.runs()[0]
    assert run["event"] == "schedule" and run["status"] == "queued"


def test_removing_the_schedule_from_the_default_branch_stops_it(actions_forge):
    actions_forge.push_file(".gitea/workflows/nightly.yml", SCHEDULED)
    actions_forge.push_file(".gitea/workflows/nightly.yml", ONE_JOB, "no more nightly")
    with connection(actions_forge.ctx.db):
        assert Schedule.select().count() == 0


def test_jobs_nobody_picks_are_cancelled_after_the_abandoned_timeout(actions_forge):
    actions_forge.push_file(".gitea/workflows/ci.yml", ONE_JOB)
    with connection(actions_forge.ctx.db):
        service = actions_forge.ctx.services["actions"]
        assert scheduled_jobs.reap_abandoned_jobs(service) == 0
        Job.update(updated=_past()).execute()
        assert scheduled_jobs.reap_abandoned_jobs(service) == 1
    run = actions_forge.runs()[0]
    assert (run["status"], run["conclusion"]) == ("completed", "cancelled")


def test_expired_artifacts_lose_their_files_but_stay_listed(actions_forge):
    runner = actions_forge.runner()
    actions_forge.push_file(".gitea/workflows/ci.yml", ONE_JOB)
    task = runner.fetch()
    auth = {"Authorization": f"Bearer {task['context']['token']}"}
    actions_forge.client.simulate_put(f"/api/actions/artifacts/{task['context']['run_id']}/out",
                                      body=b"data", headers=auth)
    service = actions_forge.ctx.services["actions"]
    with connection(actions_forge.ctx.db):
        artifact = Artifact.get()
        path = service.storage / artifact.storage_path
        assert path.exists()
        Artifact.update(expires_at=_past()).execute()
        assert scheduled_jobs.expire_artifacts(service) == 1
    assert not path.exists()
    shown = actions_forge.api("GET", f"/repos/alice/demo/actions/artifacts/{artifact.id}").json
    assert shown["expired"] is True
    assert actions_forge.api("GET", f"/repos/alice/demo/actions/artifacts/{artifact.id}/zip").status_code == 404


def test_an_ephemeral_runner_is_removed_after_its_job(actions_forge):
    actions_forge.runner()
    ephemeral = ProtocolRunner(transport_for_client(actions_forge.client))
    ephemeral.register(actions_forge.registration_token(), name="once", ephemeral=True)
    actions_forge.push_file(".gitea/workflows/ci.yml", ONE_JOB)
    task = ephemeral.fetch()
    ephemeral.update_task(int(task["id"]), "RESULT_SUCCESS")
    names = [r["name"] for r in actions_forge.api("GET", "/repos/alice/demo/actions/runners").json["runners"]]
    assert names == ["runner-1"]


def test_secrets_are_stored_encrypted_and_only_under_the_same_secret_key(actions_forge):
    assert actions_forge.api("PUT", "/repos/alice/demo/actions/secrets/TOKEN", {"data": "plain-value"}).status_code == 201
    with connection(actions_forge.ctx.db):
        stored = Secret.get().data
    assert "plain-value" not in stored
    assert SecretBox(actions_forge.ctx.secret_key).decrypt(stored) == "plain-value"
    with pytest.raises(ValueError, match="secret_key"):
        SecretBox("another-secret-key-of-enough-length-0123").decrypt(stored)


def test_the_masker_hides_every_line_of_a_multi_line_secret():
    masker = Masker(["first line\nsecond line", ""])
    assert masker.mask("got second line here") == "got *** here"
    assert masker.mask("nothing secret") == "nothing secret"


def test_deleting_an_account_removes_its_owner_scope_secrets_and_runners(actions_forge):
    from plue_actions.models import Runner

    assert actions_forge.api("PUT", "/user/actions/secrets/MINE", {"data": "m"}, as_user="bob").status_code == 201
    token = actions_forge.api("GET", "/user/actions/runners/registration-token", as_user="bob").json["token"]
    ProtocolRunner(transport_for_client(actions_forge.client)).register(token, name="bobs")
    assert actions_forge.api("DELETE", "/admin/users/bob", as_user="root").status_code == 204
    with connection(actions_forge.ctx.db):
        assert Secret.select().where(Secret.name == "MINE").count() == 0
        assert Runner.select().where(Runner.name == "bobs").count() == 0
