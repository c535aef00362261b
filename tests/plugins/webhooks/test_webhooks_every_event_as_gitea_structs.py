"""Every webhook event Plue sends, read the way a receiver written for Gitea reads it: the
payload is decoded into Gitea's payload struct of its event (``modules/structs/hook.go``),
whose nested objects are Gitea's own API structs, checked field by field against the
definitions of Gitea's Swagger spec (``tests/e2e/gitea_swagger.py``: every field present, of
its JSON type, null only where Gitea writes null) — so a ``Repository``, ``User``, ``Issue``,
``Comment``, ``PullRequest`` or ``PayloadCommit`` inside a payload is the whole struct, not
the handful of fields ``receiver.STRUCTS`` names. The headers are checked by the receiver
(``X-Gitea-Event``, ``X-Gitea-Event-Type``, ``X-Gitea-Delivery``, the signatures) and here for
the Gogs and GitHub spellings. One scenario fires each event type at a hook that hears them
all; the test fails naming any type the scenario did not reach."""

from __future__ import annotations

import copy

from plue_actions.testing import ActionsForge
from plue_webhooks.event_types import BUILT_IN_TYPES, header_event

from tests.e2e import gitea_swagger

WORKFLOW = """
name: CI
on: push
jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - run: echo hello
"""

STRING, INTEGER, BOOLEAN = {"type": "string"}, {"type": "integer"}, {"type": "boolean"}
NULL = {"type": "null"}


def _ref(name: str, *, nullable: bool = False) -> dict:
    ref = {"$ref": f"#/definitions/{name}"}
    return {"anyOf": [ref, NULL]} if nullable else ref


CHANGES = {"type": "object", "additionalProperties": {
    "type": "object", "properties": {"from": STRING}, "required": ["from"]}}
REVIEW = {"type": "object", "properties": {"type": STRING, "content": STRING},
          "required": ["type", "content"]}
# Gitea's payload structs (modules/structs/hook.go, hook_workflow*.go): field -> schema, and the
# fields tagged omitempty (absent when empty, so not required).
PAYLOADS = {
    "push": ({"ref": STRING, "before": STRING, "after": STRING, "compare_url": STRING,
              "commits": {"type": "array", "items": _ref("PayloadCommit")},
              "total_commits": INTEGER, "head_commit": _ref("PayloadCommit", nullable=True),
              "repository": _ref("Repository"), "pusher": _ref("User"),
              "sender": _ref("User")}, ()),
    "create": ({"sha": STRING, "ref": STRING, "ref_type": STRING,
                "repository": _ref("Repository"), "sender": _ref("User")}, ()),
    "delete": ({"ref": STRING, "ref_type": STRING, "pusher_type": STRING,
                "repository": _ref("Repository"), "sender": _ref("User")}, ()),
    "fork": ({"forkee": _ref("Repository"), "repository": _ref("Repository"),
              "sender": _ref("User")}, ()),
    "repository": ({"action": STRING, "repository": _ref("Repository"),
                    "organization": _ref("User"), "sender": _ref("User")}, ()),
    "issues": ({"action": STRING, "number": INTEGER, "changes": CHANGES,
                "issue": _ref("Issue"), "repository": _ref("Repository"),
                "sender": _ref("User"), "commit_id": STRING}, ("changes",)),
    "issue_comment": ({"action": STRING, "issue": _ref("Issue"), "comment": _ref("Comment"),
                       "changes": CHANGES, "pull_request": _ref("PullRequest"),
                       "repository": _ref("Repository"), "sender": _ref("User"),
                       "is_pull": BOOLEAN}, ("changes", "pull_request")),
    "pull_request": ({"action": STRING, "number": INTEGER, "changes": CHANGES,
                      "pull_request": _ref("PullRequest"),
                      "requested_reviewer": _ref("User", nullable=True),
                      "repository": _ref("Repository"), "sender": _ref("User"),
                      "commit_id": STRING, "review": {"anyOf": [REVIEW, NULL]}}, ("changes",)),
    "status": ({"commit": _ref("PayloadCommit"), "context": STRING,
                "created_at": {"type": "string", "format": "date-time"},
                "description": STRING, "id": INTEGER, "repository": _ref("Repository"),
                "sender": _ref("User"), "sha": STRING, "state": STRING, "target_url": STRING,
                "updated_at": {"type": "string", "format": "date-time"}}, ()),
    "workflow_run": ({"action": STRING, "workflow": _ref("ActionWorkflow"),
                      "workflow_run": _ref("ActionWorkflowRun"),
                      "pull_request": _ref("PullRequest"), "organization": _ref("Organization"),
                      "repository": _ref("Repository"), "sender": _ref("User")},
                     ("pull_request", "organization")),
    "workflow_job": ({"action": STRING, "workflow_job": _ref("ActionWorkflowJob"),
                      "pull_request": _ref("PullRequest"), "organization": _ref("Organization"),
                      "repository": _ref("Repository"), "sender": _ref("User")},
                     ("pull_request", "organization")),
}
# Each event type's struct: the issue events share IssuePayload, the pull request ones
# PullRequestPayload, a comment on a pull request IssueCommentPayload.
STRUCT_OF = {"issue_assign": "issues", "issue_label": "issues", "issue_milestone": "issues",
             "pull_request_comment": "issue_comment"}
