"""web: the HTML face of Plue at Gitea's URLs — sign-in, the repository lists, code, history
and issues — over the same services and access check as the API (docs/web.md).
This module only wires hooks."""

import pathlib

from plue_core import hookimpl
from plue_core.routing import Route

from plue_web import models
from plue_web.face import WebFace
from plue_web.middleware import WebMiddleware
from plue_web.pages import (
    actions, actions_controls, admin, auth, compare, fleet, history, home, issue_editing, issues,
    notifications, org_settings, pull_review, releases, repo_create, repo_settings, repository,
    settings, user_settings, wiki,
)
from plue_web.settings import WebSettings

PLUE_NAME = "web"
PLUE_REQUIRES = ("accounts", "git_hosting")

REPO = "/{owner}/{repo}"


@hookimpl
def register_settings():
    return [("web", WebSettings)]


@hookimpl
def register_models():
    return models.MODELS


@hookimpl
def register_migrations():
    return [(PLUE_NAME, str(pathlib.Path(__file__).parent / "migrations"))]


@hookimpl
def register_services(ctx):
    return [("web", WebFace(ctx))]


@hookimpl
def register_middleware(ctx):
    return [WebMiddleware(ctx.services["web"])]


@hookimpl
def register_routes(ctx):
    face = ctx.services["web"]
    routes = [
        Route("/", home.HomePage(face)),
        Route("/explore/repos", home.ExplorePage(face)),
        Route("/assets/{name}", home.AssetPage(face)),
        Route("/user/login", auth.LoginPage(face)),
        Route("/user/logout", auth.LogoutPage(face)),
        Route("/user/sign_up", auth.SignUpPage(face)),
        Route("/user/settings/change_password", auth.ChangePasswordPage(face)),
        Route("/user/settings/applications", settings.ApplicationsPage(face)),
        Route("/repo/create", repo_create.NewRepositoryPage(face)),
        Route("/{owner}", home.OwnerPage(face)),
        Route(REPO, repository.RepositoryHomePage(face)),
        Route(f"{REPO}/src/{{kind}}/{{rest:path}}", repository.SourcePage(face)),
        Route(f"{REPO}/raw/{{kind}}/{{rest:path}}", repository.RawPage(face)),
        Route(f"{REPO}/archive/{{name:path}}", repository.ArchivePage(face)),
        Route(f"{REPO}/commits/{{kind}}/{{rest:path}}", history.CommitsPage(face)),
        Route(f"{REPO}/commit/{{sha}}", history.CommitPage(face)),
        Route(f"{REPO}/branches", history.BranchesPage(face)),
        Route(f"{REPO}/tags", history.TagsPage(face)),
    ]
    if "issues" in ctx.services:
        routes += [
            Route(f"{REPO}/issues", issues.IssueListPage(face)),
            Route(f"{REPO}/issues/new", issues.NewIssuePage(face)),
            Route(f"{REPO}/issues/{{number:id}}", issues.IssuePage(face)),
            Route(f"{REPO}/issues/{{number:id}}/comments", issues.CommentPage(face)),
        ]
    if "issues" in ctx.services and "pulls" in ctx.services:
        routes += [
            Route(f"{REPO}/pulls", issues.PullListPage(face)),
        ]
    if "notifications" in ctx.services:
        routes += [Route("/notifications", notifications.NotificationsPage(face)),
                   Route("/notifications/read", notifications.MarkReadPage(face))]
    if "wiki" in ctx.services:
        routes += [
            Route(f"{REPO}/wiki", wiki.WikiHomePage(face)),
            Route(f"{REPO}/wiki/_pages", wiki.WikiPagesPage(face)),
            Route(f"{REPO}/wiki/_new", wiki.NewWikiPage(face)),
            Route(f"{REPO}/wiki/{{page}}", wiki.WikiNamedPage(face)),
        ]
    routes += review_routes(ctx, face)
    if "releases" in ctx.services:
        routes += [
            Route(f"{REPO}/releases", releases.ReleaseListPage(face)),
            Route(f"{REPO}/releases/tag/{{tag:path}}", releases.ReleaseTagPage(face)),
        ]
    if "actions" in ctx.services:
        runs = f"{REPO}/actions/runs/{{number:id}}"
        routes += [
            Route(f"{REPO}/actions", actions.RunsPage(face)),
            Route(runs, actions.RunPage(face)),
            Route(f"{runs}/jobs/{{job_id:id}}", actions.JobPage(face)),
            Route(f"{runs}/jobs/{{job_id:id}}/logs", actions.JobLogPage(face)),
            Route(f"{REPO}/actions/workflows/{{workflow}}/badge.svg",
                  actions.WorkflowBadgePage(face)),
        ]
    routes += actions_and_fleet_routes(ctx, face)
    routes += settings_routes(ctx, face)
    return routes


