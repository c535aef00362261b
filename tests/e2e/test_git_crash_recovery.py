"""A push or an API write killed (SIGKILL) at each of its steps, under real gunicorn: after
recovery the API shows what git has, each ref change triggered its workflow run exactly once,
``git fsck`` is clean and no incoming object directory is left.

The kills come from the test-only crash points (``plue_core/crash_points.py``): the server
runs with ``TEST_ONLY_PLUE_CRASH_AT`` naming a directory, and a test arms one point by
creating a file of that name there. gunicorn restarts the killed worker, as in production.
"""

from __future__ import annotations

import base64
import os
import pathlib
import time

import pytest
import requests

from plue_core.testing import fresh_database_url, run_live_server
from plue_core import crash_points
from tests.e2e.test_git_smart_http import Site

pytestmark = pytest.mark.e2e

WORKFLOW = """on: [push]
jobs:
  build:
    runs-on: crash-test
    steps:
      - run: echo hi
"""
# One POST per push (no small probe request first) on a connection of its own: curl silently
# resends a request whose reused keep-alive connection died, which would hide the crash.
CUT_OFF = ("-c", "http.postBuffer=67108864", "-c", "http.extraHeader=Connection: close")
LEFTOVERS = ("objects/tmp_objdir-*", "objects/pack/tmp_pack_*", "objects/pack/tmp_idx_*")


class CrashSite(Site):
    def __init__(self, server, tmp: pathlib.Path, armed: pathlib.Path):
        super().__init__(server, tmp)
        self.armed = armed

    def arm(self, point: str) -> None:
        (self.armed / point).touch()

    def assert_disarmed(self, point: str) -> None:
        assert not (self.armed / point).exists(), f"the server never reached {point}"

    def wait_until_serving(self) -> None:
        deadline = time.monotonic() + 30
        while True:
            try:
                if requests.get(f"{self.url}/health", timeout=2).status_code == 200:
                    return
            except requests.RequestException:
                pass
            assert time.monotonic() < deadline, "gunicorn did not restart its worker"
            time.sleep(0.1)

    def recover(self, *options: str) -> str:
        return self.server.plue("git", "recover", *options).stdout

    def bare(self, repo: str) -> pathlib.Path:
        owner, name = repo.split("/")
        return self.server.data_dir / "repos" / owner / f"{name}.git"

    def git_heads(self, repo: str) -> dict[str, str]:
        output = self.git("--git-dir", str(self.bare(repo)), "for-each-ref",
                          "--format=%(refname:lstrip=2) %(objectname)", "refs/heads").stdout
        return dict(line.split(" ") for line in output.splitlines())

    def api_heads(self, repo: str) -> dict[str, str]:
        branches = self.api("GET", f"/repos/{repo}/branches", params={"limit": 50}).json()
        return {branch["name"]: branch["commit"]["id"] for branch in branches}

    def runs_of(self, repo: str, sha: str) -> int:
        response = self.api("GET", f"/repos/{repo}/actions/runs", params={"head_sha": sha})
        assert response.status_code == 200, response.text
        return response.json()["total_count"]

    def leftovers(self, repo: str) -> list[pathlib.Path]:
        return [path for pattern in LEFTOVERS for path in self.bare(repo).glob(pattern)]

    def prepare(self, name: str) -> pathlib.Path:
        """A repository with a push workflow and a protected branch (so git runs the
        ``pre-receive`` hook), cloned."""
        self.create_repo(name, auto_init=True)
        content = base64.b64encode(WORKFLOW.encode()).decode()
        assert self.api("POST", f"/repos/alice/{name}/contents/.gitea/workflows/ci.yml",
                        json={"content": content}).status_code == 201
        assert self.api("POST", f"/repos/alice/{name}/branch_protections",
                        json={"rule_name": "release"}).status_code == 201
        work = self.workdir(name)
        self.git("clone", "-q", self.remote(f"alice/{name}", "alice"), str(work))
        self.git("checkout", "-q", "-b", "topic", cwd=work)
        return work

    def assert_api_equals_git(self, repo: str) -> None:
        heads = self.git_heads(repo)
        assert self.api_heads(repo) == heads
        for name, sha in heads.items():
            assert self.api("GET", f"/repos/{repo}/branches/{name}").json()["commit"]["id"] == sha


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("git-crash")
    armed = tmp / "crash-points"
    armed.mkdir()
    saved = os.environ.get(crash_points.ENV)
    os.environ[crash_points.ENV] = str(armed)  # inherited by the server only through its env
    try:
        with fresh_database_url(tmp) as url, run_live_server(tmp, url, workers=1) as server:
            yield CrashSite(server, tmp, armed)
    finally:
        if saved is None:
            os.environ.pop(crash_points.ENV, None)
        else:
            os.environ[crash_points.ENV] = saved


