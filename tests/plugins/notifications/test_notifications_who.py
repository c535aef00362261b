"""Who is told (Gitea's CreateOrUpdateIssueNotifications): the repository's watchers and the
issue's participants — poster, commenters, assignees, mentioned users — never the doer, never
someone who may not read the repository; an assignment or a review request tells that user
alone. One thread per (user, issue), back to unread on new activity."""

from __future__ import annotations

import threading

from plue_core.db import connection
from plue_issues.models import Comment
from plue_notifications import fan_out
from plue_notifications.models import Notification


def test_a_new_issue_and_a_comment_tell_watchers_and_participants_never_the_doer(forge):
    forge.ok("PUT", "/repos/alice/demo/subscription", as_user="bob")
    issue = forge.issue("Broken", as_user="carol")
    assert forge.titles("alice") == ["Broken"]  # she watches demo, as its creator
    assert forge.titles("bob") == ["Broken"]
    assert forge.titles("carol") == []  # her own issue
    forge.comment(issue["number"], "Seen it too, @dave", as_user="wanda")
    assert forge.titles("carol") == ["Broken"]  # the poster
    assert forge.titles("dave") == ["Broken"]  # mentioned
    assert forge.titles("wanda") == []  # the doer
    assert forge.titles("rita") == []  # nothing to do with it
    assert forge.ok("GET", "/notifications/new", as_user="alice") == {"new": 1}  # one thread
    thread = forge.threads("alice")[0]
    comment_id = forge.ok("GET", f"/repos/alice/demo/issues/{issue['number']}/comments")[0]["id"]
    base = thread["repository"]["html_url"]
    assert thread["subject"] == {
        "title": "Broken", "url": f"{thread['repository']['url']}/issues/{issue['number']}",
        "latest_comment_url": f"{thread['repository']['url']}/issues/comments/{comment_id}",
        "html_url": f"{base}/issues/{issue['number']}",
        "latest_comment_html_url": f"{base}/issues/{issue['number']}#issuecomment-{comment_id}",
        "type": "Issue", "state": "open"}
    assert thread["unread"] is True and thread["pinned"] is False
    assert thread["url"].endswith(f"/api/v1/notifications/threads/{thread['id']}")
    assert thread["repository"]["full_name"] == "alice/demo"
    assert "permissions" not in thread["repository"]  # Gitea leaves them out


def test_a_read_thread_turns_unread_on_new_activity_and_a_pinned_one_stays_pinned(forge):
    issue = forge.issue("Flaky", as_user="bob")
    [thread] = forge.threads("alice")
    read = forge.ok("PATCH", f"/notifications/threads/{thread['id']}", status=205)
    assert read["unread"] is False and read["pinned"] is False
    assert forge.threads("alice") == []  # the default list: unread and pinned
    assert len(forge.threads("alice", all="true")) == 1
    forge.ok("PATCH", f"/repos/alice/demo/issues/{issue['number']}", {"state": "closed"},
             as_user="bob")
    [again] = forge.threads("alice")
    assert again["id"] == thread["id"] and again["unread"] is True
    assert again["subject"]["state"] == "closed"
    pinned = forge.ok("PATCH", f"/notifications/threads/{thread['id']}",
                      params={"to-status": "pinned"}, status=205)
    assert pinned["pinned"] is True and pinned["unread"] is False
    forge.comment(issue["number"], "still flaky", as_user="bob")
    [still] = forge.threads("alice")
    assert still["pinned"] is True and still["updated_at"] >= pinned["updated_at"]
    with connection(forge.ctx.db):
        assert Notification.select().where(Notification.issue == issue["id"]).count() == 1


def test_a_private_repositorys_watcher_whose_access_was_removed_hears_and_sees_nothing(forge):
    forge.ok("PUT", "/repos/alice/secret/subscription", as_user="rita")
    issue = forge.issue("Secret plan", repo="alice/secret")
    [thread] = forge.threads("rita")
    assert forge.titles("bob") == []
    access = "/repos/alice/secret/collaborators/rita"
    forge.ok("DELETE", access)
    assert forge.threads("rita", all="true") == []
    assert forge.ok("GET", "/notifications/new", as_user="rita") == {"new": 0}
    forge.ok("GET", f"/notifications/threads/{thread['id']}", as_user="rita", status=404)
    forge.ok("PUT", access, {"permission": "read"})
    forge.ok("PATCH", f"/notifications/threads/{thread['id']}", as_user="rita", status=205)
    forge.ok("DELETE", access)
    forge.comment(issue["number"], "more secrets", repo="alice/secret")  # would unread hers
    forge.ok("PUT", access, {"permission": "read"})
    [kept] = forge.threads("rita", all="true")
    assert kept["id"] == thread["id"] and kept["unread"] is False