STRUCT_OF.update({kind: "pull_request" for kind in BUILT_IN_TYPES
                  if kind.startswith("pull_request") and kind != "pull_request_comment"})
# Actions that each event type may carry (Gitea's HookIssueAction and friends).
ACTIONS = {
    "repository": {"created", "deleted"},
    "issues": {"opened", "closed", "reopened", "edited"},
    "issue_assign": {"assigned", "unassigned"},
    "issue_label": {"label_updated", "label_cleared"},
    "issue_milestone": {"milestoned", "demilestoned"},
    "issue_comment": {"created", "edited", "deleted"},
    "pull_request": {"opened", "closed", "reopened", "edited"},
    "pull_request_sync": {"synchronized"},
    "pull_request_review_request": {"review_requested", "review_request_removed"},
}
ACTIONS.update({f"pull_request_{change}": ACTIONS[f"issue_{change}"]
                for change in ("assign", "label", "milestone")})
ACTIONS["pull_request_comment"] = ACTIONS["issue_comment"]
ACTIONS.update({f"pull_request_review_{verdict}": {"reviewed"}
                for verdict in ("approved", "rejected", "comment")})


def payload_schema(event_type: str) -> dict:
    properties, omitted = PAYLOADS[STRUCT_OF.get(event_type, event_type)]
    schema = {"type": "object", "properties": copy.deepcopy(properties),
              "required": sorted(set(properties) - set(omitted))}
    definitions = copy.deepcopy(gitea_swagger.definitions())
    # A pushed commit's verification is null: Gitea's ToAPIPayloadCommit, which builds the
    # commits of push and status payloads, leaves the pointer nil.
    commit = definitions["PayloadCommit"]["properties"]
    commit["verification"] = {"anyOf": [commit["verification"], NULL]}
    schema["definitions"] = definitions
    return schema


