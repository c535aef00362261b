"""Each built-in event as Gitea's payload, checked by the receiver against Gitea's structs:
issues, comments, pull requests and their reviews, repositories created and deleted, forks;
who hears what (repository, organization, user and system hooks); and a third-party plugin
that turns its own bus event into a webhook event in a few lines."""

from __future__ import annotations

import dataclasses
from typing import ClassVar

from plue_core import hookimpl
from plue_core.events import Event

from plue_webhooks.outbox import WebhookEvent


def test_issue_events_and_comments_have_giteas_payloads(forge, receiver):
    forge.add_hook(receiver.url, events=["issues"])
    issue = forge.post("/repos/alice/project/issues", {"title": "Broken", "body": "It is."})
    assert issue.status_code == 201, issue.text
    comment = forge.post("/repos/alice/project/issues/1/comments", {"body": "Indeed."},
                         as_user="bob")
    assert comment.status_code == 201, comment.text
    assert forge.patch("/repos/alice/project/issues/1", {"state": "closed"}).status_code == 201
    forge.send()
    actions = [(d.event_type, d.payload["action"]) for d in receiver.deliveries]
    assert actions == [("issues", "opened"), ("issue_comment", "created"), ("issues", "closed")]
    opened = receiver.check(receiver.deliveries[0], "s3cret")
    assert opened["number"] == 1 and opened["issue"]["title"] == "Broken"
    assert opened["sender"]["login"] == "alice"
    said = receiver.check(receiver.deliveries[1], "s3cret")
    assert said["comment"]["body"] == "Indeed." and said["is_pull"] is False
    assert said["comment"]["id"] == comment.json["id"] and said["sender"]["login"] == "bob"
    assert "pull_request" not in said
    closed = receiver.check(receiver.deliveries[2], "s3cret")
    assert closed["issue"]["state"] == "closed"


def test_pull_request_events_reviews_and_comments(forge, receiver):
    forge.add_hook(receiver.url, events=["pull_request"])
    forge.write_file("f.txt", "feature\n", new_branch="feature", as_user="bob")
    pull = forge.post("/repos/alice/project/pulls", {"head": "feature", "base": "main",
                                                     "title": "Add f"}, as_user="bob")
    assert pull.status_code == 201, pull.text
    forge.write_file("g.txt", "more\n", branch="feature", as_user="bob")
    review = forge.post("/repos/alice/project/pulls/1/reviews",
                        {"event": "APPROVED", "body": "Looks good."})
    assert review.status_code == 200, review.text
    assert forge.post("/repos/alice/project/issues/1/comments", {"body": "Merging."}).status_code == 201
    merge = forge.post("/repos/alice/project/pulls/1/merge", {"Do": "merge"})
    assert merge.status_code == 200, merge.text
    forge.send()
    kinds = [(d.event_type, d.payload["action"]) for d in receiver.deliveries]
    assert kinds == [("pull_request", "opened"), ("pull_request_sync", "synchronized"),
                     ("pull_request_review_approved", "reviewed"),
                     ("pull_request_comment", "created"), ("pull_request", "closed")]
    payloads = [receiver.check(d, "s3cret") for d in receiver.deliveries]
    assert payloads[0]["pull_request"]["head"]["ref"] == "feature"
    assert payloads[0]["number"] == 1 and payloads[0]["sender"]["login"] == "bob"
    assert payloads[2]["review"] == {"type": "pull_request_review_approved",
                                     "content": "Looks good."}
    assert receiver.deliveries[2].headers["X-Gitea-Event"] == "pull_request_approved"
    assert payloads[3]["is_pull"] is True and payloads[3]["pull_request"]["number"] == 1
    assert payloads[4]["pull_request"]["merged"] is True


def test_review_verdicts_can_be_chosen_alone(forge, receiver):
    forge.add_hook(receiver.url, events=["pull_request_review_rejected"])
    forge.write_file("f.txt", "feature\n", new_branch="feature", as_user="bob")
    assert forge.post("/repos/alice/project/pulls", {"head": "feature", "base": "main",
                                                     "title": "Add f"}, as_user="bob").status_code == 201
    for verdict in ("COMMENT", "REQUEST_CHANGES"):
        assert forge.post("/repos/alice/project/pulls/1/reviews",
                          {"event": verdict, "body": verdict}).status_code == 200
    forge.send()
    assert [d.event_type for d in receiver.deliveries] == ["pull_request_review_rejected"]
    assert receiver.check(receiver.deliveries[0], "s3cret")["review"]["content"] == "REQUEST_CHANGES"


