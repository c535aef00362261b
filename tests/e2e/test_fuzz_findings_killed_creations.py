"""A repository creation (``auto_init``) or a fork whose worker is killed (SIGKILL) after it
made and filled the bare directory, before its transaction committed: the row is gone with
the transaction, the directory stayed, and every later creation of the name was a 409 ("the
directory for this repository already exists on disk") for good. The directory is marked
uncommitted until the commit; the next creation of the name removes it, logs so, and succeeds.

Under real gunicorn (it restarts the killed worker), killed by ``plue_core/crash_points.py``.
"""

from __future__ import annotations

import os

import pytest
import requests

from plue_core import crash_points
from plue_core.testing import fresh_database_url, run_live_server
from tests.e2e.test_git_crash_recovery import CrashSite

pytestmark = pytest.mark.e2e

POINT = "repository-create-before-commit"


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("killed-creations")
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


def killed(site, method: str, path: str, user: str, body: dict) -> None:
    site.arm(POINT)
    with pytest.raises(requests.ConnectionError):
        site.api(method, path, user, json=body, headers={"Connection": "close"})
    site.assert_disarmed(POINT)
    site.wait_until_serving()


def server_log(site) -> str:
    return (site.tmp / "server.log").read_text()


def test_a_creation_killed_before_its_commit_leaves_the_name_free(site):
    killed(site, "POST", "/user/repos", "alice", {"name": "boom", "auto_init": True})
    assert site.api("GET", "/repos/alice/boom").status_code == 404
    assert site.bare("alice/boom").is_dir()  # what the kill left

    repository = site.create_repo("boom", auto_init=True)
    assert repository["empty"] is False
    assert set(site.api_heads("alice/boom")) == {"main"} == set(site.git_heads("alice/boom"))
    assert not (site.bare("alice/boom") / "plue-uncommitted").exists()
    assert "left by a repository creation killed before it committed" in server_log(site)


def test_a_fork_killed_before_its_commit_leaves_the_name_free(site):
    site.create_repo("source", auto_init=True)
    killed(site, "POST", "/repos/alice/source/forks", "bob", {})
    assert site.api("GET", "/repos/bob/source", "bob").status_code == 404
    assert site.api("GET", "/repos/alice/source").json()["forks_count"] == 0

    response = site.api("POST", "/repos/alice/source/forks", "bob", json={})
    assert response.status_code == 202, response.text
    assert site.api_heads("bob/source") == site.git_heads("bob/source") == site.git_heads("alice/source")
    assert site.api("GET", "/repos/alice/source").json()["forks_count"] == 1


def test_a_directory_plue_did_not_make_still_blocks_the_name(site):
    stranger = site.bare("alice/stranger")
    stranger.mkdir(parents=True)
    (stranger / "HEAD").write_text("ref: refs/heads/main\n")
    response = site.api("POST", "/user/repos", json={"name": "stranger"})
    assert response.status_code == 409, response.text
    assert (stranger / "HEAD").exists()