def actions_and_fleet_routes(ctx, face) -> list[Route]:
    """Actions controls (re-run, cancel, artifacts, dispatch) and the runner fleet pages."""
    routes = []
    if "actions" in ctx.services:
        runs = f"{REPO}/actions/runs/{{number:id}}"
        routes += [
            Route(f"{REPO}/actions/run", actions_controls.DispatchPage(face)),
            Route(f"{runs}/rerun", actions_controls.RerunPage(face)),
            Route(f"{runs}/rerun-failed", actions_controls.RerunFailedPage(face)),
            Route(f"{runs}/jobs/{{job_id:id}}/rerun", actions_controls.JobRerunPage(face)),
            Route(f"{runs}/cancel", actions_controls.CancelPage(face)),
            Route(f"{runs}/artifacts/{{name}}", actions_controls.ArtifactPage(face)),
            Route("/-/admin/actions/runners", fleet.AdminRunnersPage(face)),
            # Gitea's /org/{org}/settings/... is seed 001's /org API family here: an
            # organization's pages are /{org}/-/... (as its settings, teams and members).
            Route("/{owner}/-/settings/actions/runners", fleet.OrgRunnersPage(face)),
            Route(f"{REPO}/settings/actions/runners", fleet.RepoRunnersPage(face)),
        ]
    org_fleet = "/{owner}/-/fleet"
    routes += [Route(fleet.FLEET, fleet.FleetPage(face)), Route(org_fleet, fleet.OrgFleetPage(face))]
    if "runners" in ctx.services:
        routes += [Route(f"{fleet.FLEET}/instances/{{uid}}", fleet.InstancePage(face)),
                   Route(f"{org_fleet}/instances/{{uid}}", fleet.OrgInstancePage(face))]
    if "runnerhub" in ctx.services:
        routes += [
            Route(f"{fleet.FLEET}/queues/{{name}}/pause", fleet.QueueSwitchPage(face, True)),
            Route(f"{fleet.FLEET}/queues/{{name}}/resume", fleet.QueueSwitchPage(face, False)),
        ]
    return routes


def review_routes(ctx, face) -> list[Route]:
    """Comparing branches and the pull-request pages: conversation with reviews and the merge
    box, commits, files changed with line comments, and their forms (pages/compare.py,
    pages/pull_review.py)."""
    routes = [
        Route(f"{REPO}/compare", compare.CompareChoicePage(face)),
        Route(f"{REPO}/compare/{{basehead:path}}", compare.ComparePage(face)),
    ]
    if "issues" in ctx.services and "pulls" in ctx.services:
        pull = f"{REPO}/pulls/{{number:id}}"
        routes += [
            Route(pull, pull_review.PullConversationPage(face)),
            Route(f"{pull}.{{diff_type}}", pull_review.PullDiffPage(face)),
            Route(f"{pull}/commits", pull_review.PullCommitsPage(face)),
            Route(f"{pull}/files", pull_review.PullFilesPage(face)),
            Route(f"{pull}/files/reviews/submit", pull_review.ReviewSubmitPage(face)),
            Route(f"{pull}/files/reviews/comments", pull_review.LineCommentPage(face)),
            Route(f"{pull}/merge", pull_review.MergePage(face)),
            Route(f"{pull}/dismiss_review", pull_review.DismissReviewPage(face)),
            Route(f"{pull}/request_review", pull_review.ReviewRequestPage(face)),
        ]
    return routes


def settings_routes(ctx, face) -> list[Route]:
    """Issue editing, the settings pages and the site administration."""
    routes = []
    if "issues" in ctx.services:
        issue = f"{REPO}/issues/{{number:id}}"
        routes += [
            Route(f"{issue}/title", issue_editing.IssueTitlePage(face)),
            Route(f"{issue}/content", issue_editing.IssueContentPage(face)),
            Route(f"{issue}/labels", issue_editing.IssueLabelsPage(face)),
            Route(f"{issue}/assignees", issue_editing.IssueAssigneesPage(face)),
            Route(f"{issue}/milestone", issue_editing.IssueMilestonePage(face)),
        ]
    routes += [
        Route("/user/settings", user_settings.ProfilePage(face)),
        Route("/user/settings/account", auth.ChangePasswordPage(face)),
        Route("/user/settings/keys", user_settings.KeysPage(face)),
        Route("/-/admin", admin.AdminDashboardPage(face)),
        Route("/-/admin/users", admin.AdminUsersPage(face)),
        Route("/-/admin/orgs", admin.AdminOrgsPage(face)),
        Route("/{owner}/-/settings", org_settings.OrgSettingsPage(face)),
        Route("/{owner}/-/teams", org_settings.OrgTeamsPage(face)),
        Route("/{owner}/-/members", org_settings.OrgMembersPage(face)),
        Route(f"{REPO}/settings", repo_settings.RepositorySettingsPage(face)),
        Route(f"{REPO}/settings/collaboration", repo_settings.CollaborationPage(face)),
    ]
    if "pulls" in ctx.services:  # branch protection is the pulls plugin's
        routes += [
            Route(f"{REPO}/settings/branches", repo_settings.BranchesSettingsPage(face)),
            Route(f"{REPO}/settings/branches/edit", repo_settings.BranchRuleEditPage(face)),
            Route(f"{REPO}/settings/branches/delete", repo_settings.BranchRuleDeletePage(face)),
        ]
    if "webhooks" in ctx.services:
        routes += [Route(f"{REPO}/settings/hooks", repo_settings.HooksPage(face)),
                   Route(f"{REPO}/settings/hooks/{{hook_id:id}}", repo_settings.HookPage(face))]
    if "ssh" in ctx.services:
        routes.append(Route(f"{REPO}/settings/keys", repo_settings.DeployKeysPage(face)))
    if "actions" in ctx.services:
        routes += [
            Route(f"{REPO}/settings/actions/secrets", repo_settings.SecretsPage(face)),
            Route(f"{REPO}/settings/actions/variables", repo_settings.VariablesPage(face)),
        ]
    return routes
