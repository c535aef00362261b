"""SSH as its users meet it, beyond clone and push (``test_git_over_ssh.py``): ``git archive
--remote`` (git-upload-archive), an interactive ``ssh -t`` (a terminal asked for: the greeting,
then the exit, as Gitea), and a push over SSH that reaches a webhook receiver exactly as an
HTTP push does (push and create deliveries, the pusher, the commits). Real OpenSSH, real git,
``plue serve`` with its SSH daemon and the webhook sender thread."""

from __future__ import annotations

import io
import subprocess
import tarfile
import time

import pytest

from plue_core.testing import free_port, fresh_database_url, run_live_server

from tests.e2e.test_git_over_ssh import GIT_ENV, SshSite, wait_for_port
from tests.plugins.webhooks.receiver import WebhookReceiver

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def receiver():
    server = WebhookReceiver()
    yield server
    server.close()


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("ssh-faces")
    ssh_port = free_port()
    with fresh_database_url(tmp) as url, run_live_server(
            tmp, url, daemons={"mode": "serve"}, ssh={"bind": f"127.0.0.1:{ssh_port}"},
            webhooks={"allowed_host_list": "loopback", "send_in_process": True}) as server:
        wait_for_port(ssh_port)
        yield SshSite(server, tmp, ssh_port)


def _remote_archive(site, key, repo: str, *paths: str) -> subprocess.CompletedProcess:
    env = {"GIT_SSH_COMMAND": " ".join(["ssh", *site.ssh_options(key)[:-2]])}
    return subprocess.run(["git", "archive", f"--remote={site.ssh_url(repo)}", "--format=tar",
                           "main", *paths], capture_output=True, env={**GIT_ENV, **env},
                          timeout=120)


def test_git_archive_remote_over_ssh_reads_the_tree_and_hides_a_private_one(site):
    site.create_repo("archived-tree", auto_init=True)
    result = _remote_archive(site, site.keys["bob"], "alice/archived-tree")
    assert result.returncode == 0, result.stderr.decode()
    names = tarfile.open(fileobj=io.BytesIO(result.stdout)).getnames()
    assert "README.md" in names
    site.create_repo("hidden-tree", auto_init=True, private=True)
    refused = _remote_archive(site, site.keys["bob"], "alice/hidden-tree")
    assert refused.returncode != 0 and not refused.stdout
    assert "repository alice/hidden-tree does not exist" in refused.stderr.decode()


def test_an_interactive_ssh_with_a_terminal_greets_and_exits(site):
    result = subprocess.run(["ssh", "-tt", *site.ssh_options(site.keys["alice"]), "git@127.0.0.1"],
                            capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL)
    assert result.returncode == 0, result.stderr
    assert "Hi there, alice! You've successfully authenticated" in result.stdout + result.stderr


def test_a_push_over_ssh_reaches_webhooks_as_an_http_push_does(site, receiver):
    repo = site.create_repo("hooked")
    hook = site.api("POST", "/repos/alice/hooked/hooks", json={
        "type": "gitea", "active": True, "events": ["push", "create"],
        "config": {"url": receiver.url, "content_type": "json", "secret": "s3cret"}})
    assert hook.status_code == 201, hook.text
    work = site.tmp / "hooked"
    site.git(site.keys["alice"], "clone", "-q", repo["ssh_url"], str(work))
    sha = site.commit(work, "a.txt", "a\n", "first over ssh")
    site.git(site.keys["alice"], "push", "-q", "origin", "HEAD:main", cwd=work)
    deadline = time.monotonic() + 60
    while len(receiver.deliveries) < 2 and time.monotonic() < deadline:
        time.sleep(0.1)
    by_type = {delivery.event_type: delivery for delivery in receiver.deliveries}
    assert set(by_type) == {"push", "create"}, [d.event_type for d in receiver.deliveries]
    push = receiver.check(by_type["push"], "s3cret")
    assert (push["ref"], push["after"], push["pusher"]["login"]) == ("refs/heads/main", sha,
                                                                     "alice")
    assert [commit["id"] for commit in push["commits"]] == [sha]
    assert push["commits"][0]["added"] == ["a.txt"]
    assert push["repository"]["ssh_url"] == repo["ssh_url"]
    create = receiver.check(by_type["create"], "s3cret")
    assert (create["ref"], create["ref_type"], create["sha"]) == ("main", "branch", sha)
