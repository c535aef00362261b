"""web: the HTML face of Plue at Gitea's URLs — sign-in, the repository lists, code, history
and issues — over the same services and access check as the API (docs/web.md).
This module only wires hooks."""

import pathlib

from plue_core import hookimpl
from plue_core.routing import Route

from plue_web import models
from plue_web.face import WebFace
from plue_web.middleware import WebMiddleware
from plue_web.pages import actions, auth, history, home, issues, repository, settings
from plue_web.pages import admin, issue_editing, org_settings, repo_settings, user_settings
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
        Route("/{owner}", home.OwnerPage(face)),
        Route(REPO, repository.RepositoryHomePage(face)),
        Route(f"{REPO}/src/{{kind}}/{{rest:path}}", repository.SourcePage(face)),
        Route(f"{REPO}/raw/{{kind}}/{{rest:path}}", repository.RawPage(face)),
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
            Route(f"{REPO}/pulls/{{number:id}}", issues.PullPage(face)),
            Route(f"{REPO}/pulls/{{number:id}}/files", issues.PullFilesPage(face)),
        ]
    if "actions" in ctx.services:
        runs = f"{REPO}/actions/runs/{{number:id}}"
        routes += [
            Route(f"{REPO}/actions", actions.RunsPage(face)),
            Route(runs, actions.RunPage(face)),
            Route(f"{runs}/jobs/{{job_id:id}}", actions.JobPage(face)),
            Route(f"{runs}/jobs/{{job_id:id}}/logs", actions.JobLogPage(face)),
        ]
    routes += _settings_routes(ctx, face)
    return routes


def _settings_routes(ctx, face) -> list[Route]:
    """Issue editing, the settings pages and the site administration (h29's block)."""
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
        routes.append(Route(f"{REPO}/settings/hooks", repo_settings.HooksPage(face)))
    if "actions" in ctx.services:
        routes += [
            Route(f"{REPO}/settings/actions/secrets", repo_settings.SecretsPage(face)),
            Route(f"{REPO}/settings/actions/variables", repo_settings.VariablesPage(face)),
        ]
    return routes