def test_organization_hooks_hear_their_repositories_and_system_hooks_everything(forge, receiver):
    forge.add_hook(receiver.url + "?org", path="/orgs/acme/hooks", events=["repository", "push"])
    forge.add_hook(receiver.url + "?system", path="/admin/hooks", as_user="root",
                   events=["repository"], config={"is_system_webhook": "true"})
    forge.add_hook(receiver.url + "?user", path="/user/hooks", events=["push"])
    created = forge.post("/orgs/acme/repos", {"name": "tool", "auto_init": True})
    assert created.status_code == 201, created.text
    forge.write_file("a.txt", "a\n", repo="acme/tool")
    forge.write_file("a.txt", "a\n")  # alice/project: the user hook's
    assert forge.delete("/repos/acme/tool").status_code == 204
    forge.send()
    heard = sorted((d.path, d.event_type, d.payload.get("action", "")) for d in receiver.deliveries)
    assert heard == [("/hook?org", "push", ""), ("/hook?org", "repository", "created"),
                     ("/hook?org", "repository", "deleted"),
                     ("/hook?system", "repository", "created"),
                     ("/hook?system", "repository", "deleted"), ("/hook?user", "push", "")]
    for delivery in receiver.of("repository"):
        payload = receiver.check(delivery, "s3cret")
        assert payload["repository"]["full_name"] == "acme/tool"
        assert payload["organization"]["login"] == "acme"


def test_a_fork_is_announced_to_the_parents_hooks(forge, receiver):
    forge.add_hook(receiver.url, events=["fork"])
    fork = forge.post("/repos/alice/project/forks", {}, as_user="bob")
    assert fork.status_code == 202, fork.text
    forge.send()
    [delivery] = receiver.deliveries
    payload = receiver.check(delivery, "s3cret")
    assert payload["forkee"]["full_name"] == "alice/project"
    assert payload["repository"]["full_name"] == "bob/project"
    assert payload["sender"]["login"] == "bob"


def test_a_deleted_repository_takes_its_hooks_with_it(forge, receiver):
    hook = forge.add_hook(receiver.url)
    forge.write_file("a.txt", "a\n")
    from plue_webhooks.models import Webhook, WebhookDelivery
    assert forge.delete("/repos/alice/project").status_code == 204
    assert Webhook.get_or_none(Webhook.id == hook["id"]) is None
    assert WebhookDelivery.select().count() == 0


# --- a third-party plugin ------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class DeploymentFinished(Event):
    name: ClassVar[str] = "deployment_finished"

    repository_id: int
    environment: str


class DeploymentsPlugin:
    """All it takes: declare the type, translate the bus event."""

    PLUE_NAME = "deployments"

    @hookimpl
    def register_events(self):
        return [DeploymentFinished]

    @hookimpl
    def webhook_event_types(self):
        return ["deployment"]

    @hookimpl
    def webhook_events(self, ctx, event):
        if event.name == "deployment_finished":
            return [WebhookEvent("deployment", {"environment": event.environment},
                                 repository_id=event.repository_id)]


def test_a_plugin_turns_its_own_event_into_a_webhook_event(build_forge, receiver):
    forge = build_forge(DeploymentsPlugin())
    assert forge.post("/repos/alice/project/hooks", {"type": "gitea", "config": {
        "url": receiver.url, "content_type": "json"}, "events": ["nothing-like-it"]}).status_code == 422
    forge.add_hook(receiver.url, events=["deployment"])
    repository = forge.ctx.services["git_hosting"].find_repository("alice", "project")
    from plue_core.db import connection, write_transaction
    with connection(forge.ctx.db), write_transaction():
        forge.ctx.events.publish(DeploymentFinished(repository_id=repository.id,
                                                    environment="production"))
    forge.send()
    [delivery] = receiver.deliveries
    assert delivery.headers["X-Gitea-Event"] == "deployment"
    assert delivery.payload == {"environment": "production"}


def test_a_deleted_account_takes_its_hooks_with_it(forge, receiver):
    from plue_webhooks.models import Webhook
    hook = forge.add_hook(receiver.url, path="/user/hooks", as_user="carol")
    assert forge.delete("/admin/users/carol", as_user="root").status_code == 204
    assert Webhook.get_or_none(Webhook.id == hook["id"]) is None
