"""The built-in plugins' bus events as Gitea's webhook payloads (``modules/structs/hook.go``):
push, create, delete, fork, repository, issues, issue_comment, pull_request and its review
verdicts. Bodies of repositories, users, issues, comments and pull requests come from the
owning plugins' services, as their APIs render them to an anonymous viewer; nothing is
rendered unless some hook wants the event (the payloads are functions)."""

from __future__ import annotations

from plue_core.accounts.models import Account

from plue_webhooks.outbox import WebhookEvent

ZERO_SHA = "0" * 40
REVIEW_TYPES = {"APPROVED": "pull_request_review_approved",
                "REQUEST_CHANGES": "pull_request_review_rejected",
                "COMMENT": "pull_request_review_comment"}


class Renderer:
    """What every payload embeds, through the services (the viewer is anonymous: webhooks
    reach outside the forge)."""

    def __init__(self, ctx):
        self.ctx = ctx
        self.hosting = ctx.services["git_hosting"]
        self.accounts = ctx.services["accounts"]
        self._repositories: dict = {}

    def repository(self, repository_id: int):
        """The row, read once per renderer (an event's scope and its payload both need it,
        in the same transaction)."""
        if repository_id not in self._repositories:
            self._repositories[repository_id] = self.hosting.get_repository_by_id(repository_id)
        return self._repositories[repository_id]

    def repository_json(self, repository) -> dict:
        return self.hosting.repository_json(repository, None)

    def user_json(self, name: str | None) -> dict | None:
        account = self.accounts.find_account(name) if name else None
        return self.accounts.user_json(account, None) if account is not None else None

    def payload_commits(self, repository, commits, *, files: bool = True) -> list[dict]:
        """Gitea's ``PayloadCommit`` for the push event's commits; with ``files``, the
        paths each added, removed and modified and the ``username`` of an author or
        committer whose e-mail is a user's (read from git and the accounts: the sender fills
        them in when the push left them out, see :func:`completed`)."""
        bodies = [{"id": commit["id"], "message": commit["message"], "url": commit["url"],
                   "author": _payload_user(commit["author"]),
                   "committer": _payload_user(commit["committer"]),
                   "verification": None, "timestamp": commit["timestamp"]}
                  for commit in commits]
        if files:
            self.add_file_lists(repository, bodies)
        return bodies

    def add_file_lists(self, repository, bodies: list[dict], known: dict | None = None) -> None:
        """Fill each commit's file lists and its people's usernames (Gitea's, by e-mail);
        ``known`` (sha -> what was read) spares reading a commit again (the sender keeps
        one: fifty hooks get the same push)."""
        known = {} if known is None else known
        missing = [body for body in bodies if body["id"] not in known]
        if missing:
            with self.hosting.open_git(repository) as repo:
                objects = []
                for body in missing:
                    try:
                        objects.append(repo[body["id"].encode()])
                    except KeyError:  # gone since (force-pushed away, then collected)
                        pass
                for commit in self.hosting.commits_json(repository, repo, objects, None,
                                                        stat=False, files=True,
                                                        verification=False):
                    known[commit["sha"]] = (_file_lists(commit["files"] or []),
                                            {role: (commit[role] or {}).get("login", "")
                                             for role in ("author", "committer")})
        for body in bodies:
            lists, usernames = known.get(body["id"], (_file_lists([]), {}))
            body.update({key: list(value) for key, value in lists.items()})
            for role, username in usernames.items():
                body[role] = dict(body[role], username=username)


def completed(ctx, event_type: str, payload: dict, known: dict | None = None) -> dict | None:
    """``payload`` with what the event left for later (a push's file lists: reading trees
    costs more than the rest of the payload, and commits do not change), or None when
    nothing was missing. Called by the sender before the first attempt."""
    if event_type != "push" or all("added" in c for c in payload.get("commits") or ()):
        return None
    render = Renderer(ctx)
    repository = render.repository(payload["repository"]["id"])
    payload = dict(payload, commits=[dict(c) for c in payload["commits"]])
    if repository is not None:
        render.add_file_lists(repository, payload["commits"], known)
    for commit in payload["commits"]:  # the repository is gone: nothing to read
        for key in ("added", "removed", "modified"):
            commit.setdefault(key, [])
    head = payload.get("head_commit")
    if head is not None:
        payload["head_commit"] = next((c for c in payload["commits"] if c["id"] == head["id"]),
                                      head)
    return payload


