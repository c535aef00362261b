"""Teams of an organization and their members: how people join an org, as in Gitea.

The Owners team (permission "owner") is created with the org, cannot be renamed, re-permissioned
or deleted, and never loses its last member.
"""

from __future__ import annotations

import json
import re

import peewee

from plue_core.accounts import orgs, visibility
from plue_core.accounts.models import USER, Account, Team, TeamMember
from plue_core.constraints import unique_write
from plue_core.db import CompiledSelect, write_transaction
from plue_core.errors import Forbidden, Invalid, NotFound
from plue_core.identity import Identity

UNITS = ("repo.code", "repo.issues", "repo.ext_issues", "repo.wiki", "repo.ext_wiki",
         "repo.pulls", "repo.releases", "repo.projects", "repo.packages", "repo.actions")
UNIT_ACCESS = ("none", "read", "write", "admin")
TEAM_PERMISSIONS = ("read", "write", "admin")
TEAM_VISIBILITIES = ("public", "limited", "private")
_TEAM_NAME = re.compile(r"^[A-Za-z0-9_.-]{1,255}$")


def _check_name(name: str) -> str:
    if not isinstance(name, str) or not _TEAM_NAME.match(name):
        raise Invalid(f"name: team name {name!r} is invalid: use letters, digits, '-', '_' or '.'")
    return name


def _check_units_map(units_map: dict | None) -> dict:
    units_map = units_map or {}
    unknown = [unit for unit in units_map if unit not in UNITS]
    if unknown:
        raise Invalid(f"units_map: unknown unit(s) {', '.join(unknown)}; known: {', '.join(UNITS)}")
    bad = [f"{unit}={access}" for unit, access in units_map.items() if access not in UNIT_ACCESS]
    if bad:
        raise Invalid(f"units_map: access must be one of {', '.join(UNIT_ACCESS)}: {', '.join(bad)}")
    return units_map


def units_map_of(team: Team) -> dict:
    """Every unit with the team's access to it (Gitea's ``units_map``)."""
    if team.permission in ("admin", "owner"):
        return {unit: team.permission for unit in UNITS}
    stored = json.loads(team.units_map) if team.units_map else {}
    return {unit: stored.get(unit, team.permission) for unit in UNITS}


def _ensure_name_free(org: Account, name: str, except_id: int | None = None) -> None:
    query = Team.select().where((Team.org == org) & (Team.lower_name == name.lower()))
    if except_id is not None:
        query = query.where(Team.id != except_id)
    if query.exists():
        raise Invalid(f"name: team {name!r} already exists in {org.name!r}")


def create_team(org: Account, *, name: str, description: str = "", permission: str | None = None,
                includes_all_repositories: bool = False, can_create_org_repo: bool = False,
                units_map: dict | None = None, visibility: str = "private") -> Team:
    _check_name(name)
    units_map = _check_units_map(units_map)
    if permission is None:
        granted = [orgs.PERMISSION_RANK[a] for a in units_map.values() if a != "none"]
        permission = {1: "read", 2: "write", 3: "admin"}.get(max(granted, default=1), "read")
    if permission not in TEAM_PERMISSIONS:
        raise Invalid(f"permission: must be one of {', '.join(TEAM_PERMISSIONS)}; got {permission!r}")
    if visibility not in TEAM_VISIBILITIES:
        raise Invalid(f"visibility: must be one of {', '.join(TEAM_VISIBILITIES)}")
    with unique_write(f"name: team {name!r} already exists in {org.name!r}"):
        _ensure_name_free(org, name)
        return Team.create(org=org, name=name, lower_name=name.lower(), description=description or "",
                           permission=permission, includes_all_repositories=includes_all_repositories,
                           can_create_org_repo=can_create_org_repo, visibility=visibility,
                           units_map=json.dumps(units_map) if units_map else "")


