"""An issue's timeline, as Gitea keeps it: besides the plain comments, a comment row of another
type for each change -- closed, reopened, merged, a label added or removed, the milestone or an
assignee changed, the title changed -- written in the transaction that made the change, by
the code that made it; references from other issues, comments and commits are
``references.py``'s. ``timeline_of_issue`` reads them all back in order, with what each one
names, in one query."""

from __future__ import annotations

import peewee

from plue_core.accounts.models import Account, Team
from plue_core.db import CompiledSelect

from plue_issues.models import Comment, Issue, Label, Milestone, Repository, now
from plue_issues.references import COMMIT_REF

CLOSE, REOPEN, MERGE_PULL = "close", "reopen", "merge_pull"
LABEL, MILESTONE, ASSIGNEES, CHANGE_TITLE = "label", "milestone", "assignees", "change_title"
EVENT_KINDS = (CLOSE, REOPEN, MERGE_PULL, LABEL, MILESTONE, ASSIGNEES, CHANGE_TITLE)
# A pull request's review dismissed (the pulls plugin records it): the message is the body.
DISMISS_REVIEW = "dismiss_review"
# A pull request's review requested from a user (``assignee``) or a team (``assignee_team``),
# or withdrawn (``removed_assignee``): the pulls plugin records it.
REVIEW_REQUEST = "review_request"
# A pull request's review submitted (the pulls plugin records it): its body, ``review_id``.
REVIEW = "review"
# A pull request's base changed (``old_ref`` -> ``new_ref``), its head branch deleted after
# the merge (``old_ref``): the pulls plugin records them, as Gitea's comment types 25 and 11.
CHANGE_TARGET_BRANCH, DELETE_BRANCH = "change_target_branch", "delete_branch"


def record(issue: Issue, doer: Account | None, kind: str, **fields) -> Comment:
    """One event of ``kind`` on ``issue`` by ``doer``; inside the change's transaction."""
    moment = now()
    return Comment.create(issue=issue.id, poster=doer.id if doer is not None else None,
                          kind=kind, created_at=moment, updated_at=moment, **fields)


def delete_review_rows(review_id: int) -> list[int]:
    """The ``review`` rows of the pull request review ``review_id`` (one, once submitted);
    their ids (their files are the caller's to delete)."""
    rows = (Comment.kind == REVIEW) & (Comment.review_id == review_id)
    ids = [comment_id for (comment_id,) in Comment.select(Comment.id).where(rows).tuples()]
    if ids:
        Comment.delete().where(Comment.id.in_(ids)).execute()
    return ids


def record_labels(issue: Issue, doer, added_ids, removed_ids) -> None:
    """Gitea's ``label`` events: body ``"1"`` for a label added, empty for one removed."""
    rows = ([(label_id, "1") for label_id in sorted(added_ids)]
            + [(label_id, "") for label_id in sorted(removed_ids)])
    if rows:
        moment = now()
        Comment.insert_many([
            {"issue": issue.id, "poster": doer.id if doer is not None else None, "kind": LABEL,
             "label": label_id, "body": body, "created_at": moment, "updated_at": moment}
            for label_id, body in rows]).execute()


def record_assignee(issue: Issue, doer, assignee: Account, *, removed: bool) -> None:
    record(issue, doer, ASSIGNEES, assignee=assignee.id, removed_assignee=removed)


def record_review_request(issue: Issue, doer, *, user: Account | None = None,
                          team: Team | None = None, removed: bool = False) -> None:
    record(issue, doer, REVIEW_REQUEST, assignee=user.id if user is not None else None,
           assignee_team=team.id if team is not None else None, removed_assignee=removed)


def timeline_of_issue(issue: Issue, *, since=None, before=None):
    """Plain comments and events of ``issue``, oldest first, each with its poster, label,
    milestones and assignee joined (``poster``, ``label``, ``milestone``, ``old_milestone``,
    ``assignee``, ``assignee_team`` with its ``org``; None where unset), and a reference's source: ``ref_repository`` (its owner
    joined) and ``ref_issue``. Pass the rows through :func:`readable` before showing them."""
    query = _joined(issue.id)
    if since is not None:
        query = query.where(Comment.updated_at >= since)
    if before is not None:
        query = query.where(Comment.updated_at <= before)
    return query.order_by(Comment.created_at, Comment.id)


def whole_timeline(issue: Issue) -> list:
    """:func:`timeline_of_issue`'s rows, all of them: what a page shows. Its eleven-table join
    is compiled once (peewee built its SQL on every visit, half the issue page's time)."""
    return _WHOLE.rows(issue.id)


def _joined(issue_id):
    poster, assignee = Account.alias(), Account.alias()
    milestone, old_milestone = Milestone.alias(), Milestone.alias()
    source, source_owner, source_issue = Repository.alias(), Account.alias(), Issue.alias()
    team_org = Account.alias()
    outer = peewee.JOIN.LEFT_OUTER
    return (Comment.select(Comment, poster, Label, milestone, old_milestone, assignee,
                           Team, team_org, source, source_owner, source_issue)
            .join(poster, outer, on=(Comment.poster == poster.id), attr="poster")
            .switch(Comment).join(Label, outer, on=(Comment.label == Label.id), attr="label")
            .switch(Comment).join(milestone, outer, on=(Comment.milestone == milestone.id),
                                  attr="milestone")
            .switch(Comment).join(old_milestone, outer,
                                  on=(Comment.old_milestone == old_milestone.id),
                                  attr="old_milestone")
            .switch(Comment).join(assignee, outer, on=(Comment.assignee == assignee.id),
                                  attr="assignee")
            .switch(Comment).join(Team, outer, on=(Comment.assignee_team == Team.id),
                                  attr="assignee_team")
            .join(team_org, outer, on=(Team.org == team_org.id), attr="org")
            .switch(Comment).join(source, outer, on=(Comment.ref_repository == source.id),
                                  attr="ref_repository")
            .join(source_owner, outer, on=(source.owner == source_owner.id), attr="owner")
            .switch(Comment).join(source_issue, outer, on=(Comment.ref_issue == source_issue.id),
                                  attr="ref_issue")
            .where(Comment.issue == issue_id))


_WHOLE = CompiledSelect(
    lambda issue_id: _joined(issue_id).order_by(Comment.created_at, Comment.id), int)


def readable(rows, issue: Issue, may_read) -> list:
    """The rows without the references whose source the viewer may not read, as Gitea's
    ``isXRefCommentAccessible`` leaves them out (after paging): ``may_read(repository)`` is
    asked once per other repository, so a timeline referenced only from its own repository
    costs nothing more; a reference from issues or pull requests switched off there is left
    out too."""
    allowed = {issue.repository_id: True}
    kept = []
    for row in rows:
        source = row.ref_repository if row.ref_repository_id is not None else None
        if source is not None:
            if source.id not in allowed:
                allowed[source.id] = may_read(source)
            unit_on = row.kind == COMMIT_REF or (
                source.has_pull_requests if row.ref_is_pull else source.has_issues)
            if not (allowed[source.id] and unit_on):
                continue
        kept.append(row)
    return kept