def _payload_user(person: dict) -> dict:
    return {"name": person.get("name", ""), "email": person.get("email", ""), "username": ""}


def _file_lists(files: list[dict]) -> dict:
    lists = {"added": [], "removed": [], "modified": []}
    for entry in files:
        status = entry["status"]
        key = "added" if status == "added" else "removed" if status in ("removed", "deleted") \
            else "modified"
        lists[key].append(entry["filename"])
    return lists


def _short_ref(ref: str) -> tuple[str, str]:
    for prefix, kind in (("refs/heads/", "branch"), ("refs/tags/", "tag")):
        if ref.startswith(prefix):
            return ref[len(prefix):], kind
    return ref, "branch"


def push_events(ctx, event) -> list[WebhookEvent]:
    render = Renderer(ctx)
    name, ref_type = _short_ref(event.ref)
    branch = name if ref_type == "branch" else None
    scope = {"repository_id": event.repository_id, "branch": branch}

    def base():
        repository = render.repository(event.repository_id)
        return repository, render.repository_json(repository), render.user_json(event.pusher)

    def push_payload():
        repository, repo_json, pusher = base()
        commits = render.payload_commits(repository, list(event.commits), files=False)
        compare = ""
        since = event.before if event.before != ZERO_SHA else \
            _new_branch_base(render, repository, event, branch)
        if since and event.after != ZERO_SHA:
            compare = f"{repo_json['html_url']}/compare/{since}...{event.after}"
        return {"ref": event.ref, "before": event.before, "after": event.after,
                "compare_url": compare, "commits": commits, "total_commits": event.total_commits,
                "head_commit": commits[0] if commits else None, "repository": repo_json,
                "pusher": pusher, "sender": pusher}

    def create_payload():
        _, repo_json, sender = base()
        return {"sha": event.after, "ref": name, "ref_type": ref_type, "repository": repo_json,
                "sender": sender}

    def delete_payload():
        _, repo_json, sender = base()
        return {"ref": name, "ref_type": ref_type, "pusher_type": "user",
                "repository": repo_json, "sender": sender}

    owner = {"owner_id": render.repository(event.repository_id).owner_id}
    if event.after == ZERO_SHA:
        return [WebhookEvent("delete", delete_payload, **scope, **owner)]
    found = []
    if event.before == ZERO_SHA:
        found.append(WebhookEvent("create", create_payload, **scope, **owner))
    found.append(WebhookEvent("push", push_payload, **scope, **owner))
    return found


def _new_branch_base(render, repository, event, branch: str | None) -> str:
    """What a new branch's ``compare_url`` starts from, as Gitea's push: the parent of the
    oldest commit pushed, else the default branch (for another branch), else nothing."""
    if branch is None:
        return ""
    if event.commit_messages:
        with render.hosting.open_git(repository) as repo:
            try:
                parents = repo[event.commit_messages[-1][0].encode()].parents
            except KeyError:  # collected since: no base to name
                parents = []
        if parents:
            return parents[0].decode()
    return event.default_branch if branch != event.default_branch else ""


def repository_events(ctx, event, action: str) -> list[WebhookEvent]:
    """``repository`` created / deleted for the owner's and the system hooks, and ``fork``
    for the parent's hooks when a fork was created."""
    render = Renderer(ctx)
    repository = render.repository(event.repository_id)
    if repository is None:
        return []
    owner = repository.owner
    creator = Account.get_or_none(Account.id == event.creator_id) \
        if getattr(event, "creator_id", None) is not None else None
    sender_name = creator.name if creator is not None else owner.name

    def repository_payload():
        return {"action": action, "repository": render.repository_json(repository),
                "organization": render.accounts.user_json(owner, None),
                "sender": render.user_json(sender_name)}

    found = [WebhookEvent("repository", repository_payload, owner_id=owner.id)]
    fork_of = getattr(event, "fork_of", None)
    if action == "created" and fork_of is not None:
        parent = render.repository(fork_of)
        if parent is not None:
            found.append(WebhookEvent(
                "fork", lambda: {"forkee": render.repository_json(parent),
                                 "repository": render.repository_json(repository),
                                 "sender": render.user_json(sender_name)},
                repository_id=parent.id, owner_id=parent.owner_id))
    return found