def update_team(team: Team, changes: dict) -> Team:
    """Gitea's EditTeamOption. The Owners team keeps its name and permission: asking to change
    either is 422, sending the same values back is fine."""
    changes = {k: v for k, v in changes.items() if v is not None}
    is_owners = team.permission == "owner"
    if "name" in changes and changes["name"] != team.name:
        if is_owners:
            raise Invalid("name: the Owners team cannot be renamed")
        _check_name(changes["name"])
    if "permission" in changes and changes["permission"] != team.permission:
        if is_owners:
            raise Invalid("permission: the Owners team always has the owner permission")
        if changes["permission"] not in TEAM_PERMISSIONS:
            raise Invalid(f"permission: must be one of {', '.join(TEAM_PERMISSIONS)}")
        team.permission = changes["permission"]
    if is_owners and changes.get("includes_all_repositories") is False:
        raise Invalid("includes_all_repositories: the Owners team always reaches every repository")
    if "visibility" in changes and changes["visibility"] not in TEAM_VISIBILITIES:
        raise Invalid(f"visibility: must be one of {', '.join(TEAM_VISIBILITIES)}")
    with unique_write(f"name: team {changes.get('name')!r} already exists in {team.org.name!r}"):
        if "name" in changes and changes["name"] != team.name:
            _ensure_name_free(team.org, changes["name"], except_id=team.id)
            team.name, team.lower_name = changes["name"], changes["name"].lower()
        for key in ("description", "includes_all_repositories", "can_create_org_repo", "visibility"):
            if key in changes:
                setattr(team, key, changes[key])
        if "units_map" in changes and not is_owners:
            units_map = _check_units_map(changes["units_map"])
            team.units_map = json.dumps(units_map) if units_map else ""
        team.save()
    return team


def get_team(team_id: int) -> Team:
    if not 0 < team_id < 2 ** 63:  # no such id, and the database could not even compare it
        raise NotFound(f"team {team_id} does not exist")
    team = Team.select(Team, Account).join(Account).where(Team.id == team_id).first()
    if team is None:
        raise NotFound(f"team {team_id} does not exist")
    return team


def visible_team(identity: Identity, team_id: int) -> Team:
    """Gitea's reqTeamMembership: outsiders of the org get 404; org members may see teams
    that are not private, and private ones only when they are in them (else 403)."""
    team = get_team(team_id)
    org = team.org
    if identity.is_admin or orgs.is_owner(org, identity.user_id):
        return team
    if is_team_member(team, identity.user_id):
        return team
    if orgs.is_member(org, identity.user_id):
        if team.visibility == "private":
            raise Forbidden(f"you must be a member of team {team.name!r}")
        return team
    if team.visibility == "public" and visibility.can_see(identity, org):
        return team
    raise NotFound(f"team {team_id} does not exist")


def delete_team(team: Team) -> None:
    if team.permission == "owner":
        raise Invalid("the Owners team of an organization cannot be deleted")
    with write_transaction():
        org = team.org
        member_ids = [m.user_id for m in TeamMember.select(TeamMember.user).where(TeamMember.team == team)]
        # The rows naming the team (pull requests' review requests and their timeline
        # events) go with it, as their foreign keys declare: not left naming nobody.
        team.delete_instance(recursive=True, delete_nullable=True)
        for user_id in member_ids:
            orgs.forget_if_not_member(org, user_id)


def is_team_member(team: Team, user_id: int) -> bool:
    return TeamMember.select().where((TeamMember.team == team) & (TeamMember.user == user_id)).exists()


def team_members(team: Team):
    member_ids = TeamMember.select(TeamMember.user).where(TeamMember.team == team)
    return Account.select().where(Account.id.in_(member_ids)).order_by(Account.lower_name)


def members_of_teams(team_ids: list[int]) -> dict[int, list[Account]]:
    """Each team's members by name, for several teams in one query (a list of teams with
    their members)."""
    members: dict[int, list[Account]] = {team_id: [] for team_id in team_ids}
    if members:
        for account in (Account.select(Account, TeamMember.team.alias("in_team"))
                        .join(TeamMember, on=(TeamMember.user == Account.id))
                        .where(TeamMember.team.in_(list(members)))
                        .order_by(Account.lower_name).objects()):
            members[account.in_team].append(account)
    return members


def add_team_member(team: Team, user: Account) -> None:
    """Idempotent: adding a member twice is not an error (Gitea answers 204 both times)."""
    if user.type != USER:
        raise NotFound(f"user {user.name!r} does not exist")
    TeamMember.insert(team=team, user=user).on_conflict_ignore().execute()


