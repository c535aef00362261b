"""Which repositories an organization's teams reach (Gitea's ``team_repo``): a team that
includes all repositories reaches every one of its org's; any other team the ones listed
here. ``permissions`` reads both to decide a member's level, so a change here grants or
takes away access at once."""

from __future__ import annotations

from plue_core.accounts.models import Account, Team, TeamMember
from plue_core.errors import Invalid

from plue_git_hosting.models import Repository, TeamRepository


def reaches(team, repository: Repository) -> bool:
    """Gitea's ``HasTeamRepo``/``HasRepository``."""
    if team.org_id != repository.owner_id:
        return False
    return team.includes_all_repositories or TeamRepository.select().where(
        (TeamRepository.team == team.id) & (TeamRepository.repository == repository.id)).exists()


def add(team, repository: Repository) -> None:
    """Idempotent (Gitea's ``TeamAddRepository``); only the team's org's repositories."""
    if team.org_id != repository.owner_id:
        raise Invalid(f"repository {repository.full_name} does not belong to the team's organization")
    TeamRepository.insert(team=team.id, repository=repository.id).on_conflict_ignore().execute()


def remove(team, repository: Repository) -> None:
    """Idempotent. A team that includes all repositories keeps reaching it (as Gitea's
    ``RemoveRepositoryFromTeam``, which leaves such a team alone)."""
    TeamRepository.delete().where((TeamRepository.team == team.id)
                                  & (TeamRepository.repository == repository.id)).execute()


def repositories_of(team):
    """The repositories ``team`` reaches, owner joined, by name."""
    query = Repository.select(Repository, Account).join(
        Account, on=(Repository.owner == Account.id), attr="owner").where(
        Repository.owner == team.org_id)
    if not team.includes_all_repositories:
        listed = TeamRepository.select(TeamRepository.repository).where(TeamRepository.team == team.id)
        query = query.where(Repository.id.in_(listed))
    return query.order_by(Repository.lower_name)


def teams_of(accounts, repository: Repository):
    """The teams of the repository's org that reach it (Gitea's ``GetRepoTeams``), by id."""
    listed = TeamRepository.select(TeamRepository.team).where(TeamRepository.repository == repository.id)
    return accounts.teams_in_org(repository.owner_id).where(
        Team.includes_all_repositories | Team.id.in_(listed))


def levels_listing(team_levels: list[tuple[int, str]], repository_id: int) -> list[str]:
    """The levels of those of ``team_levels`` (team id, level) that list ``repository_id``,
    in one query."""
    listed = {team_id for (team_id,) in TeamRepository.select(TeamRepository.team).where(
        TeamRepository.team.in_([team_id for team_id, _ in team_levels])
        & (TeamRepository.repository == repository_id)).tuples()}
    return [level for team_id, level in team_levels if team_id in listed]


def reached_condition(user_id):
    """A condition on ``Repository``: reached by one of ``user_id``'s teams (a column or a
    value) — its org's when the team includes all repositories, else listed for it. Its SQL
    does not depend on the user's teams (subqueries), so a query built on it compiles once."""
    teams = TeamMember.select(TeamMember.team).where(TeamMember.user == user_id)
    all_orgs = Team.select(Team.org).where(
        Team.id.in_(teams) & (Team.includes_all_repositories == True))  # noqa: E712
    listed = TeamRepository.select(TeamRepository.repository).where(TeamRepository.team.in_(teams))
    return Repository.owner.in_(all_orgs) | Repository.id.in_(listed)