def issue_events(ctx, event, action: str) -> list[WebhookEvent]:
    render = Renderer(ctx)
    issues = ctx.services["issues"]
    repository = render.repository(event.repository_id)
    sender = getattr(event, "poster", None) or getattr(event, "doer", "")

    def payload():
        issue = issues.issue_by_id(event.issue_id)
        return {"action": action, "number": event.number,
                "issue": issues.issue_json(issue, None),
                "repository": render.repository_json(repository),
                "sender": render.user_json(sender), "commit_id": ""}

    return [WebhookEvent.of_repository("issues", payload, repository)]


CHANGE_TYPES = {"label_updated": "label", "label_cleared": "label", "assigned": "assign",
                "unassigned": "assign", "milestoned": "milestone", "demilestoned": "milestone",
                "edited": ""}


def change_events(ctx, event) -> list[WebhookEvent]:
    """Labels, assignees or milestone of an issue or pull request changed."""
    kind = CHANGE_TYPES.get(event.action)
    if kind is None:
        return []
    if event.is_pull and ("pulls" not in ctx.services or event.action == "edited"):
        return []  # the pulls plugin announces a pull request's edit as a pull_request event
    render = Renderer(ctx)
    issues = ctx.services["issues"]
    repository = render.repository(event.repository_id)

    def payload():
        body = {"action": event.action, "number": event.number}
        if event.is_pull:
            body.update(pull_request=ctx.services["pulls"].pull_json(repository, event.number, None),
                        requested_reviewer=None, review=None)
        else:
            body["issue"] = issues.issue_json(issues.issue_by_id(event.issue_id), None)
        if event.changes:  # Gitea's ChangesPayload: what each edited field was
            body["changes"] = {field: {"from": old} for field, old in event.changes}
        body.update(repository=render.repository_json(repository),
                    sender=render.user_json(event.doer), commit_id="")
        return body

    event_type = f"{'pull_request' if event.is_pull else 'issue'}_{kind}" if kind else \
        ("pull_request" if event.is_pull else "issues")
    return [WebhookEvent.of_repository(event_type, payload, repository)]


def comment_events(ctx, event) -> list[WebhookEvent]:
    render = Renderer(ctx)
    issues = ctx.services["issues"]
    repository = render.repository(event.repository_id)

    def payload():
        issue = issues.issue_by_id(event.issue_id)
        comment = issues.comment_json(event.comment_id, None)
        if comment is None:  # deleted: Gitea sends what the comment was
            comment = {"id": event.comment_id, "body": event.body,
                       "user": render.user_json(event.commenter)}
        body = {"action": event.action, "issue": issues.issue_json(issue, None),
                "comment": comment, "repository": render.repository_json(repository),
                "sender": render.user_json(event.commenter), "is_pull": event.is_pull}
        if event.is_pull and "pulls" in ctx.services:
            body["pull_request"] = ctx.services["pulls"].pull_json(repository, event.number, None)
        return body

    kind = "pull_request_comment" if event.is_pull else "issue_comment"
    return [WebhookEvent.of_repository(kind, payload, repository)]


def pull_request_events(ctx, event) -> list[WebhookEvent]:
    render = Renderer(ctx)
    pulls = ctx.services["pulls"]
    repository = render.repository(event.repository_id)

    def payload():
        reviewer = getattr(event, "requested_reviewer", "")
        body = {"action": event.action, "number": event.number,
                "pull_request": pulls.pull_json(repository, event.number, None),
                "requested_reviewer": render.user_json(reviewer) if reviewer else None,
                "repository": render.repository_json(repository),
                "sender": render.user_json(event.sender), "commit_id": "", "review": None}
        changes = getattr(event, "changes", ())
        if changes:  # Gitea's ChangesPayload of an edited title or body
            body["changes"] = {field: {"from": old} for field, old in changes}
        return body

    kind = {"synchronized": "pull_request_sync", "review_requested": "pull_request_review_request",
            "review_request_removed": "pull_request_review_request"}.get(event.action,
                                                                          "pull_request")
    return [WebhookEvent.of_repository(kind, payload, repository, branch=event.base_ref)]


