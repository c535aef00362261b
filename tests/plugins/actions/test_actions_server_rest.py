"""The Gitea actions REST API: runs, jobs, rerun, workflows and dispatch, secrets (both
flows), variables, runners and registration tokens, artifacts, commit statuses, task tokens."""

import base64
import io
import zipfile

import nacl.public

from plue_actions.testing import ONE_JOB


def test_an_invalid_workflow_gives_a_failed_run_showing_the_error(actions_forge):
    actions_forge.push_file(".gitea/workflows/bad.yml", "on: push\njobs:\n  x:\n    steps: 3\n")
    run = actions_forge.runs()[0]
    assert (run["status"], run["conclusion"]) == ("completed", "failure")
    job = actions_forge.jobs(run["id"])[0]
    log = actions_forge.api("GET", f"/repos/alice/demo/actions/jobs/{job['id']}/logs").text
    assert "bad.yml" in log and "jobs.x" in log


def test_skip_ci_in_the_commit_message_starts_nothing(actions_forge):
    actions_forge.push_file(".gitea/workflows/ci.yml", ONE_JOB, "add ci [skip ci]")
    assert actions_forge.runs() == []


def test_branch_filters_decide_which_pushes_run(actions_forge):
    workflow = "on:\n  push:\n    branches: [release]\njobs:\n  a:\n    runs-on: x\n    steps:\n      - run: echo\n"
    actions_forge.push_file(".gitea/workflows/ci.yml", workflow)
    assert actions_forge.runs() == []


def test_runs_list_filters_and_a_private_repository_is_hidden(actions_forge):
    actions_forge.push_file(".gitea/workflows/ci.yml", ONE_JOB, "first")
    actions_forge.push_file("README.md", "changed", "second")
    assert len(actions_forge.runs()) == 2
    listed = actions_forge.api("GET", "/repos/alice/demo/actions/runs", params={"status": "queued", "limit": 1})
    assert listed.json["total_count"] == 2 and len(listed.json["workflow_runs"]) == 1
    assert listed.headers["x-total-count"] == "2"
    run = listed.json["workflow_runs"][0]
    assert run["display_title"] == "second" and run["run_number"] == 2 and run["event"] == "push"
    assert run["head_branch"] == "main" and run["actor"]["login"] == "alice"
    bad = actions_forge.api("GET", "/repos/alice/demo/actions/runs", params={"status": "nope"})
    assert bad.status_code == 400 and "status" in bad.json["message"]
    assert actions_forge.api("PATCH", "/repos/alice/demo", {"private": True}).status_code == 200
    hidden = actions_forge.api("GET", "/repos/alice/demo/actions/runs", as_user="bob")
    assert hidden.status_code == 404
    assert actions_forge.api("GET", "/repos/alice/demo/actions/runs", as_user=None).status_code == 404


def test_rerun_makes_a_new_attempt_and_keeps_the_history(actions_forge):
    runner = actions_forge.runner()
    actions_forge.push_file(".gitea/workflows/ci.yml", ONE_JOB)
    runner.update_task(int(runner.fetch()["id"]), "RESULT_FAILURE")
    run_id = actions_forge.runs()[0]["id"]
    first_job = actions_forge.jobs(run_id)[0]["id"]
    assert actions_forge.api("POST", f"/repos/alice/demo/actions/runs/{run_id}/rerun", as_user="bob").status_code == 403
    rerun = actions_forge.api("POST", f"/repos/alice/demo/actions/runs/{run_id}/rerun")
    assert rerun.status_code == 201 and rerun.json["run_attempt"] == 2
    assert rerun.json["status"] == "queued"
    jobs = actions_forge.jobs(run_id)
    assert len(jobs) == 1 and jobs[0]["id"] != first_job and jobs[0]["run_attempt"] == 2
    old = actions_forge.api("GET", f"/repos/alice/demo/actions/jobs/{first_job}")
    assert old.json["conclusion"] == "failure"
    runner.update_task(int(runner.fetch()["id"]), "RESULT_SUCCESS")
    assert actions_forge.runs()[0]["conclusion"] == "success"
    assert actions_forge.api("DELETE", f"/repos/alice/demo/actions/runs/{run_id}").status_code == 204
    assert actions_forge.runs() == []


