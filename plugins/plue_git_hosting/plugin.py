"""git_hosting: repositories (bare git on disk + rows), the Gitea repository API, and clone /
fetch / push over smart HTTP. This module only wires hooks."""

import datetime
import pathlib

from plue_core import hookimpl
from plue_core.routing import Route, Sink
from plue_core.scheduler import ScheduledJob

from plue_git_hosting import (
    events, hookspecs, maintenance, models, ref_journal, ref_reconciliation, repositories,
    watches,
)
from plue_git_hosting import tag_protections as tag_protection_rules
from plue_git_hosting.repository_gate import AnonymousRepositoryGate
from plue_git_hosting.resources import (
    branches, collaborators, commits, contents, git_data, languages, tag_protections, tags,
)
from plue_git_hosting.resources import stars as star_resources
from plue_git_hosting.resources import team_repositories as team_repository_resources
from plue_git_hosting.resources import topics as topic_resources
from plue_git_hosting.resources import transfers as transfer_resources
from plue_git_hosting.resources import watches as watch_resources
from plue_git_hosting.resources import repositories as repository_resources
from plue_git_hosting.resources.common import REPO, V1
from plue_git_hosting.service import GitHosting
from plue_git_hosting.settings import GitHostingSettings
from plue_git_hosting.smart_http import PATH_PATTERN, SmartHttp
from plue_git_hosting.stars import STARS

PLUE_NAME = "git_hosting"
PLUE_REQUIRES = ("accounts",)


@hookimpl
def add_hookspecs(plugin_manager):
    plugin_manager.add_hookspecs(hookspecs)  # protected_ref_rules, which ref_rules.py calls


@hookimpl
def protected_ref_rules(ctx, repository, pusher):
    return tag_protection_rules.ref_rules(repository, pusher)


@hookimpl
def register_settings():
    return [("git_hosting", GitHostingSettings)]


@hookimpl
def register_models():
    return models.MODELS


@hookimpl
def register_migrations():
    return [(PLUE_NAME, str(pathlib.Path(__file__).parent / "migrations"))]


@hookimpl
def register_services(ctx):
    return [("git_hosting", GitHosting(ctx))]


@hookimpl
def shutdown(ctx):
    ctx.services["git_hosting"].close()


@hookimpl
def register_events():
    return events.EVENTS


@hookimpl
def register_middleware(ctx):
    return [AnonymousRepositoryGate(ctx.services["git_hosting"])]


@hookimpl
def register_jobs(ctx):
    return [
        ScheduledJob("git_hosting.tidy_trash", maintenance.tidy_trash, "interval", {"minutes": 10}),
        # First run as the scheduler starts: what a crash left is recorded at once.
        ScheduledJob("git_hosting.replay_ref_journal", ref_journal.replay_orphans, "interval",
                     {"seconds": 30,
                      "next_run_time": datetime.datetime.now(datetime.timezone.utc),
                      "misfire_grace_time": None}),
        ScheduledJob("git_hosting.reconcile_branches", ref_reconciliation.reconcile_all, "interval",
                     {"hours": 1}),
        ScheduledJob("git_hosting.remove_incoming_leftovers", maintenance.remove_incoming_leftovers,
                     "interval", {"hours": 1}),
    ]


@hookimpl
def register_cli():
    from plue_git_hosting.cli import git
    return [git]


@hookimpl
def account_deletion_blockers(ctx, account):
    names, count = repositories.owned_repository_names(account)
    if not count:
        return []
    more = f" and {count - len(names)} more" if count > len(names) else ""
    return [f"owns repositories: {', '.join(names)}{more}"]


@hookimpl
def on_event(ctx, event):
    if event.name == "account_deleted":
        # Its stars and watches first: the counts of others' repositories it marked.
        STARS.forget_user(event.account_id)
        watches.WATCHES.forget_user(event.account_id)
        repositories.delete_repositories_of(ctx.services["git_hosting"], event.account_id)


