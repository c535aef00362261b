"""issues: Gitea's issue tracker (issues, comments, labels, milestones, assignees) on
git_hosting's repositories, and the numbering, comments and labels pull requests share.
This module only wires hooks."""

import pathlib

from plue_core import hookimpl
from plue_core.routing import Route

from plue_issues import attachments as attachment_rules
from plue_issues import events, hookspecs, models, references
from plue_issues.resources import (
    assignees, attachments, comments, issue_labels, issues, labels, milestones, reactions,
    lock, search, subscriptions, time_tracking,
    timeline,
)
from plue_issues.resources import dependencies, pins
from plue_issues.resources.common import REPO, V1
from plue_issues.service import IssuesService
from plue_issues.settings import IssuesSettings

PLUE_NAME = "issues"
PLUE_REQUIRES = ("accounts", "attachments", "git_hosting")


@hookimpl
def add_hookspecs(plugin_manager):
    plugin_manager.add_hookspecs(hookspecs)


@hookimpl
def register_settings():
    return [("issues", IssuesSettings)]


@hookimpl
def register_models():
    return models.MODELS


@hookimpl
def register_migrations():
    return [(PLUE_NAME, str(pathlib.Path(__file__).parent / "migrations"))]


@hookimpl
def register_services(ctx):
    return [("issues", IssuesService(ctx))]


@hookimpl
def register_events():
    return events.EVENTS


@hookimpl
def on_event(ctx, event):
    if event.name == "push":  # in the push's transaction
        references.record_commit_references(ctx.services["issues"], event)


@hookimpl
def register_routes(ctx):
    comment = comments.CommentResource(ctx)
    return [
        Route(f"{REPO}/issues", issues.IssuesResource(ctx)),
        Route(f"{REPO}/issues/{{index:id}}", issues.IssueResource(ctx)),
        Route(f"{REPO}/issues/comments", comments.RepositoryCommentsResource(ctx)),
        Route(f"{REPO}/issues/comments/{{comment_id:id}}", comment),
        Route(f"{REPO}/issues/{{index:id}}/comments", comments.IssueCommentsResource(ctx)),
        Route(f"{REPO}/issues/{{index:id}}/comments/{{comment_id:id}}", comment,
              suffix="deprecated"),
        Route(f"{REPO}/issues/{{index:id}}/reactions", reactions.IssueReactionsResource(ctx)),
        Route(f"{REPO}/issues/comments/{{comment_id:id}}/reactions",
              reactions.CommentReactionsResource(ctx)),
        Route(f"{REPO}/issues/{{index:id}}/timeline", timeline.IssueTimelineResource(ctx)),
        Route(f"{REPO}/issues/{{index:id}}/labels", issue_labels.IssueLabelsResource(ctx)),
        Route(f"{REPO}/issues/{{index:id}}/labels/{{label_id:id}}",
              issue_labels.IssueLabelResource(ctx)),
        Route(f"{REPO}/issues/{{index:id}}/assignees", assignees.IssueAssigneesResource(ctx)),
        Route(f"{REPO}/issues/{{index:id}}/assignees/{{assignee}}",
              assignees.IssueAssigneeCheckResource(ctx)),
        Route(f"{REPO}/labels", labels.RepositoryLabelsResource(ctx)),
        Route(f"{REPO}/labels/{{label_id}}", labels.RepositoryLabelResource(ctx)),
        Route(f"{REPO}/milestones", milestones.MilestonesResource(ctx)),
        Route(f"{REPO}/milestones/{{milestone_id}}", milestones.MilestoneResource(ctx)),
        Route(f"{V1}/orgs/{{org}}/labels", labels.OrgLabelsResource(ctx)),
        Route(f"{V1}/orgs/{{org}}/labels/{{label_id}}", labels.OrgLabelResource(ctx)),
        # Issue links: dependencies and pins (the pinned pull requests are the pulls plugin's).
        Route(f"{REPO}/issues/{{index:id}}/dependencies",
              dependencies.IssueDependenciesResource(ctx)),
        Route(f"{REPO}/issues/{{index:id}}/blocks", dependencies.IssueBlocksResource(ctx)),
        Route(f"{REPO}/issues/{{index:id}}/pin", pins.IssuePinResource(ctx)),
        Route(f"{REPO}/issues/{{index:id}}/pin/{{position}}", pins.IssuePinPositionResource(ctx)),
        Route(f"{REPO}/issues/pinned", pins.PinnedIssuesResource(ctx)),
        Route(f"{REPO}/new_pin_allowed", pins.NewPinAllowedResource(ctx)),
        # Attachments (h106): an issue's and a comment's files.
        Route(f"{REPO}/issues/{{index:id}}/assets", attachments.IssueAttachmentsResource(ctx)),
        Route(f"{REPO}/issues/{{index:id}}/assets/{{attachment_id:id}}",
              attachments.IssueAttachmentResource(ctx)),
        Route(f"{REPO}/issues/comments/{{comment_id:id}}/assets",
              attachments.CommentAttachmentsResource(ctx)),
        Route(f"{REPO}/issues/comments/{{comment_id:id}}/assets/{{attachment_id:id}}",
              attachments.CommentAttachmentResource(ctx)),
        # Time tracking: tracked times and stopwatches.
        Route(f"{REPO}/issues/{{index:id}}/times", time_tracking.IssueTimesResource(ctx)),
        Route(f"{REPO}/issues/{{index:id}}/times/{{time_id:id}}",
              time_tracking.IssueTimeResource(ctx)),
        Route(f"{REPO}/issues/{{index:id}}/stopwatch/start",
              time_tracking.StopwatchStartResource(ctx)),
        Route(f"{REPO}/issues/{{index:id}}/stopwatch/stop",
              time_tracking.StopwatchStopResource(ctx)),
        Route(f"{REPO}/issues/{{index:id}}/stopwatch/delete",
              time_tracking.StopwatchDeleteResource(ctx)),
        Route(f"{REPO}/times", time_tracking.RepositoryTimesResource(ctx)),
        Route(f"{REPO}/times/{{username}}", time_tracking.RepositoryUserTimesResource(ctx)),
        Route(f"{V1}/user/times", time_tracking.CurrentUserTimesResource(ctx)),
        Route(f"{V1}/user/stopwatches", time_tracking.CurrentUserStopwatchesResource(ctx)),
        # Subscriptions, lock, deadline (h110).
        Route(f"{REPO}/issues/{{index:id}}/subscriptions",
              subscriptions.IssueSubscriptionsResource(ctx)),
        Route(f"{REPO}/issues/{{index:id}}/subscriptions/check",
              subscriptions.IssueSubscriptionCheckResource(ctx)),
        Route(f"{REPO}/issues/{{index:id}}/subscriptions/{{user}}",
              subscriptions.IssueSubscriptionResource(ctx)),
        Route(f"{REPO}/issues/{{index:id}}/lock", lock.IssueLockResource(ctx)),
        Route(f"{REPO}/issues/{{index:id}}/deadline", lock.IssueDeadlineResource(ctx)),
        Route(f"{V1}/repos/issues/search", search.IssueSearchResource(ctx)),
    ]


@hookimpl
def attachment_readable(ctx, identity, attachment):
    if attachment.issue_id is None:
        return None
    return attachment_rules.readable(ctx.services["git_hosting"], identity, attachment)
