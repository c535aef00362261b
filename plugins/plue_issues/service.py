"""``ctx.services["issues"]``: the issue tracker. An issue's life -- created (numbered),
edited, closed or reopened, deleted -- happens here, with its events and hooks, for the issues
resources and for other plugins alike; the rules and queries it uses are the modules beside it
(``issues``, ``comments``, ``labels``, ``milestones``, ``assignees``). A pull request is an
issue with ``is_pull`` set, so the pulls plugin numbers, comments, labels, assigns and
mile-stones its pull requests here and renders them with the same shapes; other plugins never
import these modules. Documented in docs/issues.md."""

from __future__ import annotations

from plue_core.accounts.models import Account
from plue_core.constraints import still_there
from plue_core.db import write_transaction
from plue_core.errors import Conflict, Forbidden, NotFound, PreconditionFailed

from plue_issues import access as access_rules
from plue_issues import assignees as assignee_rules
from plue_issues import (
    comments, dependencies, issues, labels, lock, milestones, numbering, participants, pins,
    pull_issues, references, search, subscriptions, time_tracking,
    timeline,
)
from plue_issues.access import RepositoryAccess
from plue_issues.events import (
    IssueClosedEvent, IssueOpenedEvent, IssueReopenedEvent, announce_change,
)
from plue_issues.mentions import record_mentions
from plue_issues.models import Issue, IssueLabel, Label, Milestone, now
from plue_issues.schemas.shapes import Presenter


