"""``ctx.services["accounts"]``: what other plugins may ask of accounts, without HTTP and
without importing the accounts internals. Documented in docs/accounts.md."""

from __future__ import annotations

from plue_core.accounts import credentials, deletion, orgs, teams, users, visibility
from plue_core.accounts.models import Account
from plue_core.accounts.schemas.orgs import OrganizationSchema
from plue_core.accounts.schemas.users import UserSchema, shows_email
from plue_core.client_address import client_address
from plue_core.identity import Identity


class AccountsService:
    def __init__(self, ctx):
        self.ctx = ctx
        self.settings = ctx.section("accounts")
        self.secret_key = ctx.secret_key
        self.password_checker = credentials.PasswordChecker()
        # Built once: a marshmallow schema deep-copies its fields when instantiated, which cost
        # a fifth of a repository GET when done for every owner rendered (issue 13).
        self._public_user_schema = UserSchema(base_url=ctx.config.base_url)

    # --- lookups (repository owners, pushers, authors) ---------------------------------------

    find_account = staticmethod(users.find_account)
    find_user = staticmethod(users.find_user)
    find_account_by_id = staticmethod(users.find_account_by_id)  # compiled once (issue 13)
    find_org = staticmethod(orgs.find_org)
    find_org_by_uid = staticmethod(orgs.find_org_by_uid)
    # Runner Pilot's /org/{org_id} (uid or short name): the org if the identity is a member or
    # an admin, else NotFound. Every /org/{org_id}/... route resolves its org with this.
    pilot_org_for = staticmethod(orgs.get_member_org)

    def account_for(self, identity: Identity | None) -> Account | None:
        """The caller's account: the row the request's credential was checked against (no
        second lookup), else read by id."""
        if identity is None:
            return None
        return identity.account if identity.account is not None \
            else users.find_account_by_id(identity.user_id)

    def can_see_account(self, identity: Identity | None, account: Account) -> bool:
        """Gitea's visibility rules (public / limited / private); see ``visibility.py``."""
        return visibility.can_see(identity, account)

    # --- organizations and teams (repository permissions) ------------------------------------

    is_org_member = staticmethod(orgs.is_member)
    is_org_owner = staticmethod(orgs.is_owner)
    org_permission = staticmethod(orgs.permission_of)
    teams_of_user = staticmethod(teams.teams_of_user)
    units_map_of = staticmethod(teams.units_map_of)

    # --- wire shapes, so every plugin renders accounts the same way --------------------------

    def user_json(self, account: Account, viewer: Identity | None = None) -> dict:
        """Gitea's ``User`` (the e-mail only for the user themself and admins)."""
        body = self._public_user_schema.dump(account)
        if shows_email(viewer, account):
            body["email"] = account.email
        return body

    def owner_json(self, account: Account, viewer: Identity | None = None) -> dict:
        """A repository owner: Gitea renders users and organizations alike as ``User``."""
        return self.user_json(account, viewer)

    def org_json(self, org: Account) -> dict:
        return OrganizationSchema(base_url=self.ctx.config.base_url).dump(org)

    # --- credentials and deletion -------------------------------------------------------------

    def login_with_password(self, req, login: str, password: str) -> Account | None:
        """Every face's password login (Basic auth, git over HTTP, the JWT logins): throttled
        by the client's address as :func:`plue_core.client_address.client_address` finds it."""
        return users.login_with_password(self.settings, self.password_checker, login, password,
                                         client_address(req, self.ctx.config.trusted_proxies))

    def issue_jwt(self, user: Account, audience: str) -> str:
        return credentials.issue_jwt(self.secret_key, user_id=user.id, username=user.name,
                                     ttl_seconds=self.settings["jwt_ttl_seconds"], audience=audience)

    def deletion_blockers(self, account: Account) -> list[str]:
        """Why ``account`` cannot be deleted without purging, from accounts and every plugin."""
        return deletion.deletion_blockers(self.ctx, account)