# (crash point, did git move the ref before the process died, is a quarantine left behind)
PUSH_STEPS = [("push-before-objects", False, False), ("push-after-objects", False, True),
              ("push-after-ref-update", True, False), ("push-after-database", True, False)]


@pytest.mark.parametrize("point,moved,left_behind", PUSH_STEPS)
def test_a_push_killed_at_any_step_is_recorded_exactly_once_after_recovery(site, point, moved,
                                                                            left_behind):
    name = f"killed-{point}"
    repo = f"alice/{name}"
    work = site.prepare(name)
    sha = site.commit(work, "big.bin", os.urandom(2 * 1024 * 1024), "a big file")
    site.arm(point)
    failed = site.git(*CUT_OFF, "push", "origin", "topic", cwd=work, check=False)
    assert failed.returncode != 0  # the client was cut off
    site.assert_disarmed(point)
    site.wait_until_serving()
    assert ("topic" in site.git_heads(repo)) is moved
    if point == "push-after-ref-update":  # the finding: git has it, the API did not
        assert site.api("GET", f"/repos/{repo}/branches/topic").status_code == 404
    assert bool(site.leftovers(repo)) is left_behind

    report = site.recover()
    replayed = 0 if point == "push-after-database" else 1  # that one had committed its entry
    assert f"replayed {replayed} unfinished ref change(s)" in report
    site.assert_api_equals_git(repo)
    assert site.runs_of(repo, sha) == (1 if moved else 0)
    assert bool(site.leftovers(repo)) is left_behind  # younger than an hour: kept
    for leftover in site.leftovers(repo):
        for path in [leftover, *leftover.rglob("*")]:
            os.utime(path, (time.time() - 7200, time.time() - 7200))
    assert "replayed 0 unfinished" in site.recover()  # nothing twice
    assert site.leftovers(repo) == []
    site.fsck(repo=repo)

    retried = site.git("push", "origin", "topic", cwd=work)
    assert ("Everything up-to-date" in retried.stderr) is moved
    site.assert_api_equals_git(repo)
    assert site.runs_of(repo, sha) == 1
    site.fsck(clone=work, repo=repo)


def test_retrying_the_push_records_what_the_killed_worker_left(site):
    repo = "alice/retried"
    work = site.prepare("retried")
    sha = site.commit(work, "a.txt", "a\n")
    site.arm("push-after-ref-update")
    assert site.git(*CUT_OFF, "push", "origin", "topic", cwd=work, check=False).returncode != 0
    site.wait_until_serving()
    assert site.api("GET", f"/repos/{repo}/branches/topic").status_code == 404

    retried = site.git("push", "origin", "topic", cwd=work)
    assert "Everything up-to-date" in retried.stderr
    # The retry's ref advertisement replayed the journal: no scheduler, no admin needed.
    assert site.api("GET", f"/repos/{repo}/branches/topic").json()["commit"]["id"] == sha
    site.assert_api_equals_git(repo)
    assert site.runs_of(repo, sha) == 1
    assert "replayed 0 unfinished" in site.recover()
    site.fsck(repo=repo)


def test_the_next_push_records_a_killed_push_before_its_own(site):
    repo = "alice/next-push"
    work = site.prepare("next-push")
    first = site.commit(work, "a.txt", "a\n")
    site.arm("push-after-ref-update")
    assert site.git(*CUT_OFF, "push", "origin", "topic", cwd=work, check=False).returncode != 0
    site.wait_until_serving()
    second = site.commit(work, "b.txt", "b\n")
    site.git("push", "origin", "topic:other", cwd=work)
    site.assert_api_equals_git(repo)
    assert site.api_heads(repo)["topic"] == first and site.api_heads(repo)["other"] == second
    assert site.runs_of(repo, first) == 1 and site.runs_of(repo, second) == 1
    site.fsck(repo=repo)