@hookimpl
def register_routes(ctx):
    hosting = ctx.services["git_hosting"]
    org_repos = repository_resources.OrgReposResource(hosting)
    return [
        Route(f"{V1}/user/repos", repository_resources.CurrentUserReposResource(hosting)),
        Route(f"{V1}/users/{{username}}/repos", repository_resources.UserReposResource(hosting)),
        Route(f"{V1}/admin/users/{{username}}/repos", repository_resources.AdminUserReposResource(hosting)),
        Route(f"{V1}/orgs/{{org}}/repos", org_repos),
        Route(f"{V1}/org/{{org}}/repos", org_repos, suffix="deprecated"),
        Route(f"{V1}/repos/search", repository_resources.RepoSearchResource(hosting)),
        Route(f"{V1}/repositories/{{repository_id:id}}", repository_resources.RepositoryByIdResource(hosting)),
        Route(REPO, repository_resources.RepositoryResource(hosting)),
        Route(f"{REPO}/forks", repository_resources.ForksResource(hosting)),
        Route(f"{REPO}/languages", languages.LanguagesResource(hosting)),
        Route(f"{REPO}/branches", branches.BranchesResource(hosting)),
        Route(f"{REPO}/branches/{{branch:path}}", branches.BranchResource(hosting)),
        Route(f"{REPO}/tags", tags.TagsResource(hosting)),
        Route(f"{REPO}/tags/{{tag:path}}", tags.TagResource(hosting)),
        Route(f"{REPO}/tag_protections", tag_protections.TagProtectionsResource(hosting)),
        Route(f"{REPO}/tag_protections/{{protection_id:id}}", tag_protections.TagProtectionResource(hosting)),
        Route(f"{REPO}/contents", contents.ContentsRootResource(hosting)),
        Route(f"{REPO}/contents/{{filepath:path}}", contents.ContentsResource(hosting)),
        Route(f"{REPO}/raw/{{filepath:path}}", contents.RawResource(hosting)),
        Route(f"{REPO}/archive/{{archive:path}}", contents.ArchiveResource(hosting)),
        Route(f"{REPO}/git/commits/{{sha}}", git_data.GitCommitResource(hosting)),
        Route(f"{REPO}/git/trees/{{sha}}", git_data.GitTreeResource(hosting)),
        Route(f"{REPO}/git/blobs/{{sha}}", git_data.GitBlobResource(hosting)),
        Route(f"{REPO}/git/tags/{{sha}}", git_data.GitAnnotatedTagResource(hosting)),
        Route(f"{REPO}/git/refs", git_data.GitRefsResource(hosting)),
        Route(f"{REPO}/git/refs/{{ref:path}}", git_data.GitRefsResource(hosting), suffix="filtered"),
        Route(f"{REPO}/commits", commits.CommitsResource(hosting)),
        Route(f"{REPO}/commits/{{ref}}", commits.CommitResource(hosting)),
        Route(f"{REPO}/compare/{{basehead:path}}", commits.CompareResource(hosting)),
        Route(f"{REPO}/collaborators", collaborators.CollaboratorsResource(hosting)),
        Route(f"{REPO}/assignees", collaborators.AssigneesResource(hosting)),
        Route(f"{REPO}/collaborators/{{collaborator}}", collaborators.CollaboratorResource(hosting)),
        Route(f"{REPO}/collaborators/{{collaborator}}/permission",
              collaborators.CollaboratorPermissionResource(hosting)),
        Route(f"{V1}/user/starred", star_resources.CurrentUserStarredResource(hosting)),
        Route(f"{V1}/user/starred/{{owner}}/{{repo}}", star_resources.StarResource(hosting)),
        Route(f"{V1}/users/{{username}}/starred", star_resources.UserStarredResource(hosting)),
        Route(f"{REPO}/stargazers", star_resources.StargazersResource(hosting)),
        Route(f"{REPO}/subscription", watch_resources.SubscriptionResource(hosting)),
        Route(f"{REPO}/subscribers", watch_resources.SubscribersResource(hosting)),
        Route(f"{V1}/user/subscriptions", watch_resources.CurrentUserSubscriptionsResource(hosting)),
        Route(f"{V1}/users/{{username}}/subscriptions",
              watch_resources.UserSubscriptionsResource(hosting)),
        Route(f"{REPO}/topics", topic_resources.TopicsResource(hosting)),
        Route(f"{REPO}/topics/{{topic}}", topic_resources.TopicResource(hosting)),
        Route(f"{V1}/topics/search", topic_resources.TopicSearchResource(hosting)),
        # Teams and repositories (Gitea's team_repo): by team name under the repository, by
        # team id under the team.
        Route(f"{REPO}/teams", team_repository_resources.RepoTeamsResource(hosting)),
        Route(f"{REPO}/teams/{{team}}", team_repository_resources.RepoTeamResource(hosting)),
        Route(f"{V1}/teams/{{team_id:id}}/repos", team_repository_resources.TeamReposResource(hosting)),
        Route(f"{V1}/teams/{{team_id:id}}/repos/{{org}}/{{repo}}",
              team_repository_resources.TeamRepoResource(hosting)),
        # Transfers (transfers.py).
        Route(f"{REPO}/transfer", transfer_resources.TransferResource(hosting)),
        Route(f"{REPO}/transfer/accept", transfer_resources.TransferAcceptResource(hosting)),
        Route(f"{REPO}/transfer/reject", transfer_resources.TransferRejectResource(hosting)),
        Sink(PATH_PATTERN, SmartHttp(hosting)),
    ]