def review_events(ctx, event) -> list[WebhookEvent]:
    kind = REVIEW_TYPES.get(event.state)
    if kind is None:
        return []
    render = Renderer(ctx)
    pulls = ctx.services["pulls"]
    repository = render.repository(event.repository_id)

    def payload():
        pull = pulls.pull_json(repository, event.number, None)
        review = pulls.review_json(repository, event.number, event.review_id, None) or {}
        return {"action": "reviewed", "number": event.number, "pull_request": pull,
                "requested_reviewer": None, "repository": render.repository_json(repository),
                "sender": render.user_json(event.reviewer), "commit_id": event.head_sha,
                "review": {"type": kind, "content": review.get("body", "")}}

    return [WebhookEvent.of_repository(kind, payload, repository)]


def _account_json(render, account_id):
    account = Account.get_or_none(Account.id == account_id) if account_id else None
    return render.accounts.user_json(account, None) if account is not None else None


def _with_repository(render, repository, sender_id, body: dict) -> dict:
    """``body`` ended as Gitea ends its actions payloads: the repository, the sender and the
    ``organization`` when the owner is one (left out otherwise)."""
    body["repository"] = render.repository_json(repository)
    body["sender"] = _account_json(render, sender_id)
    owner = repository.owner
    if owner.type == "organization":
        body["organization"] = render.accounts.org_json(owner)
    return body


def _actions_events(ctx, event, event_type: str, payload_of) -> list[WebhookEvent]:
    """The one webhook event of an actions bus event, none when its repository is gone;
    ``payload_of(render, actions, repository)`` builds the body when some hook wants it."""
    render = Renderer(ctx)
    actions = ctx.services["actions"]
    repository = render.repository(event.repository_id)
    if repository is None:
        return []
    return [WebhookEvent.of_repository(
        event_type, lambda: payload_of(render, actions, repository), repository)]


def workflow_run_events(ctx, event) -> list[WebhookEvent]:
    def payload(render, actions, repository):
        return _with_repository(render, repository, event.trigger_user_id, {
            "action": event.action, "workflow": actions.workflow_json_of_run(event.run_id),
            "workflow_run": actions.run_json(event.run_id)})

    return _actions_events(ctx, event, "workflow_run", payload)


def workflow_job_events(ctx, event) -> list[WebhookEvent]:
    def payload(render, actions, repository):
        return _with_repository(render, repository, event.trigger_user_id, {
            "action": event.action, "workflow_job": actions.job_json(event.job_id)})

    return _actions_events(ctx, event, "workflow_job", payload)


def status_events(ctx, event) -> list[WebhookEvent]:
    def payload(render, actions, repository):
        status = actions.commit_status_json(event.status_id) or {}
        commits = []
        with render.hosting.open_git(repository) as repo:
            commit = repo[event.sha.encode()]
            [body] = render.hosting.commits_json(repository, repo, [commit], None, stat=False,
                                                 files=False, verification=False)
            commits = [{"id": body["sha"], "message": body["commit"]["message"],
                        "url": body["html_url"], "author": body["commit"]["author"],
                        "committer": body["commit"]["committer"],
                        "timestamp": body["commit"]["committer"]["date"]}]
        return {"commit": render.payload_commits(repository, commits)[0],
                "context": event.context, "created_at": status.get("created_at"),
                "description": status.get("description", ""), "id": event.status_id,
                "repository": render.repository_json(repository),
                "sender": _account_json(render, event.creator_id), "sha": event.sha,
                "state": event.state, "target_url": status.get("target_url", ""),
                "updated_at": status.get("updated_at")}

    return _actions_events(ctx, event, "status", payload)


def translate(ctx, event) -> list[WebhookEvent] | None:
    """The webhook events of a built-in bus event (None for events that have none)."""
    name = event.name
    if name == "push":
        return push_events(ctx, event)
    if name == "repository_created":
        return repository_events(ctx, event, "created")
    if name == "repository_deleted":
        return repository_events(ctx, event, "deleted")
    if name in ("issue_opened", "issue_closed", "issue_reopened"):
        return issue_events(ctx, event, name.removeprefix("issue_"))
    if name == "issue_comment":
        return comment_events(ctx, event)
    if name == "issue_changed":
        return change_events(ctx, event)
    if name == "pull_request":
        return pull_request_events(ctx, event)
    if name == "pull_request_review":
        return review_events(ctx, event)
    if name == "workflow_run":
        return workflow_run_events(ctx, event)
    if name == "workflow_job":
        return workflow_job_events(ctx, event)
    if name == "commit_status":
        return status_events(ctx, event)
    return None
