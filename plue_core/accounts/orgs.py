"""Organizations and their teams. An org always has an "Owners" team; membership of any team
makes a member, as in Gitea."""

from __future__ import annotations

from plue_core.accounts.models import ORGANIZATION, Account, Team, TeamMember
from plue_core.accounts.users import ensure_name_free, validate_name
from plue_core.db import write_transaction
from plue_core.errors import Invalid, NotFound

OWNERS_TEAM = "Owners"
PERMISSION_RANK = {"none": 0, "read": 1, "write": 2, "admin": 3, "owner": 4}


def create_org(creator: Account, *, name: str, full_name: str = "", description: str = "",
               website: str = "", location: str = "", visibility: str = "public",
               email: str = "", kind: str = "organization") -> Account:
    validate_name(name, "organization name")
    if visibility not in ("public", "limited", "private"):
        raise Invalid(f"visibility must be one of public, limited, private; got {visibility!r}")
    with write_transaction():
        ensure_name_free(name)
        org = Account.create(name=name, lower_name=name.lower(), type=ORGANIZATION,
                             full_name=full_name or "", description=description or "",
                             website=website or "", location=location or "",
                             visibility=visibility, email=email or "", org_kind=kind)
        owners = Team.create(org=org, name=OWNERS_TEAM, lower_name=OWNERS_TEAM.lower(),
                             permission="owner", includes_all_repositories=True,
                             can_create_org_repo=True)
        TeamMember.create(team=owners, user=creator)
    return org


def find_org(name: str) -> Account | None:
    return Account.get_or_none((Account.lower_name == (name or "").lower())
                               & (Account.type == ORGANIZATION))


def get_org(name: str) -> Account:
    org = find_org(name)
    if org is None:
        raise NotFound(f"organization {name!r} does not exist")
    return org


def _membership(org: Account, user_id: int):
    return (Team.select(Team.permission).join(TeamMember)
            .where((Team.org == org) & (TeamMember.user == user_id)))


def is_member(org: Account, user_id: int) -> bool:
    return _membership(org, user_id).exists()


def is_owner(org: Account, user_id: int) -> bool:
    return _membership(org, user_id).where(Team.permission == "owner").exists()


def permission_of(org: Account, user_id: int) -> str:
    """The highest team permission of the user in the org ("none" when not a member)."""
    best = "none"
    for team in _membership(org, user_id):
        if PERMISSION_RANK[team.permission] > PERMISSION_RANK[best]:
            best = team.permission
    return best


def members(org: Account):
    return (Account.select().distinct().join(TeamMember, on=(TeamMember.user == Account.id))
            .join(Team).where(Team.org == org).order_by(Account.lower_name))


def orgs_of(user_id: int):
    org_ids = (Team.select(Team.org).join(TeamMember).where(TeamMember.user == user_id))
    return Account.select().where(Account.id.in_(org_ids)).order_by(Account.lower_name)
