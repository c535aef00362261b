"""Gitea's notifications API: the lists' query parameters (``all``, ``status-types``,
``subject-type``, ``since`` / ``before``, paging), PUT's ``last_read_at`` / ``to-status``
answering 205 with the changed threads, a repository's threads, and who may read a thread."""

from __future__ import annotations


def _three_threads(forge) -> list[dict]:
    """bob opens three issues on demo: alice has a thread of each, newest first."""
    for title in ("one", "two", "three"):
        forge.issue(title, as_user="bob")
    return forge.threads("alice")


def test_a_list_filters_by_status_subject_type_and_time_and_pages(forge):
    threads = _three_threads(forge)
    assert [t["subject"]["title"] for t in threads] == ["three", "two", "one"]
    forge.ok("PATCH", f"/notifications/threads/{threads[0]['id']}", status=205)
    forge.ok("PATCH", f"/notifications/threads/{threads[1]['id']}",
             params={"to-status": "pinned"}, status=205)
    assert forge.titles("alice") == ["two", "one"]  # unread and pinned
    assert forge.titles("alice", **{"status-types": "read"}) == ["three"]
    assert forge.titles("alice", **{"status-types": ["read", "unread"]}) == ["three", "one"]
    # Patching moved "three", then "two", to the top.
    assert forge.titles("alice", **{"status-types": "nonsense"}) == ["two", "three", "one"]
    assert forge.titles("alice", all="true", **{"status-types": "read"}) == ["two", "three", "one"]
    assert forge.titles("alice", all="true", **{"subject-type": "pull"}) == []
    assert len(forge.threads("alice", all="true", **{"subject-type": ["Issue", "pull"]})) == 3
    page = forge.get("/notifications", params={"all": "1", "limit": "2", "page": "2"})
    assert [t["subject"]["title"] for t in page.json] == ["one"]
    assert page.headers["X-Total-Count"] == "3" and 'rel="first"' in page.headers["Link"]
    newest = threads[0]["updated_at"]
    assert forge.titles("alice", all="true", since="2999-01-01T00:00:00Z") == []
    assert forge.titles("alice", all="true", before="2000-01-01T00:00:00Z") == []
    assert "three" in forge.titles("alice", all="true", since=newest)
    bad = forge.get("/notifications", params={"before": "soon"})
    assert bad.status_code == 422 and "before" in bad.json["message"]


def test_put_marks_the_matching_threads_and_answers_205_with_them(forge):
    threads = _three_threads(forge)
    oldest = forge.ok("GET", f"/notifications/threads/{threads[2]['id']}")
    changed = forge.ok("PUT", "/notifications", params={"last_read_at": "2000-01-01T00:00:00Z"},
                       status=205)
    assert changed == []  # none is that old
    changed = forge.ok("PUT", "/notifications", status=205)
    assert sorted(t["id"] for t in changed) == sorted(t["id"] for t in threads)
    assert all(t["unread"] is False for t in changed)
    assert forge.threads("alice") == []
    back = forge.ok("PUT", "/notifications", params={"status-types": "read",
                                                     "to-status": "unread"}, status=205)
    assert len(back) == 3 and forge.ok("GET", "/notifications/new") == {"new": 3}
    assert oldest["subject"]["title"] == "one"
    bad = forge.put("/notifications", params={"last_read_at": "yesterday"})
    assert bad.status_code == 400 and "last_read_at" in bad.json["message"]


def test_a_repositorys_threads_are_the_callers_in_that_repository(forge):
    forge.issue("demo's", as_user="bob")
    forge.ok("PUT", "/repos/alice/secret/collaborators/bob", {"permission": "write"})
    forge.issue("secret's", repo="alice/secret", as_user="bob")
    assert forge.titles("alice") == ["secret's", "demo's"]
    demo = forge.ok("GET", "/repos/alice/demo/notifications")
    assert [t["subject"]["title"] for t in demo] == ["demo's"]
    changed = forge.ok("PUT", "/repos/alice/secret/notifications", status=205)
    assert [t["subject"]["title"] for t in changed] == ["secret's"]
    assert forge.titles("alice") == ["demo's"]
    forge.ok("GET", "/repos/alice/secret/notifications", as_user="carol", status=404)
    assert forge.ok("GET", "/repos/alice/demo/notifications", as_user="carol") == []


def test_a_thread_is_its_users_alone_and_needs_the_notification_scope(forge):
    forge.issue("x", as_user="bob")
    [thread] = forge.threads("alice")
    path = f"/notifications/threads/{thread['id']}"
    forge.ok("GET", path, as_user="bob", status=403)
    forge.ok("PATCH", path, as_user="bob", status=403)
    forge.ok("GET", "/notifications/threads/4242", status=404)
    forge.ok("GET", "/notifications", as_user=None, status=401)
    without = forge.token("alice", "read:repository")
    forge.ok("GET", "/notifications", as_user=without, status=403)
    reader = forge.token("alice", "read:notification", "read:repository")
    assert forge.ok("GET", path, as_user=reader)["id"] == thread["id"]
    forge.ok("PATCH", path, as_user=reader, status=403)  # marking needs write:notification
