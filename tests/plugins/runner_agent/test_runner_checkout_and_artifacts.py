"""actions/checkout against the real server (gunicorn, smart HTTP, a repository pushed with
git) and the artifact actions against the artifact endpoint of the protocol double, with the
host and the Docker backends."""

from __future__ import annotations

import io
import os
import subprocess
import zipfile

import pytest

from plue_workflows.statuses import Status


def git(cwd, *args) -> str:
    env = {**os.environ, "GIT_AUTHOR_NAME": "A", "GIT_AUTHOR_EMAIL": "a@example.com",
           "GIT_COMMITTER_NAME": "A", "GIT_COMMITTER_EMAIL": "a@example.com",
           "GIT_TERMINAL_PROMPT": "0"}
    return subprocess.run(["git", *args], cwd=cwd, env=env, check=True, capture_output=True,
                          text=True).stdout.strip()


@pytest.fixture
def hosted_repo(live_server, tmp_path):
    """alice/demo on the live server with three commits on main, a tag v1 on the first and
    a branch feature; returns (server url, access token, shas oldest first)."""
    live_server.plue("admin", "user", "create", "--username", "alice", "--email",
                     "alice@example.com", "--password", "checkout-password-1")
    token = live_server.plue("admin", "token", "create", "--username", "alice",
                             "--name", "t").stdout.strip()
    import requests
    reply = requests.post(f"{live_server.url}/api/v1/user/repos", json={"name": "demo",
                          "private": True}, headers={"Authorization": f"token {token}"},
                          timeout=30)
    assert reply.status_code == 201, reply.text
    work = tmp_path / "src"
    work.mkdir()
    git(work, "init", "-q", "-b", "main")
    shas = []
    for number in (1, 2, 3):
        (work / "version.txt").write_text(f"v{number}\n")
        git(work, "add", "-A")
        git(work, "commit", "-q", "-m", f"commit {number}")
        shas.append(git(work, "rev-parse", "HEAD"))
        if number == 1:
            git(work, "tag", "v1")
            git(work, "branch", "feature")
    host = live_server.url.removeprefix("http://")
    git(work, "push", "-q", f"http://alice:{token}@{host}/alice/demo.git", "main", "feature",
        "v1")
    return live_server.url, token, shas


def checkout_context(url, token, shas):
    return {"server_url": url, "repository": "alice/demo", "ref": "refs/heads/main",
            "sha": shas[-1], "token": token}


def test_checkout_clones_the_runs_commit_shallowly_by_default(job_runner, hosted_repo):
    url, token, shas = hosted_repo
    result, task = job_runner.run("""
        - id: co
          uses: actions/checkout@v4
        - run: |
            echo "content=$(cat version.txt) commits=$(git rev-list --count HEAD)"
            echo "branch=$(git rev-parse --abbrev-ref HEAD)"
            echo "outputs=${{ steps.co.outputs.commit }}"
    """, context=checkout_context(url, token, shas))
    assert result == Status.SUCCESS, task.log
    log = task.step_log(1)
    assert "content=v3 commits=1" in log
    assert "branch=main" in log
    assert f"outputs={shas[-1]}" in log
    assert token not in "\n".join(task.log)


def test_checkout_honours_ref_fetch_depth_and_path(job_runner, hosted_repo):
    url, token, shas = hosted_repo
    result, task = job_runner.run(f"""
        - uses: actions/checkout@v4
          with:
            ref: v1
            path: tagged
        - uses: actions/checkout@v4
          with:
            ref: feature
            path: sub/feature
        - uses: actions/checkout@v4
          with:
            ref: {shas[1]}
            fetch-depth: 0
            path: full
        - run: |
            echo "tag=$(cat tagged/version.txt) feature=$(cat sub/feature/version.txt)"
            echo "full=$(cat full/version.txt) commits=$(git -C full rev-list --count HEAD)"
    """, context=checkout_context(url, token, shas))
    assert result == Status.SUCCESS, task.log
    assert "tag=v1 feature=v1" in task.step_log(3)
    assert "full=v2 commits=2" in task.step_log(3)


