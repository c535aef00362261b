"""What a push leaves behind: branch rows, the default branch, size, and one ``push`` event per
ref (real git against the app served in-process, so the events can be inspected here)."""

from __future__ import annotations

import requests

from plue_core.testing import DEFAULT_PASSWORD

ZERO = "0" * 40


def new_clone(server, repo="alice/demo"):
    work = server.tmp_path / "work"
    server.git("clone", server.remote(repo), str(work))
    return work


def commit(server, work, name: str, text: str) -> str:
    (work / name).write_text(text)
    server.git("add", name, cwd=work)
    server.git("commit", "-q", "-m", f"change {name}", cwd=work)
    return server.git("rev-parse", "HEAD", cwd=work).stdout.strip()


def api(server, path: str):
    return requests.get(f"{server.url}/api/v1{path}", auth=("alice", DEFAULT_PASSWORD), timeout=30)


def test_the_first_push_fills_the_repository_and_publishes_a_push_event(in_process_server):
    server = in_process_server()
    assert requests.post(f"{server.url}/api/v1/user/repos", json={"name": "demo"},
                         auth=("alice", DEFAULT_PASSWORD)).status_code == 201
    work = new_clone(server)
    first = commit(server, work, "a.txt", "a\n")
    second = commit(server, work, "b.txt", "b\n")
    server.git("push", "origin", "HEAD:trunk", cwd=work)

    repo = api(server, "/repos/alice/demo").json()
    assert repo["empty"] is False and repo["default_branch"] == "trunk" and repo["branch_count"] == 1
    assert repo["size"] >= 0 and repo["updated_at"] >= repo["created_at"]
    assert api(server, "/repos/alice/demo/branches/trunk").json()["commit"]["id"] == second

    [event] = server.recorder.of("push")
    assert (event.ref, event.before, event.after) == ("refs/heads/trunk", ZERO, second)
    assert [c["id"] for c in event.commits] == [second, first] and event.total_commits == 2
    assert event.commits[0]["message"] == "change b.txt\n"
    assert event.commits[0]["author"] == {"name": "Dev", "email": "dev@example.org"}
    assert event.pusher == "alice" and event.via == "git" and event.created and event.is_branch
    assert server.recorder.of("repository_created")[0].repository == "demo"


def test_updates_tags_and_deletions_each_publish_their_own_event(in_process_server):
    server = in_process_server()
    requests.post(f"{server.url}/api/v1/user/repos", json={"name": "demo", "auto_init": True},
                  auth=("alice", DEFAULT_PASSWORD))
    work = new_clone(server)
    base = server.git("rev-parse", "HEAD", cwd=work).stdout.strip()
    head = commit(server, work, "c.txt", "c\n")
    server.git("tag", "v1", cwd=work)
    server.git("push", "origin", "main", "v1", "HEAD:refs/heads/topic", cwd=work)
    events = {e.ref: e for e in server.recorder.of("push")}
    assert events["refs/heads/main"].before == base and events["refs/heads/main"].after == head
    assert [c["id"] for c in events["refs/heads/main"].commits] == [head]
    assert events["refs/tags/v1"].is_tag and events["refs/tags/v1"].after == head
    # A new branch that adds nothing new lists no commits (they are already on main).
    assert events["refs/heads/topic"].commits == () and events["refs/heads/topic"].total_commits == 0
    assert sorted(b["name"] for b in api(server, "/repos/alice/demo/branches").json()) == ["main", "topic"]

    server.recorder.events.clear()
    server.git("push", "origin", ":topic", cwd=work)
    [deleted] = server.recorder.of("push")
    assert deleted.ref == "refs/heads/topic" and deleted.after == ZERO and deleted.deleted
    assert [b["name"] for b in api(server, "/repos/alice/demo/branches").json()] == ["main"]


def test_api_writes_publish_push_events_too(in_process_server):
    server = in_process_server()
    requests.post(f"{server.url}/api/v1/user/repos", json={"name": "demo", "auto_init": True},
                  auth=("alice", DEFAULT_PASSWORD))
    response = requests.post(f"{server.url}/api/v1/repos/alice/demo/contents/x.txt",
                             json={"content": "eA=="}, auth=("alice", DEFAULT_PASSWORD))
    assert response.status_code == 201
    [event] = server.recorder.of("push")
    assert event.via == "api" and event.after == response.json()["commit"]["sha"]
    assert [c["id"] for c in event.commits] == [event.after]


def test_a_push_that_git_rejects_changes_nothing_and_publishes_nothing(in_process_server):
    server = in_process_server(git_hosting={"allow_force_push": False})
    requests.post(f"{server.url}/api/v1/user/repos", json={"name": "demo", "auto_init": True},
                  auth=("alice", DEFAULT_PASSWORD))
    work = new_clone(server)
    before = api(server, "/repos/alice/demo/branches/main").json()["commit"]["id"]
    server.git("commit", "-q", "--amend", "-m", "rewritten", cwd=work)
    result = server.git("push", "--force", "origin", "main", cwd=work, check=False)
    assert result.returncode != 0 and "non-fast-forward" in result.stderr
    assert server.recorder.of("push") == []
    assert api(server, "/repos/alice/demo/branches/main").json()["commit"]["id"] == before
