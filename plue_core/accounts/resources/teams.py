"""Gitea teams: ``/orgs/{org}/teams[/search]``, ``/teams/{id}``,
``/teams/{id}/members[/{username}]`` and ``/user/teams``. Adding someone to a team is how
they join an organization."""

from __future__ import annotations

import falcon

from plue_core.accounts import orgs, teams, users, visibility
from plue_core.accounts.resources.common import (
    AccountsResource, require_org_member, require_org_owner, require_scopes,
)
from plue_core.accounts.schemas.orgs import CreateTeamOption, EditTeamOption, TEAM_SHAPE
from plue_core.accounts.schemas.users import USER_SHAPE
from plue_core.errors import NotFound
from plue_core.identity import require_identity
from plue_core.openapi import operation
from plue_core.validation import load_body


def _units_map_from(body: dict) -> dict | None:
    """Gitea's deprecated ``units`` list means "these units at the team's permission"."""
    if body.get("units_map"):
        return body["units_map"]
    if body.get("units"):
        access = body.get("permission") or "read"
        return {unit: (access if unit in body["units"] else "none") for unit in teams.UNITS}
    return None


def owned_team(req, team_id: int):
    """reqOrgOwnership on a team route: outsiders of a hidden org get 404, others 403."""
    identity = require_identity(req, scope=("write", "organization"))
    team = teams.get_team(team_id)
    if not visibility.can_see(identity, team.org):
        raise NotFound(f"team {team_id} does not exist")
    require_org_owner(identity, team.org)
    return team


class OrgTeamsResource(AccountsResource):
    @operation("List an organization's teams", response=TEAM_SHAPE, many=True,
               tags=("organization",), query=("page", "limit"), operation_id="orgListTeams")
    def on_get(self, req, resp, org):
        identity = require_identity(req, scope=("read", "organization"))
        account = orgs.get_visible_org(identity, org)
        require_org_member(identity, account)
        query = teams.teams_of_org(account, identity)
        resp.media = TEAM_SHAPE.many(self.page(req, resp, query), self.site_view)

    @operation("Create a team", request=CreateTeamOption, response=TEAM_SHAPE, status=201,
               tags=("organization",), operation_id="orgCreateTeam")
    def on_post(self, req, resp, org):
        identity = require_identity(req, scope=("write", "organization"))
        account = orgs.get_visible_org(identity, org)
        require_org_member(identity, account)
        require_org_owner(identity, account)
        body = load_body(req, CreateTeamOption)
        team = teams.create_team(
            account, name=body["name"], description=body.get("description", ""),
            permission=body.get("permission"),
            includes_all_repositories=body.get("includes_all_repositories", False),
            can_create_org_repo=body.get("can_create_org_repo", False),
            units_map=_units_map_from(body), visibility=body.get("visibility", "private"))
        resp.status = falcon.HTTP_201
        resp.media = TEAM_SHAPE(team, self.site_view)


class OrgTeamSearchResource(AccountsResource):
    @operation("Search for teams within an organization", tags=("organization",),
               query=("q", "include_desc", "page", "limit"), operation_id="teamSearch")
    def on_get(self, req, resp, org):
        identity = require_identity(req, scope=("read", "organization"))
        account = orgs.get_visible_org(identity, org)
        require_org_member(identity, account)
        include_desc = req.get_param_as_bool("include_desc", default=True)
        query = teams.teams_of_org(account, identity, query_text=req.get_param("q") or "",
                                   include_description=include_desc)
        rows = self.page(req, resp, query)
        resp.media = {"ok": True, "data": TEAM_SHAPE.many(rows, self.site_view)}


class TeamResource(AccountsResource):
    @operation("Get a team", response=TEAM_SHAPE, tags=("organization",),
               operation_id="orgGetTeam")
    def on_get(self, req, resp, team_id):
        identity = require_identity(req, scope=("read", "organization"))
        resp.media = TEAM_SHAPE(self.visible_team(identity, team_id), self.site_view)

    @operation("Edit a team", request=EditTeamOption, response=TEAM_SHAPE,
               tags=("organization",), operation_id="orgEditTeam")
    def on_patch(self, req, resp, team_id):
        team = owned_team(req, team_id)
        body = load_body(req, EditTeamOption)
        units_map = _units_map_from({**body, "permission": body.get("permission", team.permission)})
        changes = {**body, "units_map": units_map}
        resp.media = TEAM_SHAPE(teams.update_team(team, changes), self.site_view)

    @operation("Delete a team", status=204, tags=("organization",), operation_id="orgDeleteTeam")
    def on_delete(self, req, resp, team_id):
        teams.delete_team(owned_team(req, team_id))
        resp.status = falcon.HTTP_204


class TeamMembersResource(AccountsResource):
    @operation("List a team's members", response=USER_SHAPE, many=True,
               tags=("organization",), query=("page", "limit"), operation_id="orgListTeamMembers")
    def on_get(self, req, resp, team_id):
        identity = require_identity(req, scope=("read", "organization"))
        team = self.visible_team(identity, team_id)
        require_org_member(identity, team.org)
        query = teams.team_members(team)
        resp.media = USER_SHAPE.many(self.page(req, resp, query), self.user_view(req))


class TeamMemberResource(AccountsResource):
    @operation("List a particular member of team", response=USER_SHAPE,
               tags=("organization",), operation_id="orgListTeamMember")
    def on_get(self, req, resp, team_id, username):
        identity = require_identity(req, scope=("read", "organization"))
        team = self.visible_team(identity, team_id)
        require_org_member(identity, team.org)
        user = users.find_user(username)
        if user is None or not teams.is_team_member(team, user.id):
            raise NotFound(f"user {username!r} is not a member of team {team.name!r}")
        resp.media = USER_SHAPE(user, self.user_view(req))

    @operation("Add a team member", status=204, tags=("organization",),
               operation_id="orgAddTeamMember")
    def on_put(self, req, resp, team_id, username):
        team = owned_team(req, team_id)
        teams.add_team_member(team, users.get_user(username))
        resp.status = falcon.HTTP_204

    @operation("Remove a team member", status=204, tags=("organization",),
               operation_id="orgRemoveTeamMember")
    def on_delete(self, req, resp, team_id, username):
        team = owned_team(req, team_id)
        teams.remove_team_member(team, users.get_user(username))
        resp.status = falcon.HTTP_204


class CurrentUserTeamsResource(AccountsResource):
    @operation("List all the teams a user belongs to", response=TEAM_SHAPE, many=True,
               tags=("user",), query=("page", "limit"), operation_id="userListTeams")
    def on_get(self, req, resp):
        identity = require_scopes(req, "user", "organization")
        query = teams.teams_of_user(identity.user_id)
        resp.media = TEAM_SHAPE.many(self.page(req, resp, query), self.site_view)
