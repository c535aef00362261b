"""pulls: Gitea's pull requests on git_hosting's repositories (an issue with a head and a
base), their diffs, reviews with line comments, merges in every style, and branch
protection. This module only wires hooks."""

import pathlib

from plue_core import hookimpl
from plue_core.routing import Route

from plue_pulls import events, meta, models, protection, push_reactions, scheduled_jobs
from plue_pulls.resources import (
    changes, conversations, merge, protections, pulls, reviews, update,
)
from plue_pulls.resources.common import REPO
from plue_pulls.service import PullsService

PLUE_NAME = "pulls"
PLUE_REQUIRES = ("accounts", "git_hosting", "issues")


@hookimpl
def register_models():
    return models.MODELS


@hookimpl
def register_migrations():
    return [(PLUE_NAME, str(pathlib.Path(__file__).parent / "migrations"))]


@hookimpl
def register_services(ctx):
    return [("pulls", PullsService(ctx))]


@hookimpl
def register_events():
    return events.EVENTS


@hookimpl
def register_jobs(ctx):
    return scheduled_jobs.jobs(ctx)


@hookimpl
def register_routes(ctx):
    review = reviews.ReviewResource(ctx)
    protection_item = protections.ProtectionResource(ctx)
    resolve = conversations.ResolveResource(ctx)
    pull = f"{REPO}/pulls/{{index}}"
    return [
        Route(f"{REPO}/pulls", pulls.PullsResource(ctx)),
        Route(f"{REPO}/pulls/pinned", pulls.PinnedPullsResource(ctx)),
        Route(pull, pulls.PullResource(ctx)),
        Route(f"{pull}.{{diff_type}}", changes.PullDiffResource(ctx)),
        Route(f"{pull}/commits", changes.PullCommitsResource(ctx)),
        Route(f"{pull}/files", changes.PullFilesResource(ctx)),
        Route(f"{pull}/merge", merge.PullMergeResource(ctx)),
        Route(f"{pull}/update", update.PullUpdateResource(ctx)),
        Route(f"{pull}/reviews", reviews.ReviewsResource(ctx)),
        Route(f"{pull}/requested_reviewers", reviews.RequestedReviewersResource(ctx)),
        Route(f"{pull}/reviews/{{review_id:id}}", review),
        Route(f"{pull}/reviews/{{review_id:id}}/comments", review, suffix="comments"),
        Route(f"{pull}/reviews/{{review_id:id}}/dismissals", review, suffix="dismissals"),
        Route(f"{pull}/reviews/{{review_id:id}}/undismissals", review, suffix="undismissals"),
        Route(f"{REPO}/pulls/comments/{{comment_id:id}}/resolve", resolve, suffix="resolve"),
        Route(f"{REPO}/pulls/comments/{{comment_id:id}}/unresolve", resolve, suffix="unresolve"),
        Route(f"{pull}/comments/{{comment_id:id}}/replies", conversations.RepliesResource(ctx)),
        Route(f"{pull}/{{head:path}}", pulls.PullByBranchesResource(ctx)),
        Route(f"{REPO}/branch_protections", protections.ProtectionsResource(ctx)),
        Route(f"{REPO}/branch_protections/{{name:path}}", protection_item),
    ]


@hookimpl
def on_event(ctx, event):
    if event.name == "push":
        push_reactions.on_push(ctx.services["pulls"], event)
    elif event.name == "issue_changed" and event.is_pull and event.action == "edited":
        ctx.services["pulls"].issue_edited(event)


@hookimpl
def issue_pull_request_meta(ctx, issues):
    return meta.pull_request_meta(ctx.services["pulls"], issues)


@hookimpl
def issue_state_changing(ctx, issue, state, doer):
    ctx.services["pulls"].state_changing(issue, state, doer)


@hookimpl
def protected_ref_rules(ctx, repository, pusher):
    return protection.ref_rules(ctx.services["accounts"], repository, pusher)