def _scenario(forge):
    """Every built-in event type, once at least, at the hooks of ``forge``."""
    api = forge
    alice = forge.get("/users/alice").json
    # push + create: a file on a new branch; a tag; then both deleted.
    forge.write_file("f.txt", "feature\n", new_branch="feature", as_user="bob")
    assert api.post("/repos/alice/project/tags", {"tag_name": "v1"}).status_code == 201
    assert api.post("/repos/alice/project/branches",
                    {"new_branch_name": "gone", "old_ref_name": "main"}).status_code == 201
    assert api.delete("/repos/alice/project/branches/gone").status_code == 204
    assert api.delete("/repos/alice/project/tags/v1").status_code == 204
    assert api.post("/repos/alice/project/forks", {}, as_user="bob").status_code == 202
    assert api.post("/user/repos", {"name": "scratch"}).status_code == 201
    assert api.delete("/repos/alice/scratch").status_code == 204
    # issues and their labels, assignees, milestones and comments
    label = api.post("/repos/alice/project/labels", {"name": "bug", "color": "#ee0701"}).json
    milestone = api.post("/repos/alice/project/milestones", {"title": "v1"}).json
    assert api.post("/repos/alice/project/issues", {"title": "Broken"}).status_code == 201
    assert api.patch("/repos/alice/project/issues/1", {"title": "Broken badly"}).status_code == 201
    assert api.post("/repos/alice/project/issues/1/labels",
                    {"labels": [label["id"]]}).status_code == 200
    assert api.delete("/repos/alice/project/issues/1/labels").status_code == 204
    assert api.patch("/repos/alice/project/issues/1", {"assignees": ["bob"]}).status_code == 201
    assert api.patch("/repos/alice/project/issues/1", {"assignees": []}).status_code == 201
    assert api.patch("/repos/alice/project/issues/1",
                     {"milestone": milestone["id"]}).status_code == 201
    assert api.patch("/repos/alice/project/issues/1", {"milestone": 0}).status_code == 201
    comment = api.post("/repos/alice/project/issues/1/comments", {"body": "Seen"}).json
    assert api.patch(f"/repos/alice/project/issues/comments/{comment['id']}",
                     {"body": "Seen twice"}).status_code == 200
    assert api.delete(f"/repos/alice/project/issues/comments/{comment['id']}").status_code == 204
    assert api.patch("/repos/alice/project/issues/1", {"state": "closed"}).status_code == 201
    assert api.patch("/repos/alice/project/issues/1", {"state": "open"}).status_code == 201
    # a pull request through every sub-event
    pull = api.post("/repos/alice/project/pulls", {"head": "feature", "base": "main",
                                                   "title": "Add f"}, as_user="bob")
    assert pull.status_code == 201, pull.text
    number = pull.json["number"]
    base = f"/repos/alice/project/pulls/{number}"
    assert api.patch(base, {"body": "Adds f."}, as_user="bob").status_code == 201
    assert api.patch(f"/repos/alice/project/issues/{number}",
                     {"assignees": ["alice"], "milestone": milestone["id"]}).status_code == 201
    assert api.post(f"/repos/alice/project/issues/{number}/labels",
                    {"labels": [label["id"]]}).status_code == 200
    assert api.post(f"{base}/requested_reviewers", {"reviewers": ["alice"]},
                    as_user="bob").status_code == 201
    assert api.delete(f"{base}/requested_reviewers", {"reviewers": ["alice"]},
                      as_user="bob").status_code == 204
    forge.write_file("g.txt", "more\n", branch="feature", as_user="bob")
    for verdict in ("COMMENT", "REQUEST_CHANGES", "APPROVED"):
        review = api.post(f"{base}/reviews", {"event": verdict, "body": verdict})
        assert review.status_code == 200, review.text
    assert api.post(f"/repos/alice/project/issues/{number}/comments",
                    {"body": "Merging"}).status_code == 201
    assert api.patch(base, {"state": "closed"}).status_code == 201
    assert api.patch(base, {"state": "open"}).status_code == 201
    assert api.post(f"{base}/merge", {"Do": "merge"}).status_code == 200
    # Actions: a run and its job, with their statuses
    actions = ActionsForge(forge.ctx, forge.client, repo="alice/project")
    runner = actions.runner()
    actions.push_file(".gitea/workflows/ci.yml", WORKFLOW, "add ci")
    task = runner.fetch()
    runner.update_task(int(task["id"]), "RESULT_SUCCESS")
    return alice


def test_every_event_type_decodes_as_giteas_payload_struct(forge, receiver):
    forge.add_hook(receiver.url, events=list(BUILT_IN_TYPES))
    forge.add_hook(receiver.url + "?owner", path="/user/hooks", events=["repository"])
    _scenario(forge)
    forge.send()
    problems, seen = [], set()
    for delivery in receiver.deliveries:
        event_type = delivery.event_type
        seen.add(event_type)
        payload = receiver.check(delivery, "s3cret")
        headers = delivery.headers
        # A receiver written for Gogs or GitHub reads its own spellings of the same headers.
        assert headers["X-Gogs-Event"] == headers["X-Gitea-Event"] == header_event(event_type)
        assert headers["X-Gogs-Event-Type"] == headers["X-GitHub-Event-Type"] == event_type
        assert headers["X-Gogs-Delivery"] == delivery.uuid
        assert headers["Content-Type"] == "application/json"
        if event_type in ACTIONS:
            assert payload["action"] in ACTIONS[event_type], (event_type, payload["action"])
        for problem in gitea_swagger.problems(payload, payload_schema(event_type)):
            problems.append(f"{event_type} ({payload.get('action', '')}): {problem}")
    assert not problems, "\n".join(sorted(set(problems)))
    assert seen == set(BUILT_IN_TYPES), f"not reached: {set(BUILT_IN_TYPES) - seen}"