def test_an_api_write_killed_after_moving_the_ref_is_recorded_exactly_once(site):
    repo = "alice/api-write"
    site.prepare("api-write")
    before = site.git_heads(repo)["main"]
    site.arm("api-after-ref-update")
    with pytest.raises(requests.ConnectionError):
        site.api("POST", f"/repos/{repo}/contents/notes.txt",
                 json={"content": base64.b64encode(b"notes\n").decode()})
    site.assert_disarmed("api-after-ref-update")
    site.wait_until_serving()
    after = site.git_heads(repo)["main"]
    assert after != before
    assert site.api_heads(repo)["main"] == before  # not yet recorded

    assert "replayed 1 unfinished" in site.recover()
    site.assert_api_equals_git(repo)
    assert site.runs_of(repo, after) == 1
    assert site.api("GET", f"/repos/{repo}/contents/notes.txt").status_code == 200
    assert "replayed 0 unfinished" in site.recover()
    site.fsck(repo=repo)


@pytest.mark.parametrize("style", ["merge", "squash"])
def test_a_merge_killed_after_moving_the_base_is_recorded_as_merged_after_recovery(site, style):
    name = f"killed-{style}"
    repo = f"alice/{name}"
    site.prepare(name)
    assert site.api("POST", f"/repos/{repo}/contents/feature.txt",
                    json={"content": base64.b64encode(b"feature\n").decode(),
                          "new_branch": "feature"}).status_code == 201
    pull = site.api("POST", f"/repos/{repo}/pulls",
                    json={"head": "feature", "base": "main", "title": "Add feature"}).json()
    before = site.git_heads(repo)["main"]
    site.arm("pull-after-ref-update")
    with pytest.raises(requests.ConnectionError):
        site.api("POST", f"/repos/{repo}/pulls/{pull['number']}/merge", json={"Do": style})
    site.assert_disarmed("pull-after-ref-update")
    site.wait_until_serving()
    merged_tip = site.git_heads(repo)["main"]
    assert merged_tip != before  # git moved the base; the database has not heard of it
    assert site.api("GET", f"/repos/{repo}/pulls/{pull['number']}").json()["merged"] is False

    assert "replayed 1 unfinished" in site.recover()
    site.assert_api_equals_git(repo)
    after = site.api("GET", f"/repos/{repo}/pulls/{pull['number']}").json()
    assert after["merged"] is True and after["state"] == "closed"
    assert after["merge_commit_sha"] == merged_tip and after["merged_by"]["login"] == "alice"
    assert site.runs_of(repo, merged_tip) == 1
    # Merging again is refused as for any merged pull request, and nothing replays twice.
    again = site.api("POST", f"/repos/{repo}/pulls/{pull['number']}/merge", json={"Do": style})
    assert again.status_code == 405, again.text
    assert "replayed 0 unfinished" in site.recover()
    site.fsck(repo=repo)


def test_a_receive_pack_that_outlives_its_worker_is_recorded_once_it_has_finished(site):
    # git inherits the repository's write lock: until the orphaned receive-pack exits, the
    # replay leaves the repository alone instead of recording a change that is not over.
    repo = "alice/orphaned-git"
    work = site.prepare("orphaned-git")
    sha = site.commit(work, "a.txt", "a\n")
    site.arm("push-worker-dies-in-hook")
    assert site.git(*CUT_OFF, "push", "origin", "topic", cwd=work, check=False).returncode != 0
    site.assert_disarmed("push-worker-dies-in-hook")
    site.wait_until_serving()
    # The worker is gone; git waits in its hook (until released), holding the lock.
    assert site.recover().startswith("replayed 0 ")
    assert "topic" not in site.git_heads(repo)
    (site.armed / "push-worker-dies-in-hook.release").touch()
    deadline = time.monotonic() + 30
    while not site.recover().startswith("replayed 1 "):
        assert time.monotonic() < deadline, "the replay never ran after git exited"
        time.sleep(0.2)
    assert site.git_heads(repo)["topic"] == sha
    site.assert_api_equals_git(repo)
    assert site.runs_of(repo, sha) == 1
    site.fsck(repo=repo)