def test_an_assignment_tells_the_assignee_alone(forge):
    issue = forge.issue("Yours", as_user="alice")
    forge.ok("PUT", "/repos/alice/demo/subscription", as_user="bob")
    forge.ok("PATCH", f"/repos/alice/demo/issues/{issue['number']}", {"assignees": ["wanda"]})
    assert forge.titles("wanda") == ["Yours"]
    assert forge.titles("bob") == []  # a watcher is not told of an assignment


def test_a_pull_request_tells_of_its_opening_review_request_and_merge(forge):
    forge.ok("POST", "/repos/alice/demo/contents/feature.txt",
             {"content": "ZmVhdHVyZQo=", "message": "feature", "new_branch": "feature"})
    pull = forge.ok("POST", "/repos/alice/demo/pulls",
                    {"title": "Feature", "head": "feature", "base": "main"}, as_user="wanda")
    assert forge.titles("alice") == ["Feature"]
    [thread] = forge.threads("alice")
    assert thread["subject"]["type"] == "Pull" and thread["subject"]["state"] == "open"
    assert thread["subject"]["html_url"].endswith(f"/alice/demo/pulls/{pull['number']}")
    assert forge.threads("alice", **{"subject-type": "issue"}) == []
    forge.ok("PUT", "/repos/alice/demo/collaborators/bob", {"permission": "read"})
    forge.ok("POST", f"/repos/alice/demo/pulls/{pull['number']}/requested_reviewers",
             {"reviewers": ["bob"]}, as_user="wanda", status=201)
    assert forge.titles("bob") == ["Feature"]
    forge.ok("POST", f"/repos/alice/demo/pulls/{pull['number']}/merge", {"Do": "merge"})
    [merged] = forge.threads("wanda")
    assert merged["subject"]["state"] == "merged"


def test_a_deleted_issue_takes_its_threads_with_it(forge):
    issue = forge.issue("Gone soon", as_user="bob")
    assert forge.titles("alice") == ["Gone soon"]
    forge.ok("DELETE", f"/repos/alice/demo/issues/{issue['number']}", status=204)
    assert forge.threads("alice", all="true") == []


def test_threads_are_written_after_the_change_commits(forge, monkeypatch):
    seen, notify = [], fan_out.notify

    def observing(ctx, activity):
        def look():  # another connection: it sees only what has committed
            with connection(ctx.db):
                seen.append(Comment.select().where(Comment.id == activity.comment_id).exists())

        other = threading.Thread(target=look)
        other.start()
        other.join()
        notify(ctx, activity)

    monkeypatch.setattr(fan_out, "notify", observing)
    issue = forge.issue("Committed first", as_user="bob")
    forge.comment(issue["number"], "me too", as_user="carol")
    assert seen[-1] is True
    assert forge.titles("bob") == ["Committed first"]


def test_a_failing_fan_out_never_fails_the_change(forge, monkeypatch):
    def broken(ctx, activity):
        raise RuntimeError("the notifications table is on fire")

    monkeypatch.setattr(fan_out, "notify", broken)
    issue = forge.issue("Still created", as_user="bob")
    assert forge.ok("GET", f"/repos/alice/demo/issues/{issue['number']}")["title"] == "Still created"
    assert forge.threads("alice") == []


def test_with_the_plugin_disabled_issues_work_and_its_routes_are_gone(build_forge):
    forge = build_forge(plugins={"disabled": ["notifications"]})
    forge.issue("No one is told", as_user="bob")
    forge.ok("GET", "/notifications", status=404)


def test_an_explicit_subscription_wins_over_watching_and_taking_part(forge):
    number = forge.issue("Noisy", as_user="carol")["number"]
    [told] = forge.threads("alice")  # she watches demo
    forge.ok("PATCH", f"/notifications/threads/{told['id']}", status=205)  # read
    forge.ok("DELETE", f"/repos/alice/demo/issues/{number}/subscriptions/alice")
    forge.ok("DELETE", f"/repos/alice/demo/issues/{number}/subscriptions/carol", as_user="carol")
    forge.ok("PUT", f"/repos/alice/demo/issues/{number}/subscriptions/bob", as_user="bob")
    forge.comment(number, "any news?", as_user="wanda")
    assert forge.titles("bob") == ["Noisy"]  # subscribed: told, though no watcher nor part
    assert forge.titles("carol") == []  # the poster, unsubscribed
    assert forge.titles("alice") == []  # the watcher, unsubscribed: her thread stays read