class IssuesService:
    def __init__(self, ctx):
        self.ctx = ctx

    @property
    def hosting(self):
        # Looked up late: services are collected from every plugin before any is published.
        return self.ctx.services["git_hosting"]

    @property
    def accounts(self):
        return self.ctx.services["accounts"]

    # --- who may do what ------------------------------------------------------------------

    def access(self, identity, owner: str, repo: str, *,
               branch_count: bool = False) -> access_rules.RepositoryAccess:
        """The caller's access to a repository's issues and pulls (404 if invisible);
        ``branch_count``: see ``access.resolve_access``."""
        return access_rules.resolve_access(self.hosting, identity, owner, repo,
                                           branch_count=branch_count)

    # A lookup or rule the service only exposes is its module's function, named here as a
    # documented attribute (``name = staticmethod(module.function)``); a method is the
    # service's own: it adds the context, another service, a transaction or an event
    # (docs/plugins.md, "Services"; tests/plugins/issues/test_issues_service_members.py).

    # --- numbering --------------------------------------------------------------------------

    # The next issue/pull number; only inside the transaction inserting the row.
    allocate_number = staticmethod(numbering.allocate_number)

    # --- issues (and the issue rows of pull requests) -----------------------------------------

    find_issue = staticmethod(issues.find_issue)

    def get_issue(self, access: RepositoryAccess, number: int, *,
                  with_parts: bool = False) -> Issue:
        """The issue or pull request ``number``; 404 when absent or its unit is off.
        ``with_parts``: for a GET rendering it at once, its labels, assignees and files read
        with it."""
        issue = issues.find_issue(access.repository, number,
                                  with_parts=self.ctx.services["attachments"] if with_parts else None)
        if issue is None:
            raise NotFound(f"issue #{number} does not exist in {access.full_name}")
        access.require_unit(issue.is_pull)
        return issue

    def create_issue(self, repository, poster: Account, *, title: str, body: str = "",
                     labels: list[Label] = (), assignees: list[Account] = (),
                     milestone: Milestone | None = None, due_date=None, ref: str = "",
                     is_pull: bool = False, closed: bool = False) -> Issue:
        """Number and insert an issue (or the issue row of a pull request) with its labels and
        assignees (on its timeline too), bump the repository's open counter, announce it; all in
        one transaction (the caller's, when it has one)."""
        title = issues.check_title(title)
        with write_transaction():
            moment = now()
            issue = Issue.create(repository=repository.id, number=numbering.allocate_number(repository.id),
                                 poster=poster.id, title=title, body=body or "", ref=ref or "",
                                 is_pull=is_pull, milestone=milestone.id if milestone else None,
                                 due_date=issues.end_of_day(due_date), created_at=moment, updated_at=moment)
            issue.repository, issue.poster = repository, poster
            # What it is created with goes on the timeline too, as Gitea records it.
            if milestone:
                timeline.record(issue, poster, timeline.MILESTONE, milestone=milestone.id)
            if labels:
                chosen = {label.id: label for label in labels}
                IssueLabel.insert_many([{"issue": issue.id, "label": label_id}
                                        for label_id in chosen]).execute()
                timeline.record_labels(issue, poster, chosen, ())
            if assignees:
                assignee_rules.set_assignees(issue.id, list(assignees))
                for user in {user.id: user for user in assignees}.values():
                    timeline.record_assignee(issue, poster, user, removed=False)
            record_mentions(issue.id, body)
            references.record_text_references(self.hosting, issue, poster, body or "",
                                              plain_text=title)
            self.hosting.adjust_counter(repository.id, issues.open_counter(is_pull), +1)
            if not is_pull:
                self.ctx.events.publish(IssueOpenedEvent(**issues.event_fields(repository, issue),
                                                         poster_id=poster.id, poster=poster.name))
            if closed:
                self.set_state(issue, closed=True, doer=poster)
        return issue

    def set_state(self, issue: Issue, *, closed: bool, doer: Account,
                  merged: bool = False, commit_sha: str = "") -> Issue:
        """Close or reopen: ``closed_at``, the repository's open counter, the timeline's
        ``close`` / ``reopen`` (``merge_pull`` when a merge closes a pull request: ``merged``;
        ``commit_sha``: the commit whose message did it)
        and the event change together, once, even when two requests race to do the same. The
        ``issue_state_changing`` hook takes part (the pulls plugin refuses or announces a pull
        request's change)."""
        if bool(issue.is_closed) == closed:
            return issue
        if closed and not merged:  # a merge was refused before it, as Gitea's
            dependencies.require_none_open(issue)
        repository = issue.repository
        with write_transaction():
            moment = now()
            closed_at = moment if closed else None
            changed = (Issue.update(is_closed=closed, closed_at=closed_at, updated_at=moment)
                       .where((Issue.id == issue.id) & (Issue.is_closed == (not closed))).execute())
            issue.is_closed, issue.closed_at, issue.updated_at = closed, closed_at, moment
            if not changed:
                return issue
            self.ctx.plugins.hook.issue_state_changing(
                ctx=self.ctx, issue=issue, state="closed" if closed else "open", doer=doer)
            self.hosting.adjust_counter(repository.id, issues.open_counter(issue.is_pull),
                                        -1 if closed else +1)
            timeline.record(issue, doer, (timeline.MERGE_PULL if merged else timeline.CLOSE)
                            if closed else timeline.REOPEN, commit_sha=commit_sha)
            if not issue.is_pull:
                event = IssueClosedEvent if closed else IssueReopenedEvent
                self.ctx.events.publish(event(**issues.event_fields(repository, issue),
                                              doer_id=doer.id, doer=doer.name))
        return issue

    def resolve_merge_references(self, pull_issue: Issue, doer: Account) -> None:
        """Inside the merge's transaction: close the issues the merged pull request says it
        fixes and reopen those it says it reopens (Gitea's ``ResolveCrossReferences``); who
        may do so was checked when each reference was recorded."""
        for issue_id, action in references.merge_actions(pull_issue):
            issue = Issue.get_or_none(Issue.id == issue_id)
            if issue is None:
                continue
            issue.repository = self.hosting.get_repository_by_id(issue.repository_id)
            closes = action == references.CLOSES
            if closes and dependencies.open_dependencies_left(issue):
                continue  # still blocked: left open, the merge done (Gitea logs it)
            self.set_state(issue, closed=closes, doer=doer)

    def edit_issue(self, access: RepositoryAccess, issue: Issue, changes: dict, doer: Account) -> Issue:
        """``EditIssueOption`` with Gitea's rules: the poster and writers may edit; only writers
        change assignees, milestone and due date (silently ignored for the poster); ``state`` is
        ``open`` or ``closed`` (anything else 412); a stale ``content_version`` is 409."""
        can_write = access.can_write(issue.is_pull)
        if issue.poster_id != doer.id and not can_write:
            raise Forbidden(f"only the poster or a writer of {access.full_name} may edit "
                            f"#{issue.number}")
        state = changes.get("state")
        if state is not None and issue.is_pull and self._is_merged(issue):
            raise PreconditionFailed("cannot change state of this pull request, it was already merged")
        if state is not None and state not in ("open", "closed"):
            raise PreconditionFailed(f"unknown state: {state}")
        version = changes.get("content_version")
        if version is not None and version != issue.content_version:
            raise Conflict(f"issue #{issue.number} was changed meanwhile (content_version is "
                           f"{issue.content_version}, not {version}); reload and try again")
        updates: dict = {}
        if changes.get("title"):
            updates["title"] = issues.check_title(changes["title"])
        if changes.get("ref") is not None:
            updates["ref"] = changes["ref"]
        if changes.get("body") is not None and changes["body"] != issue.body:
            updates["body"] = changes["body"]
            updates["content_version"] = issue.content_version + 1
        new_assignees = None
        if can_write:
            if changes.get("unset_due_date"):
                updates["due_date"] = None
            elif changes.get("due_date") is not None:
                updates["due_date"] = issues.end_of_day(changes["due_date"])
            if "milestone" in changes and changes["milestone"] is not None:
                wanted = changes["milestone"]
                updates["milestone"] = (milestones.milestone_by_id(access.repository, wanted).id
                                        if wanted else None)
            if changes.get("assignees") is not None or changes.get("assignee") is not None:
                logins = assignee_rules.logins_from_option(changes.get("assignee"),
                                                           changes.get("assignees"))
                new_assignees = assignee_rules.resolve_assignees(
                    self.hosting, self.accounts, access.repository, logins)
        old_milestone = issue.milestone_id
        old_text = {"title": issue.title, "body": issue.body}
        old_assignees = ({user.id: user for user in
                          assignee_rules.assignees_for_issues([issue.id]).get(issue.id, [])}
                         if new_assignees is not None else {})
        with write_transaction():
            if updates or new_assignees is not None:
                updates["updated_at"] = now()
                Issue.update(**updates).where(Issue.id == issue.id).execute()
                for field, value in updates.items():
                    setattr(issue, field if field != "milestone" else "milestone_id", value)
            if new_assignees is not None:
                assignee_rules.set_assignees(issue.id, new_assignees)
                chosen = {user.id: user for user in new_assignees}
                for user in [u for i, u in chosen.items() if i not in old_assignees]:
                    timeline.record_assignee(issue, doer, user, removed=False)
                    announce_change(self.ctx, issue, "assigned", doer, assignee=user.name)
                for user in [u for i, u in old_assignees.items() if i not in chosen]:
                    timeline.record_assignee(issue, doer, user, removed=True)
                    announce_change(self.ctx, issue, "unassigned", doer, assignee=user.name)
            edited = tuple((field, old_text[field]) for field in ("title", "body")
                           if field in updates and updates[field] != old_text[field])
            if "title" in dict(edited):
                timeline.record(issue, doer, timeline.CHANGE_TITLE, old_title=old_text["title"],
                                new_title=updates["title"])
            if edited:  # for a pull request too: the pulls plugin announces it as one
                announce_change(self.ctx, issue, "edited", doer, changes=edited)
            if "milestone" in updates and updates["milestone"] != old_milestone:
                timeline.record(issue, doer, timeline.MILESTONE, milestone=updates["milestone"],
                                old_milestone=old_milestone)
                announce_change(self.ctx, issue,
                                "milestoned" if updates["milestone"] else "demilestoned", doer)
            if "body" in updates:
                record_mentions(issue.id, updates["body"])
            if edited:
                references.record_text_references(self.hosting, issue, doer, issue.body,
                                                  plain_text=issue.title, edited=True)
            if state is not None:
                self.set_state(issue, closed=state == "closed", doer=doer)
        return issue

    def _is_merged(self, pull_issue: Issue) -> bool:
        """Whether the plugin owning pull requests says this one is merged (Gitea refuses any
        state in an edit of a merged pull request with 412, even the state it already has)."""
        answers = self.ctx.plugins.hook.issue_pull_request_meta(ctx=self.ctx, issues=[pull_issue])
        return any((answer or {}).get(pull_issue.id, {}).get("merged") for answer in answers)

    def delete_issue(self, issue: Issue) -> None:
        """Delete an issue with its comments, labels, assignees, mentions and dependencies
        (the number is not reused: the counter only grows); the pinned ones after it move
        up."""
        with write_transaction():
            if not still_there(Issue, issue.id):  # a concurrent deletion won: count it once
                raise NotFound(f"issue #{issue.number} does not exist")
            if not issue.is_closed:
                self.hosting.adjust_counter(issue.repository.id,
                                            issues.open_counter(issue.is_pull), -1)
            pins.forget(issue)
            # Its files and its comments' (theirs name the issue too), after the commit.
            self.ctx.services["attachments"].delete_of(issue_ids=[issue.id])
            issue.delete_instance()

    # The queries of issue lists (the web's issue and pull lists).
    IssueFilters = issues.IssueFilters
    search_issues = staticmethod(issues.search_issues)
    # The count and one page of a search (compiled once for the lists clients read most).
    issue_page = staticmethod(issues.issue_page)
    # Across repositories (a subquery of their ids), for the front page.
    issues_across = staticmethod(issues.issues_across)
    comments_across = staticmethod(issues.comments_across)
    count_matching = staticmethod(issues.count_matching)
    # The ids of the issues carrying any of the given label ids, as a subquery.
    issue_ids_labelled = staticmethod(issues.issue_ids_labelled)

    # Across every repository the caller may read (``GET /repos/issues/search``).
    SearchFilters = search.SearchFilters

    def search_across(self, identity, filters, limit: int, offset: int) -> tuple[int, list]:
        """How many issues of the repositories ``identity`` may read match ``filters``, and
        the page at ``offset``, each with its poster and repository: two statements."""
        query = search.search(self.hosting.visible_ids_of_shape(
            *self.hosting.visibility_shape(identity)), filters)
        return search.count(query), list(query.limit(limit).offset(offset))

    # --- the issue side of pull requests (the pulls plugin keeps only ``issue_id``) -----------

    # Gitea's pull list (filters and ``sort``) over a subquery of the pull requests' issue
    # ids, as a query to page; an issue by number with the caller's row of it (``joined``);
    # issue rows by id; the open ones among issue ids, as a subquery.
    search_pull_issues = staticmethod(pull_issues.search_pull_issues)
    find_issue_joined = staticmethod(pull_issues.find_issue_joined)
    issues_by_ids = staticmethod(pull_issues.issues_by_ids)
    open_issue_ids = staticmethod(pull_issues.open_issue_ids)
    # Who takes part in an issue (poster, commenters, reviewers, assignees, mentioned), by
    # id; the latest plain comment of each issue (notifications).
    participant_ids = staticmethod(participants.participant_ids)
    latest_comment_ids = staticmethod(participants.latest_comment_ids)

    # --- comments, labels, milestones, assignees ---------------------------------------------

    def create_comment(self, access, issue: Issue, poster, body: str, *, kind: str = "comment"):
        return comments.create_comment(self.ctx, access, issue, poster, body, kind=kind)

    # An issue's comments (optionally updated since/before a moment), oldest first.
    comments_of_issue = staticmethod(comments.comments_of_issue)

    def timeline_of_issue(self, issue: Issue, identity):
        """Plain comments and events (``kind``: Gitea's comment type) of ``issue``, oldest
        first, with the poster, label, milestones, assignee and reference source each names
        (one query), without the references from what ``identity`` may not read."""
        return self.readable_timeline(issue, timeline.whole_timeline(issue), identity)

    def readable_timeline(self, issue: Issue, rows, identity) -> list:
        """``rows`` of ``issue``'s timeline without the references whose source repository
        ``identity`` may not read, nor the dependency events whose other issue they may not
        (a permission check per other repository)."""
        reader = access_rules.for_repository_permission(identity)
        rows = timeline.readable(rows, issue,
                                 lambda repository: self.hosting.allows(reader, repository, "read"))

        def may_read(repository_id: int, is_pull: bool) -> bool:  # a dependency's other issue
            repository = (issue.repository if repository_id == issue.repository_id
                          else self.hosting.get_repository_by_id(repository_id))
            return (repository is not None and self.hosting.allows(reader, repository, "read")
                    and bool(repository.has_pull_requests if is_pull else repository.has_issues))
        return dependencies.readable_events(rows, issue, may_read)

    def record_review_dismissal(self, issue: Issue, doer: Account, message: str) -> None:
        """A ``dismiss_review`` event on pull request ``issue``'s timeline, ``message`` its
        body (Gitea's comment type 32); inside the dismissal's transaction."""
        timeline.record(issue, doer, timeline.DISMISS_REVIEW, body=message or "")

    def record_review_request(self, issue: Issue, doer: Account, *, user: Account | None = None,
                              team=None, removed: bool = False) -> None:
        """A ``review_request`` event on pull request ``issue``'s timeline (Gitea's comment type
        27): ``user`` or ``team`` asked for a review, or no longer (``removed``); inside the
        request's transaction."""
        timeline.record_review_request(issue, doer, user=user, team=team, removed=removed)
    def record_review(self, issue: Issue, doer: Account, review_id: int, body: str) -> int:
        """A ``review`` row on pull request ``issue``'s timeline for the review ``review_id``
        just submitted, its body the review's (Gitea's comment type 22); inside the
        submission's transaction. Its id: the review's ``#issuecomment-`` anchor."""
        return timeline.record(issue, doer, timeline.REVIEW, body=body or "",
                               review_id=review_id).id

    def record_target_branch_change(self, issue: Issue, doer: Account, old: str,
                                    new: str) -> None:
        """A ``change_target_branch`` event on pull request ``issue``'s timeline (Gitea's
        comment type 25): its base went from ``old`` to ``new``; inside the edit's
        transaction."""
        timeline.record(issue, doer, timeline.CHANGE_TARGET_BRANCH, old_ref=old, new_ref=new)

    def record_branch_deletion(self, issue: Issue, doer: Account, branch: str) -> None:
        """A ``delete_branch`` event on pull request ``issue``'s timeline (Gitea's comment
        type 11): its head ``branch`` was deleted after the merge."""
        timeline.record(issue, doer, timeline.DELETE_BRANCH, old_ref=branch)

    def delete_review_rows(self, review_id: int) -> None:
        """The timeline rows of the pull request review ``review_id`` and their files, inside
        the caller's transaction (the files go after its commit)."""
        self.ctx.services["attachments"].delete_of(
            comment_ids=timeline.delete_review_rows(review_id))

    # Labels of ``repository`` (its own and its organization's) by id (422 for unknown ids),
    # by the API's option (ids or names), and an issue's labels.
    labels_by_ids = staticmethod(labels.labels_by_ids)
    labels_from_option = staticmethod(labels.labels_from_option)
    labels_of_issue = staticmethod(labels.labels_of_issue)

    def set_issue_labels(self, issue: Issue, chosen, *, replace: bool, doer=None):
        """With ``doer`` the change is announced (``issue_changed``), as the API's is."""
        return labels.set_issue_labels(issue, chosen, replace=replace,
                                       ctx=self.ctx if doer is not None else None, doer=doer)

    # The labels an issue of ``repository`` may carry (its own and its organization's), by
    # name; its open milestones; one of its milestones by id (422 when it has none such).
    usable_labels = staticmethod(labels.usable_labels)
    open_milestones = staticmethod(milestones.open_milestones)
    milestone_by_id = staticmethod(milestones.milestone_by_id)

    assignee_logins = staticmethod(assignee_rules.logins_from_option)

    def resolve_assignees(self, repository, logins: list[str]):
        """Accounts for ``logins``; 422 for unknown users and users without write access."""
        return assignee_rules.resolve_assignees(self.hosting, self.accounts, repository, logins)

    # --- issue links: dependencies and pins (dependencies.py, pins.py) ------------------------

    # Whether ``repository`` has dependencies on (its internal tracker's setting).
    dependencies_enabled = staticmethod(dependencies.dependencies_enabled)
    # Whether closing an issue would be refused for its open dependencies.
    open_dependencies_left = staticmethod(dependencies.open_dependencies_left)

    def linked_issues(self, issue: Issue, identity, *, blocking: bool):
        """The issues ``issue`` depends on (``blocking``) or that depend on it, as a query to
        page: only those of repositories and units ``identity`` may read (Gitea's
        ``GetIssueBlocks`` leaves the others out; Plue does so for the dependencies too)."""
        query = dependencies.blocking(issue) if blocking else dependencies.blocked(issue)
        reader = access_rules.for_repository_permission(identity)
        readable = {}
        for repository_id in dependencies.linked_repository_ids(query):
            repository = (issue.repository if repository_id == issue.repository_id
                          else self.hosting.get_repository_by_id(repository_id))
            if repository is not None and self.hosting.allows(reader, repository, "read"):
                readable[repository_id] = [is_pull for is_pull in (False, True) if (
                    repository.has_pull_requests if is_pull else repository.has_issues)]
        return dependencies.readable_page(query, issue, readable)

    # ``issue`` now depends on ``dependency``, or no longer (who may was checked by the
    # caller), both timelines recording it.
    add_dependency = staticmethod(dependencies.add_dependency)
    remove_dependency = staticmethod(dependencies.remove_dependency)

    def issues_json_across(self, rows: list[Issue], viewer) -> list[dict]:
        """Gitea's ``Issue`` of each of ``rows``, which may belong to several repositories:
        each rendered by a presenter of its own."""
        bodies = {}
        for repository_id in {row.repository_id for row in rows}:
            group = [row for row in rows if row.repository_id == repository_id]
            presenter = self.presenter(viewer,
                                       repository=self.hosting.get_repository_by_id(repository_id))
            bodies.update(zip([row.id for row in group], presenter.issues(group)))
        return [bodies[row.id] for row in rows]

    @property
    def max_pinned(self) -> int:
        return self.ctx.section("issues")["max_pinned"]

    def pin(self, issue: Issue, doer: Account) -> None:
        pins.pin(issue, doer, self.max_pinned)

    def pin_allowed(self, repository, *, is_pull: bool) -> bool:
        return pins.pin_allowed(repository, is_pull=is_pull, max_pinned=self.max_pinned)

    unpin = staticmethod(pins.unpin)
    move_pin = staticmethod(pins.move)
    # A repository's pinned issues or pull requests, in order (posters joined).
    pinned = staticmethod(pins.pinned)

    # --- lock and deadline (lock.py) ------------------------------------------------------------

    # Lock (with a reason) or unlock an issue, its timeline recording it; who may was
    # checked by the caller.
    set_locked = staticmethod(lock.set_locked)

    def set_deadline(self, issue: Issue, due_date) -> None:
        """Set ``issue``'s due date to the end of ``due_date``'s day, or remove it (None, or
        Go's zero time as Gitea's clients send it); who may was checked by the caller."""
        if due_date is not None and due_date.year == 1:
            due_date = None
        moment = now()
        with write_transaction():
            Issue.update(due_date=issues.end_of_day(due_date), updated_at=moment).where(
                Issue.id == issue.id).execute()
        issue.due_date, issue.updated_at = issues.end_of_day(due_date), moment

    # --- subscriptions (subscriptions.py) -----------------------------------------------------

    def is_subscribed(self, issue: Issue, user_id: int | None) -> bool:
        """Whether the user gets ``issue``'s notifications: their explicit choice, else
        whether they take part in it or watch its repository (Gitea's ``CheckIssueWatch``)."""
        return subscriptions.is_subscribed(issue, user_id, self.hosting.watcher_ids)

    # A user's explicit subscription (True) or unsubscription (False); the explicit
    # subscribers as a query to page; the ids that subscribed and unsubscribed explicitly
    # (notifications add the first and leave the second out).
    choose_subscription = staticmethod(subscriptions.choose)
    subscribers = staticmethod(subscriptions.subscribers)
    subscription_overrides = staticmethod(subscriptions.overrides)

    # --- time tracking ------------------------------------------------------------------------

    # Everything tracked on an issue, in seconds, and Gitea's way of writing seconds
    # ("1 hour 2 minutes"): the issue page shows it.
    total_tracked_seconds = staticmethod(time_tracking.total_seconds)
    hours_and_minutes = staticmethod(time_tracking.hours_and_minutes)

    # --- wire shapes --------------------------------------------------------------------------

    def presenter(self, viewer, *, repository=None, org=None) -> Presenter:
        """Renders Gitea's Issue / Comment / Label / Milestone for ``viewer``."""
        return Presenter(self.ctx, viewer, repository=repository, org=org)

    def issue_json(self, issue: Issue, viewer, *, assets: bool = True) -> dict:
        """Gitea's ``Issue``; ``assets=False``: its files not read (``assets`` left empty) for
        a caller that takes other fields only."""
        return self.presenter(viewer, repository=issue.repository).issues([issue],
                                                                          assets=assets)[0]

    def issue_by_id(self, issue_id: int) -> Issue | None:
        """The issue with its poster and its repository (owner joined), by id."""
        issue = issues.issues_with_posters().where(Issue.id == issue_id).first()
        if issue is not None:
            issue.repository = self.hosting.get_repository_by_id(issue.repository_id)
        return issue

    def comment_json(self, comment_id: int, viewer) -> dict | None:
        """Gitea's ``Comment`` by id (None when it is gone): what webhooks send."""
        comment = comments.comment_by_id(self.hosting, comment_id)
        if comment is None:
            return None
        return self.presenter(viewer, repository=comment.issue.repository).comment(comment)
