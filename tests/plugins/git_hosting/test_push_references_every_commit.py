"""Issue references and "Fixes #N" are read from every commit of a push (up to
``PushEvent.REFERENCE_COMMITS``), as Gitea's ``UpdateIssuesCommit`` reads every commit, while
the push payloads keep their own limit (``PushEvent.MAX_COMMITS``, newest first), and the
commits without references cost the push no statement. Real git against the app served
in-process."""

from __future__ import annotations

import requests

from plue_core.db import connection
from plue_core.testing import DEFAULT_PASSWORD, recorded_statements
from plue_git_hosting.events import PushEvent
from plue_webhooks.models import WebhookPayload

PLAIN_COMMITS = 25  # newer than the referencing one: more than the payloads' limit


def api(server, method: str, path: str, body=None):
    response = requests.request(method, f"{server.url}/api/v1{path}", json=body,
                                auth=("alice", DEFAULT_PASSWORD), timeout=30)
    assert response.status_code < 300, response.text
    return response.json() if response.content else None


def start(in_process_server):
    """alice/demo (auto-initialised) with issues #1 and #2, a push webhook, and a clone."""
    server = in_process_server(webhooks={"allowed_host_list": "loopback",
                                         "send_in_process": False})
    api(server, "POST", "/user/repos", {"name": "demo", "auto_init": True})
    for title in ("First bug", "Second bug"):
        api(server, "POST", "/repos/alice/demo/issues", {"title": title})
    api(server, "POST", "/repos/alice/demo/hooks", {
        "type": "gitea", "active": True, "events": ["push"],
        "config": {"url": "http://127.0.0.1:9/hook", "content_type": "json"}})
    work = server.tmp_path / "work"
    server.git("clone", server.remote("alice/demo"), str(work))
    return server, work


def commit(server, work, message: str) -> str:
    server.git("commit", "-q", "--allow-empty", "-m", message, cwd=work)
    return server.git("rev-parse", "HEAD", cwd=work).stdout.strip()


def timeline(server, number: int) -> list[dict]:
    return api(server, "GET", f"/repos/alice/demo/issues/{number}/timeline")


def test_the_oldest_commit_of_a_long_push_closes_its_issue_and_payloads_keep_their_limit(
        in_process_server):
    server, work = start(in_process_server)
    oldest = commit(server, work, "Fixes #1")
    middle = [commit(server, work, f"change {n}" + (", see #2" if n == 3 else ""))
              for n in range(PLAIN_COMMITS)]
    server.git("push", "origin", "main", cwd=work)

    assert api(server, "GET", "/repos/alice/demo/issues/1")["state"] == "closed"
    rows = timeline(server, 1)
    assert [(r["type"], r["ref_commit_sha"]) for r in rows if r["type"] == "commit_ref"] == \
        [("commit_ref", oldest)]
    assert rows[-1]["type"] == "close" and rows[-1]["ref_commit_sha"] == oldest
    assert [r["ref_commit_sha"] for r in timeline(server, 2) if r["type"] == "commit_ref"] == \
        [middle[3]]
    assert api(server, "GET", "/repos/alice/demo/issues/2")["state"] == "open"
    [event] = server.recorder.of("push")
    assert len(event.commits) == PushEvent.MAX_COMMITS < PLAIN_COMMITS + 1
    assert event.total_commits == PLAIN_COMMITS + 1
    assert [sha for sha, _ in event.commit_messages] == [*reversed(middle), oldest]

    with connection(server.ctx.db):
        [payload] = [row.body for row in WebhookPayload.select()
                     .where(WebhookPayload.event == "push")]
    assert [c["id"] for c in payload["commits"]] == \
        list(reversed(middle))[:PushEvent.MAX_COMMITS]
    assert payload["total_commits"] == PLAIN_COMMITS + 1
    assert payload["head_commit"]["id"] == middle[-1]


def test_a_giant_push_is_read_up_to_its_newest_reference_commits(in_process_server,
                                                                  monkeypatch):
    monkeypatch.setattr(PushEvent, "REFERENCE_COMMITS", 5)
    server, work = start(in_process_server)
    commit(server, work, "Fixes #1")
    read = [commit(server, work, "Refs #2" if n == 0 else f"change {n}") for n in range(5)]
    server.git("push", "origin", "main", cwd=work)
    [event] = server.recorder.of("push")
    assert event.total_commits == 6
    assert [sha for sha, _ in event.commit_messages] == list(reversed(read))
    assert api(server, "GET", "/repos/alice/demo/issues/1")["state"] == "open"
    assert [r for r in timeline(server, 1) if r["type"] == "commit_ref"] == []
    assert [r["ref_commit_sha"] for r in timeline(server, 2) if r["type"] == "commit_ref"] == \
        [read[0]]


def test_commits_without_references_cost_the_push_no_statement(in_process_server):
    server, work = start(in_process_server)
    commit(server, work, "warm up")
    server.git("push", "origin", "main", cwd=work)  # the credential and lookups, cached

    def statements_of_pushing(messages: list[str]) -> int:
        for message in messages:
            commit(server, work, message)
        with recorded_statements(server.ctx.db) as seen:
            server.git("push", "origin", "main", cwd=work)
        return len(seen)

    alone = statements_of_pushing(["Refs #1"])
    among_plain = statements_of_pushing(["Refs #2"] + [f"change {n}" for n in range(PLAIN_COMMITS)])
    assert among_plain == alone
    assert [len([r for r in timeline(server, n) if r["type"] == "commit_ref"])
            for n in (1, 2)] == [1, 1]
