"""SSH as Gitea answers it, where ``test_git_over_ssh.py`` stops: a repository renamed (the
``ssh_url`` the API gives is the new path, which clones and takes pushes; the old path is
followed too, as in Gitea: test_repository_redirects_git.py), a key
that is some other user's (it reaches that user's repositories only), a read-only deploy
key pushing a new branch or a tag (refused like a push to a branch, nothing written), and
concurrent clones and pushes over SSH (each clone whole, each push recorded). Real OpenSSH,
real git, ``plue serve`` with its SSH daemon."""

from __future__ import annotations

import concurrent.futures
import fcntl
import os
import time

import pytest

from plue_core.testing import free_port, fresh_database_url, run_live_server

from tests.e2e.test_git_over_ssh import SshSite, wait_for_port

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("ssh-renames")
    ssh_port = free_port()
    with fresh_database_url(tmp) as url, run_live_server(
            tmp, url, daemons={"mode": "serve"}, ssh={"bind": f"127.0.0.1:{ssh_port}"}) as server:
        wait_for_port(ssh_port)
        yield SshSite(server, tmp, ssh_port)


def test_a_renamed_repository_clones_and_takes_pushes_at_its_new_ssh_url(site):
    site.create_repo("before", auto_init=True)
    work = site.tmp / "before-rename"
    site.git(site.keys["alice"], "clone", "-q", site.ssh_url("alice/before"), str(work))
    renamed = site.api("PATCH", "/repos/alice/before", json={"name": "after"})
    assert renamed.status_code == 200, renamed.text
    assert renamed.json()["ssh_url"] == site.ssh_url("alice/after")
    # A clone made before the rename follows it once its remote names the new path.
    site.git(None, "remote", "set-url", "origin", renamed.json()["ssh_url"], cwd=work)
    sha = site.commit(work, "after.txt", "renamed\n")
    site.git(site.keys["alice"], "push", "-q", "origin", "HEAD:main", cwd=work)
    assert site.branch_sha("alice/after") == sha
    fresh = site.tmp / "after-clone"
    site.git(site.keys["bob"], "clone", "-q", renamed.json()["ssh_url"], str(fresh))
    assert (fresh / "after.txt").read_text() == "renamed\n"


def test_another_users_key_reaches_that_users_repositories_only(site):
    site.create_repo("own-private", user="bob", private=True, auto_init=True)
    site.create_repo("alices-private", private=True, auto_init=True)
    # Alice's key is alice: bob's private repository does not exist for it, her own does.
    refused = site.git(site.keys["alice"], "clone", site.ssh_url("bob/own-private"),
                       str(site.tmp / "wrong-key"), check=False)
    assert refused.returncode != 0 and "repository bob/own-private does not exist" in refused.stderr
    site.git(site.keys["bob"], "clone", "-q", site.ssh_url("bob/own-private"),
             str(site.tmp / "right-key"))
    greeting = site.ssh(site.keys["bob"], "-T")
    assert "bob" in greeting.stdout and "alice" not in greeting.stdout


def test_a_read_only_deploy_key_creates_no_branch_and_no_tag(site):
    site.create_repo("ro-deploy", private=True, auto_init=True)
    key = site.new_key("ro-deploy")
    added = site.api("POST", "/repos/alice/ro-deploy/keys",
                     json={"title": "ro", "key": key.with_suffix(".pub").read_text()})
    assert added.status_code == 201 and added.json()["read_only"] is True, added.text
    work = site.tmp / "ro-deploy"
    site.git(key, "clone", "-q", site.ssh_url("alice/ro-deploy"), str(work))
    site.commit(work, "x.txt", "x\n")
    site.git(None, "tag", "v9", cwd=work)
    for refspec in ("HEAD:refs/heads/new-branch", "refs/tags/v9"):
        refused = site.git(key, "push", "origin", refspec, cwd=work, check=False)
        assert refused.returncode != 0 and "is read-only" in refused.stderr, refused.stderr
    assert site.branch_sha("alice/ro-deploy", "new-branch") is None
    assert site.api("GET", "/repos/alice/ro-deploy/tags/v9").status_code == 404


def test_concurrent_clones_and_pushes_over_ssh_each_succeed_whole(site):
    repo = site.create_repo("busy", auto_init=True)
    seed = site.tmp / "busy-seed"
    site.git(site.keys["alice"], "clone", "-q", repo["ssh_url"], str(seed))
    for number in range(20):
        site.commit(seed, f"files/{number}.txt", f"{number}\n" * 200)
    site.git(site.keys["alice"], "push", "-q", "origin", "HEAD:main", cwd=seed)
    head = site.branch_sha("alice/busy")

    def clone(number: int) -> str:
        target = site.tmp / f"busy-clone-{number}"
        user = ("alice", "bob", "carol")[number % 3]
        site.git(site.keys[user], "clone", "-q", repo["ssh_url"], str(target))
        site.git(None, "fsck", "--strict", "--no-progress", cwd=target)
        return site.git(None, "rev-parse", "HEAD", cwd=target).stdout.strip()

    def push(number: int) -> str:
        target = site.tmp / f"busy-clone-{number}"
        site.git(None, "checkout", "-q", "-b", f"work-{number}", cwd=target)
        sha = site.commit(target, f"work-{number}.txt", "w\n")
        site.git(site.keys["alice"], "push", "-q", "origin", f"HEAD:work-{number}", cwd=target)
        return sha

    with concurrent.futures.ThreadPoolExecutor(max_workers=6) as pool:
        assert list(pool.map(clone, range(6))) == [head] * 6
        shas = list(pool.map(push, range(6)))
    for number, sha in enumerate(shas):
        assert site.branch_sha("alice/busy", f"work-{number}") == sha


def test_pushes_waiting_for_a_repositorys_lock_do_not_starve_the_one_holding_it(site):
    """Seven SSH pushes to one repository while its write lock is held elsewhere: each waits
    for the lock, and once it is free every one finishes. The SSH daemon waited for the lock
    in its event loop's thread pool (six threads on two cores, one taken by the wait for the
    stop): the waiting pushes took every thread, and the one that got the lock had none left
    to finish with — every push hung."""
    repo = site.create_repo("locked", auto_init=True)
    pushers = 7
    for number in range(pushers):
        site.git(site.keys["alice"], "clone", "-q", repo["ssh_url"],
                 str(site.tmp / f"locked-{number}"))

    def push(number: int) -> str:
        target = site.tmp / f"locked-{number}"
        sha = site.commit(target, f"lock-{number}.txt", "w\n")
        site.git(site.keys["alice"], "push", "-q", "origin", f"HEAD:lock-{number}", cwd=target)
        return sha

    locks = site.server.data_dir / "repos" / ".locks"
    locks.mkdir(parents=True, exist_ok=True)
    fd = os.open(locks / f"{repo['id']}.lock", os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)  # the lock a push (or a write of the API) holds
        with concurrent.futures.ThreadPoolExecutor(max_workers=pushers) as pool:
            pushes = [pool.submit(push, number) for number in range(pushers)]
            time.sleep(5)  # every push reaches the lock and waits
            assert not any(p.done() for p in pushes), [p.exception() for p in pushes if p.done()]
            os.close(fd)
            fd = None
            shas = [p.result(timeout=120) for p in pushes]
    finally:
        if fd is not None:
            os.close(fd)
    for number, sha in enumerate(shas):
        assert site.branch_sha("alice/locked", f"lock-{number}") == sha
