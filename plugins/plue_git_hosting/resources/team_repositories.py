"""Gitea's teams and repositories: ``/repos/{owner}/{repo}/teams[/{team}]`` (the teams that
reach an organization's repository, by team name) and ``/teams/{id}/repos[/{org}/{repo}]``
(the repositories a team reaches). Adding or removing one grants or takes away the team's
access at once (team_repositories, read by permissions)."""

from __future__ import annotations

import falcon

from plue_core.accounts.schemas.orgs import TEAM_SHAPE
from plue_core.errors import Forbidden, Invalid, MethodNotAllowed, NotFound
from plue_core.identity import require_identity
from plue_core.openapi import operation
from plue_core.pagination import paginate

from plue_git_hosting import permissions, team_repositories
from plue_git_hosting.resources.common import GitHostingResource
from plue_git_hosting.schemas.shapes.repository import REPOSITORY_SHAPE, repositories_json, repository_json


def _of_org(repository):
    if not repository.owner.is_organization:
        raise MethodNotAllowed(f"repository {repository.full_name} is not owned by an organization")
    return repository


class _RepoTeams(GitHostingResource):
    def team_named(self, repository, name: str):
        team = self.accounts.team_named(repository.owner_id, name)
        if team is None:
            raise NotFound(f"team {name!r} does not exist in {repository.owner.name!r}")
        return team

    def changeable(self, req, owner: str, repo: str):
        """reqAdmin, and an org owner unless the org lets repository admins change which
        teams reach its repositories (Gitea's ``changeRepoTeam``)."""
        repository = _of_org(self.writable(req, owner, repo, "admin", allow_archived=True))
        identity = req.context.identity
        if not (repository.owner.repo_admin_change_team_access or identity.is_admin
                or self.accounts.is_org_owner(repository.owner, identity.user_id)):
            raise Forbidden("user is nor repo admin nor owner")
        return repository


class RepoTeamsResource(_RepoTeams):
    @operation("List a repository's teams", response=TEAM_SHAPE, many=True,
               tags=("repository",), operation_id="repoListTeams")
    def on_get(self, req, resp, owner, repo):
        require_identity(req, scope=("read", "repository"))
        repository = _of_org(self.readable(req, owner, repo))
        resp.media = [self.accounts.team_json(team)
                      for team in team_repositories.teams_of(self.accounts, repository)]


class RepoTeamResource(_RepoTeams):
    @operation("Check if a team is assigned to a repository", response=TEAM_SHAPE,
               tags=("repository",), operation_id="repoCheckTeam")
    def on_get(self, req, resp, owner, repo, team):
        require_identity(req, scope=("read", "repository"))
        repository = _of_org(self.readable(req, owner, repo))
        found = self.team_named(repository, team)
        if not team_repositories.reaches(found, repository):
            raise NotFound(f"team {found.name!r} is not assigned to {repository.full_name}")
        resp.media = self.accounts.team_json(found)

    @operation("Add a team to a repository", status=204, tags=("repository",),
               operation_id="repoAddTeam")
    def on_put(self, req, resp, owner, repo, team):
        repository = self.changeable(req, owner, repo)
        found = self.team_named(repository, team)
        if team_repositories.reaches(found, repository):
            raise Invalid(f"team {found.name!r} is already added to repo")
        team_repositories.add(found, repository)
        resp.status = falcon.HTTP_204

    @operation("Delete a team from a repository", status=204, tags=("repository",),
               operation_id="repoDeleteTeam")
    def on_delete(self, req, resp, owner, repo, team):
        repository = self.changeable(req, owner, repo)
        found = self.team_named(repository, team)
        if not team_repositories.reaches(found, repository):
            raise Invalid(f"team {found.name!r} was not added to repo")
        team_repositories.remove(found, repository)
        resp.status = falcon.HTTP_204


class _TeamRepos(GitHostingResource):
    def team(self, req, team_id: int, write: bool = False):
        identity = require_identity(req, scope=("write" if write else "read", "organization"))
        return self.accounts.visible_team(identity, team_id)

    def repository_of(self, team, repo: str):
        """The team's org's repository ``repo`` (Gitea looks it up in the team's org)."""
        repository = permissions.find_repository(team.org.name, repo)
        if repository is None:
            raise NotFound(f"repository {team.org.name}/{repo} does not exist")
        return repository

    def administered(self, req, team_id: int, repo: str):
        """Adding or removing needs admin on the repository (404 when it cannot be read)."""
        team = self.team(req, team_id, write=True)
        repository = self.repository_of(team, repo)
        memo = self.memo(req)
        if not memo.can(repository, "read"):
            raise NotFound(f"repository {repository.full_name} does not exist")
        if not memo.can(repository, "admin"):
            raise Forbidden("Must have admin-level access to the repository")
        return team, repository


class TeamReposResource(_TeamRepos):
    @operation("List a team's repos", response=REPOSITORY_SHAPE, many=True,
               tags=("organization",), query=("page", "limit"), operation_id="orgListTeamRepos")
    def on_get(self, req, resp, team_id):
        team = self.team(req, team_id)
        query = team_repositories.repositories_of(team)
        condition = permissions.visible_condition(self.accounts, req.context.identity)
        if condition is not None:
            query = query.where(condition)
        rows = paginate(req, resp, query, self.pagination)
        resp.media = repositories_json(self.hosting, rows, self.memo(req))


class TeamRepoResource(_TeamRepos):
    @operation("List a particular repo of team", response=REPOSITORY_SHAPE,
               tags=("organization",), operation_id="orgListTeamRepo")
    def on_get(self, req, resp, team_id, org, repo):
        team = self.team(req, team_id)
        repository = self.repository_of(team, repo)
        if not (team_repositories.reaches(team, repository)
                and self.memo(req).can(repository, "read")):
            raise NotFound(f"repository {repository.full_name} is not one of team {team.name!r}'s")
        resp.media = repository_json(self.hosting, repository, self.memo(req))

    @operation("Add a repository to a team", status=204, tags=("organization",),
               operation_id="orgAddTeamRepository")
    def on_put(self, req, resp, team_id, org, repo):
        team_repositories.add(*self.administered(req, team_id, repo))
        resp.status = falcon.HTTP_204

    @operation("Remove a repository from a team", status=204, tags=("organization",),
               operation_id="orgRemoveTeamRepository")
    def on_delete(self, req, resp, team_id, org, repo):
        team_repositories.remove(*self.administered(req, team_id, repo))
        resp.status = falcon.HTTP_204