def test_checkout_with_a_bad_token_or_path_fails_the_step_clearly(job_runner, hosted_repo):
    url, token, shas = hosted_repo
    result, task = job_runner.run("""
        - uses: actions/checkout@v4
          with:
            token: not-a-valid-token
        - if: always()
          uses: actions/checkout@v4
          with:
            path: ../outside
    """, context=checkout_context(url, token, shas))
    assert result == Status.FAILURE
    assert task.step_results() == ["RESULT_FAILURE", "RESULT_FAILURE"]
    assert any("checkout: git" in line for line in task.step_log(0))
    assert any("must be inside the workspace" in line for line in task.step_log(1))


def test_a_container_job_sees_the_checkout_made_on_the_runners_side(job_runner, hosted_repo,
                                                                    docker_engine):
    url, token, shas = hosted_repo
    result, task = job_runner.run("""
        - uses: actions/checkout@v4
        - run: echo "in container $(cat version.txt) at $PWD"
    """, runs_on="busybox", context=checkout_context(url, token, shas))
    assert result == Status.SUCCESS, task.log
    assert "in container v3 at /workspace/alice/demo" in task.step_log(1)


def test_artifacts_are_zipped_uploaded_and_downloaded(job_runner):
    result, task = job_runner.run("""
        - run: |
            mkdir -p out/deep logs
            echo one > out/a.txt
            echo two > out/deep/b.txt
            echo skip > out/skip.tmp
            echo log > logs/run.log
        - uses: actions/upload-artifact@v4
          with:
            name: bundle
            path: |
              out/
              !out/*.tmp
            retention-days: 5
        - uses: actions/upload-artifact@v4
          with:
            name: logs
            path: logs/*.log
        - uses: actions/download-artifact@v4
          with:
            name: bundle
            path: fetched
        - uses: actions/download-artifact@v4
          with:
            path: everything
        - run: |
            echo "a=$(cat fetched/a.txt) b=$(cat fetched/deep/b.txt)"
            ls everything | sort | tr '\\n' ' '
            echo
            cat everything/logs/run.log
    """)
    assert result == Status.SUCCESS, task.log
    bundle = zipfile.ZipFile(io.BytesIO(job_runner.server.artifacts[(task.run_id, "bundle")]))
    assert sorted(bundle.namelist()) == ["a.txt", "deep/b.txt"]
    assert job_runner.server.artifact_queries[(task.run_id, "bundle")] == "retention_days=5"
    log = task.step_log(5)
    assert "a=one b=two" in log
    assert "bundle logs " in log
    assert "log" in log


def test_upload_artifact_with_no_files_warns_or_fails_as_asked(job_runner):
    result, task = job_runner.run("""
        - uses: actions/upload-artifact@v4
          with:
            path: nothing-here/
        - uses: actions/upload-artifact@v4
          with:
            name: strict
            path: nothing-here/
            if-no-files-found: error
    """)
    assert result == Status.FAILURE
    assert task.step_results() == ["RESULT_SUCCESS", "RESULT_FAILURE"]
    assert any(line.startswith("##[warning]No files were found") for line in task.step_log(0))


def test_uploading_the_same_artifact_name_twice_is_refused_by_the_server(job_runner):
    result, task = job_runner.run("""
        - run: echo x > f.txt
        - uses: actions/upload-artifact@v4
          with:
            name: same
            path: f.txt
        - uses: actions/upload-artifact@v4
          with:
            name: same
            path: f.txt
    """)
    assert result == Status.FAILURE
    assert any("refused the artifact 'same' (HTTP 409)" in line for line in task.step_log(2))


def test_artifacts_from_a_container_job(job_runner, docker_engine):
    result, task = job_runner.run("""
        - run: mkdir -p dist && echo built-in-container > dist/app.txt
        - uses: actions/upload-artifact@v4
          with:
            name: app
            path: ${{ github.workspace }}/dist/app.txt
    """, runs_on="busybox")
    assert result == Status.SUCCESS, task.log
    bundle = zipfile.ZipFile(io.BytesIO(job_runner.server.artifacts[(task.run_id, "app")]))
    assert bundle.read("app.txt") == b"built-in-container\n"