def test_workflows_list_disable_and_dispatch_with_inputs(actions_forge):
    workflow = ONE_JOB.replace(
        "on: [push]",
        "on:\n  workflow_dispatch:\n    inputs:\n      level:\n        type: choice\n        options: [low, high]\n        required: true")
    actions_forge.push_file(".gitea/workflows/manual.yml", workflow)
    listed = actions_forge.api("GET", "/repos/alice/demo/actions/workflows").json
    assert listed["total_count"] == 1 and listed["workflows"][0]["id"] == "manual.yml"
    assert listed["workflows"][0]["state"] == "active"
    missing = actions_forge.api("POST", "/repos/alice/demo/actions/workflows/manual.yml/dispatches",
                                {"ref": "main"})
    assert missing.status_code == 422 and "level" in missing.json["message"]
    started = actions_forge.api("POST", "/repos/alice/demo/actions/workflows/manual.yml/dispatches",
                                {"ref": "main", "inputs": {"level": "high"}},
                                params={"return_run_details": "true"})
    assert started.status_code == 200, started.text
    run = actions_forge.api("GET", f"/repos/alice/demo/actions/runs/{started.json['workflow_run_id']}").json
    assert run["event"] == "workflow_dispatch"
    runner = actions_forge.runner()
    task = runner.fetch()
    assert task["context"]["event"]["inputs"] == {"level": "high"}
    assert actions_forge.api("PUT", "/repos/alice/demo/actions/workflows/manual.yml/disable").status_code == 204
    refused = actions_forge.api("POST", "/repos/alice/demo/actions/workflows/manual.yml/dispatches",
                                {"ref": "main", "inputs": {"level": "low"}})
    assert refused.status_code == 422 and "disabled" in refused.json["message"]
    assert actions_forge.api("GET", "/repos/alice/demo/actions/workflows/nope.yml").status_code == 404


def test_secrets_accept_plaintext_and_sealed_boxes_and_never_return_values(actions_forge):
    base = "/repos/alice/demo/actions/secrets"
    assert actions_forge.api("PUT", f"{base}/PLAIN", {"data": "v1"}).status_code == 201
    assert actions_forge.api("PUT", f"{base}/plain", {"data": "v2"}).status_code == 204
    key = actions_forge.api("GET", f"{base}/public-key").json
    sealed = nacl.public.SealedBox(nacl.public.PublicKey(base64.b64decode(key["key"]))).encrypt(b"sealed-value")
    body = {"encrypted_value": base64.b64encode(sealed).decode(), "key_id": key["key_id"]}
    assert actions_forge.api("PUT", f"{base}/SEALED", body).status_code == 201
    garbage = actions_forge.api("PUT", f"{base}/BAD", {"encrypted_value": "encrypted_secret_value"})
    assert garbage.status_code == 422 and "sealed box" in garbage.json["message"]
    listed = actions_forge.api("GET", base)
    assert [s["name"] for s in listed.json] == ["PLAIN", "SEALED"]
    assert "v2" not in listed.text and "sealed-value" not in listed.text
    assert actions_forge.api("PUT", f"{base}/GITHUB_X", {"data": "x"}).status_code == 400
    assert actions_forge.api("GET", base, as_user="bob").status_code == 403  # a reader, not an admin
    assert actions_forge.api("POST", "/orgs", {"username": "acme"}).status_code == 201
    assert actions_forge.api("PUT", "/orgs/acme/actions/secrets/ORG_ONE", {"data": "o"}).status_code == 201
    assert actions_forge.api("PUT", "/orgs/acme/actions/secrets/X", {"data": "o"}, as_user="bob").status_code == 403
    assert actions_forge.api("PUT", "/user/actions/secrets/MINE", {"data": "m"}, as_user="bob").status_code == 201
    runner = actions_forge.runner()
    actions_forge.push_file(".gitea/workflows/ci.yml", ONE_JOB)
    secrets = runner.fetch()["secrets"]
    assert secrets["PLAIN"] == "v2" and secrets["SEALED"] == "sealed-value"
    assert "MINE" not in secrets and "ORG_ONE" not in secrets
    assert actions_forge.api("DELETE", f"{base}/PLAIN").status_code == 204
    assert actions_forge.api("DELETE", f"{base}/PLAIN").status_code == 404


def test_variables_crud_and_the_vars_context(actions_forge):
    base = "/repos/alice/demo/actions/variables"
    assert actions_forge.api("POST", f"{base}/greeting", {"value": "hello"}).status_code == 201
    assert actions_forge.api("POST", f"{base}/GREETING", {"value": "again"}).status_code == 409
    assert actions_forge.api("GET", f"{base}/greeting").json["data"] == "hello"
    assert actions_forge.api("PUT", f"{base}/GREETING", {"value": "hi", "name": "SALUTE"}).status_code == 204
    assert [v["name"] for v in actions_forge.api("GET", base).json] == ["SALUTE"]
    assert actions_forge.api("POST", f"{base}/EMPTY", {"value": ""}).status_code == 422
    runner = actions_forge.runner()
    actions_forge.push_file(".gitea/workflows/ci.yml", ONE_JOB)
    assert runner.fetch()["vars"] == {"SALUTE": "hi"}
    assert actions_forge.api("DELETE", f"{base}/SALUTE").status_code == 204