def remove_team_member(team: Team, user: Account) -> None:
    """Idempotent; refuses to take the last owner out of the Owners team."""
    with write_transaction():
        if team.permission == "owner":
            orgs.lock_owners(team.org)
            if is_team_member(team, user.id) and orgs.owner_count(team.org) <= 1:
                raise Invalid(f"{user.name!r} is the last owner of {team.org.name!r}; add another "
                              "owner first")
        TeamMember.delete().where((TeamMember.team == team) & (TeamMember.user == user)).execute()
        orgs.forget_if_not_member(team.org, user.id)


def teams_of_org(org: Account, identity: Identity, *, query_text: str = "",
                 include_description: bool = False):
    """The org's teams ``identity`` may list: all for owners and admins; for other members
    the limited and public teams plus the private ones they are in."""
    query = Team.select(Team, Account).join(Account).where(Team.org == org).order_by(Team.id)
    if not (identity.is_admin or orgs.is_owner(org, identity.user_id)):
        mine = TeamMember.select(TeamMember.team).where(TeamMember.user == identity.user_id)
        query = query.where((Team.visibility != "private") | Team.id.in_(mine))
    if query_text:
        needle = query_text.lower()
        condition = Team.lower_name.contains(needle)
        if include_description:
            condition |= Team.description.contains(query_text)
        query = query.where(condition)
    return query


def team_names_of(user_id: int, org_id: int) -> set[str]:
    """The lower-cased names of ``org_id``'s teams that ``user_id`` is a member of."""
    rows = (Team.select(Team.lower_name).join(TeamMember, on=(TeamMember.team == Team.id))
            .where((Team.org == org_id) & (TeamMember.user == user_id)))
    return {row.lower_name for row in rows}


def team_named(org_id: int, name: str) -> Team | None:
    """``org_id``'s team called ``name`` (case-insensitively), or None."""
    return Team.get_or_none((Team.org == org_id) & (Team.lower_name == str(name).lower()))


def teams_of_user(user_id: int):
    mine = TeamMember.select(TeamMember.team).where(TeamMember.user == user_id)
    return Team.select(Team, Account).join(Account).where(Team.id.in_(mine)).order_by(Team.id)


# Every repository list's visibility filter asks it (the signed-in front page five times):
# compiled once, the ids only.
_ORG_IDS = CompiledSelect(
    lambda user_id: Team.select(Team.org).join(TeamMember, on=(TeamMember.team == Team.id))
    .where(TeamMember.user == user_id).distinct().tuples(), int)


def org_ids_of_user(user_id: int) -> set[int]:
    """The organizations ``user_id`` belongs to (through any team)."""
    return {org_id for (org_id,) in _ORG_IDS.rows(user_id)}


def org_ids_select(user_id) -> peewee.ModelSelect:
    """:func:`org_ids_of_user` as a subquery (not run), for a query whose SQL must not depend
    on how many organizations the user belongs to (one compiled per caller shape)."""
    return Team.select(Team.org).join(TeamMember, on=(TeamMember.team == Team.id)) \
        .where(TeamMember.user == user_id)


# --- which repositories a team reaches (Gitea's team_repo, kept by git_hosting) ----------------


def teams_in_org_of(org_id: int, user_id: int) -> list[tuple[int, str, bool]]:
    """``user_id``'s teams in ``org_id``: (id, permission, includes_all_repositories) each.
    A team reaches every repository of its org when it includes all of them, else those
    listed for it (git_hosting's ``team_repositories``)."""
    return list(Team.select(Team.id, Team.permission, Team.includes_all_repositories)
                .join(TeamMember, on=(TeamMember.team == Team.id))
                .where((Team.org == org_id) & (TeamMember.user == user_id)).tuples())


def teams_in_org(org_id: int):
    """Every team of ``org_id``, its org joined, by id."""
    return Team.select(Team, Account).join(Account).where(Team.org == org_id).order_by(Team.id)


def teams_by_ids(team_ids: list[int]) -> list[Team]:
    """The teams of ``team_ids`` that exist, their org joined, by id."""
    return list(Team.select(Team, Account).join(Account).where(Team.id.in_(team_ids))
                .order_by(Team.id)) if team_ids else []