def test_registration_tokens_and_runners_for_every_scope(actions_forge):
    for prefix, user in (("/repos/alice/demo", "alice"), ("/user", "bob"), ("/admin", "root")):
        got = actions_forge.api("GET", f"{prefix}/actions/runners/registration-token", as_user=user)
        assert got.status_code == 200 and set(got.json) == {"token", "expires_at"}
        again = actions_forge.api("GET", f"{prefix}/actions/runners/registration-token", as_user=user)
        assert again.json["token"] == got.json["token"]
        fresh = actions_forge.api("POST", f"{prefix}/actions/runners/registration-token", as_user=user)
        assert fresh.json["token"] != got.json["token"]
    assert actions_forge.api("GET", "/admin/actions/runners", as_user="alice").status_code == 403
    runner = actions_forge.runner(labels=("linux", "x64"))
    listed = actions_forge.api("GET", "/repos/alice/demo/actions/runners").json
    assert listed["total_count"] == 1
    shown = listed["runners"][0]
    assert shown["status"] == "online" and shown["busy"] is False
    assert [label["name"] for label in shown["labels"]] == ["linux", "x64"]
    assert actions_forge.api("GET", "/user/actions/runners", as_user="bob").json["total_count"] == 0
    runner_id = shown["id"]
    assert actions_forge.api("PATCH", f"/repos/alice/demo/actions/runners/{runner_id}",
                             {"disabled": True}).json["disabled"] is True
    assert actions_forge.api("DELETE", f"/repos/alice/demo/actions/runners/{runner_id}").status_code == 204
    assert runner.call("FetchTask", {}, expect=401)["code"] == "unauthenticated"


def test_artifacts_upload_with_the_task_token_and_download_through_rest(actions_forge):
    runner = actions_forge.runner()
    actions_forge.push_file(".gitea/workflows/ci.yml", ONE_JOB)
    task = runner.fetch()
    token, run_id = task["context"]["token"], task["context"]["run_id"]
    client = actions_forge.client
    auth = {"Authorization": f"Bearer {token}"}
    up = client.simulate_put(f"/api/actions/artifacts/{run_id}/report.txt", body=b"hello artifact", headers=auth)
    assert up.status_code == 201 and up.json["size"] == 14
    dup = client.simulate_put(f"/api/actions/artifacts/{run_id}/report.txt", body=b"x", headers=auth)
    assert dup.status_code == 409 and dup.json["code"] == "already_exists"
    assert client.simulate_put(f"/api/actions/artifacts/{run_id}/x", body=b"x").status_code == 401
    down = client.simulate_get(f"/api/actions/artifacts/{run_id}/report.txt", headers=auth)
    assert down.content == b"hello artifact"
    listed = actions_forge.api("GET", f"/repos/alice/demo/actions/runs/{run_id}/artifacts").json
    assert listed["total_count"] == 1 and listed["artifacts"][0]["name"] == "report.txt"
    artifact_id = listed["artifacts"][0]["id"]
    archive = actions_forge.api("GET", f"/repos/alice/demo/actions/artifacts/{artifact_id}/zip")
    assert archive.headers["content-type"] == "application/zip"
    assert zipfile.ZipFile(io.BytesIO(archive.content)).read("report.txt") == b"hello artifact"
    assert actions_forge.api("DELETE", f"/repos/alice/demo/actions/artifacts/{artifact_id}").status_code == 204
    assert actions_forge.api("GET", "/repos/alice/demo/actions/artifacts").json["total_count"] == 0


def test_the_task_token_reads_its_repository_only_and_never_writes(actions_forge):
    actions_forge.api("POST", "/user/repos", {"name": "other", "private": True})
    runner = actions_forge.runner()
    actions_forge.push_file(".gitea/workflows/ci.yml", ONE_JOB)
    task = runner.fetch()
    auth = {"Authorization": f"token {task['context']['token']}"}
    assert actions_forge.api("GET", "/repos/alice/demo", as_user=None, headers=auth).status_code == 200
    assert actions_forge.api("GET", "/repos/alice/other", as_user=None, headers=auth).status_code == 401
    write = actions_forge.api("PATCH", "/repos/alice/demo", {"description": "x"}, as_user=None, headers=auth)
    assert write.status_code == 403
    runner.update_task(int(task["id"]), "RESULT_SUCCESS")
    assert actions_forge.api("GET", "/repos/alice/demo", as_user=None, headers=auth).status_code == 401


def test_each_job_posts_a_commit_status(actions_forge):
    runner = actions_forge.runner()
    pushed = actions_forge.push_file(".gitea/workflows/ci.yml", ONE_JOB)
    sha = pushed["commit"]["sha"]
    combined = actions_forge.api("GET", f"/repos/alice/demo/commits/{sha}/status").json
    assert combined["state"] == "pending" and combined["statuses"][0]["context"] == "CI / build (push)"
    runner.update_task(int(runner.fetch()["id"]), "RESULT_SUCCESS")
    combined = actions_forge.api("GET", "/repos/alice/demo/commits/main/status").json
    assert combined["state"] == "success" and combined["total_count"] == 1
    history = actions_forge.api("GET", f"/repos/alice/demo/commits/{sha}/statuses").json
    assert [s["status"] for s in history][0] == "success" and len(history) >= 2
    posted = actions_forge.api("POST", f"/repos/alice/demo/statuses/{sha}",
                               {"state": "failure", "context": "lint"})
    assert posted.status_code == 201
    assert actions_forge.api("GET", f"/repos/alice/demo/commits/{sha}/status").json["state"] == "failure"


def test_deleting_a_repository_removes_its_runs_secrets_and_runners(actions_forge):
    from plue_core.db import connection
    from plue_actions.models import Run, Runner, Secret, Task

    runner = actions_forge.runner()
    assert actions_forge.api("PUT", "/repos/alice/demo/actions/secrets/S", {"data": "v"}).status_code == 201
    actions_forge.push_file(".gitea/workflows/ci.yml", ONE_JOB)
    task = runner.fetch()
    runner.update_log(int(task["id"]), 0, ["done"], no_more=True)
    assert actions_forge.api("DELETE", "/repos/alice/demo").status_code == 204
    with connection(actions_forge.ctx.db):
        assert Run.select().count() == Task.select().count() == 0
        assert Secret.select().count() == Runner.select().count() == 0
    assert not list((actions_forge.ctx.services["actions"].storage / "logs").rglob("*.log"))
    auth = {"Authorization": f"token {task['context']['token']}"}
    assert actions_forge.api("GET", "/repos/alice/demo", as_user=None, headers=auth).status_code == 401


def test_admin_and_user_job_lists_show_queued_work_and_attempts_keep_history(actions_forge):
    runner = actions_forge.runner()
    actions_forge.push_file(".gitea/workflows/ci.yml", ONE_JOB)
    queued = actions_forge.api("GET", "/admin/actions/jobs", params={"status": "queued"}, as_user="root")
    assert queued.status_code == 200 and queued.json["total_count"] == 1
    assert queued.json["jobs"][0]["labels"] == ["ubuntu-latest"]
    assert actions_forge.api("GET", "/admin/actions/jobs", as_user="alice").status_code == 403
    assert actions_forge.api("GET", "/user/actions/runs").json["total_count"] == 1
    assert actions_forge.api("GET", "/user/actions/runs", as_user="bob").json["total_count"] == 0
    runner.update_task(int(runner.fetch()["id"]), "RESULT_FAILURE")
    run_id = actions_forge.runs()[0]["id"]
    actions_forge.api("POST", f"/repos/alice/demo/actions/runs/{run_id}/rerun")
    first = actions_forge.api("GET", f"/repos/alice/demo/actions/runs/{run_id}/attempts/1").json
    assert first["run_attempt"] == 1 and first["conclusion"] == "failure"
    jobs = actions_forge.api("GET", f"/repos/alice/demo/actions/runs/{run_id}/attempts/1/jobs").json
    assert jobs["total_count"] == 1 and jobs["jobs"][0]["conclusion"] == "failure"
    assert actions_forge.api("GET", f"/repos/alice/demo/actions/runs/{run_id}/attempts/3").status_code == 404


def test_a_run_carries_the_whole_repository_as_the_repository_api_shows_it(actions_forge):
    actions_forge.push_file(".gitea/workflows/ci.yml", ONE_JOB)
    [listed] = actions_forge.runs()
    run = actions_forge.api("GET", f"/repos/alice/demo/actions/runs/{listed['id']}").json
    as_the_repository_api = actions_forge.api("GET", "/repos/alice/demo").json
    # Gitea's ActionWorkflowRun: repository and head_repository are whole Repository objects.
    for rendered in (listed, run):
        assert rendered["repository"] == as_the_repository_api
        assert rendered["head_repository"] == as_the_repository_api
    assert run["repository"]["permissions"] == {"admin": True, "push": True, "pull": True}
    assert {"branch_count", "open_pr_counter", "allow_merge_commits", "internal_tracker",
            "topics"} <= set(run["repository"])
    assert "parent" not in run["repository"]  # Gitea's omitempty: a repository that is no fork
    across = actions_forge.api("GET", "/admin/actions/runs", as_user="root").json
    assert across["workflow_runs"][0]["repository"] == actions_forge.api(
        "GET", "/repos/alice/demo", as_user="root").json
