"""``ctx.services["accounts"]``: what other plugins may ask of accounts, without HTTP and
without importing the accounts internals. Documented in docs/accounts.md."""

from __future__ import annotations

from plue_core.accounts import (
    admin_users, authentication, credentials, deletion, orgs, ssh_keys, teams, users, visibility,
)
from plue_core.accounts.models import Account, PublicKey
from plue_core.accounts.schemas.admin import EditUserOption
from plue_core.accounts.schemas.orgs import ORGANIZATION_SHAPE, TEAM_SHAPE, EditOrgOption
from plue_core.accounts.schemas.users import USER_SHAPE, UserView
from plue_core.client_address import client_address
from plue_core.identity import Identity
from plue_core.validation import load_data


class AccountsService:
    def __init__(self, ctx):
        self.ctx = ctx
        self.settings = ctx.section("accounts")
        self.secret_key = ctx.secret_key
        self.password_checker = credentials.PasswordChecker()

    # The one algorithm JWTs are signed and accepted with (security's posture reports it).
    jwt_algorithm = credentials.JWT_ALGORITHM

    # --- lookups (repository owners, pushers, authors) ---------------------------------------

    find_account = staticmethod(users.find_account)
    find_user = staticmethod(users.find_user)
    # 404 "user ... does not exist" when missing; the visible one also when ``identity`` may
    # not see the account (Gitea hides private users as if they did not exist).
    get_user = staticmethod(users.get_user)
    get_visible_user = staticmethod(users.get_visible_user)
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

    # ``(key, identity)`` of the user whose SSH key has ``fingerprint`` ("SHA256:..."), if
    # the account may log in; None otherwise (the SSH face refuses the key).
    identity_for_ssh_key = staticmethod(authentication.identity_for_ssh_key)

    def ssh_key_in_use(self, fingerprint: str) -> str | None:
        """Why a plugin keeps this key from becoming a user's key (``ssh_key_in_use``)."""
        hook = getattr(self.ctx.plugins.hook, "ssh_key_in_use", None)
        return hook(ctx=self.ctx, fingerprint=fingerprint) if hook is not None else None

    # May ``identity`` see ``account``: Gitea's visibility rules (public / limited / private).
    can_see_account = staticmethod(visibility.can_see)

    # --- organizations and teams (repository permissions) ------------------------------------

    is_org_member = staticmethod(orgs.is_member)
    is_org_owner = staticmethod(orgs.is_owner)
    org_members_seen_by = staticmethod(orgs.members_seen_by)
    org_permission = staticmethod(orgs.permission_of)
    teams_of_user = staticmethod(teams.teams_of_user)
    org_ids_of_user = staticmethod(teams.org_ids_of_user)
    org_ids_select = staticmethod(teams.org_ids_select)
    # Branch protection's team allowlists (pulls): a user's team names in an org, a team by name.
    team_names_of = staticmethod(teams.team_names_of)
    team_named = staticmethod(teams.team_named)
    # A team's members, by name (pulls tells each of them of a review asked of the team).
    team_members = staticmethod(teams.team_members)
    units_map_of = staticmethod(teams.units_map_of)
    # The org's pages (the web): its teams the identity may list, a team by id (404), the
    # members of several teams at once, and the changes owners make.
    teams_of_org = staticmethod(teams.teams_of_org)
    get_team = staticmethod(teams.get_team)
    members_of_teams = staticmethod(teams.members_of_teams)
    team_permissions = teams.TEAM_PERMISSIONS
    create_team = staticmethod(teams.create_team)
    add_team_member = staticmethod(teams.add_team_member)
    remove_team_member = staticmethod(teams.remove_team_member)  # never the last owner
    # Which repositories teams reach (git_hosting keeps the listed ones: team_repositories).
    visible_team = staticmethod(teams.visible_team)  # reqTeamMembership: 404 / 403
    teams_in_org = staticmethod(teams.teams_in_org)
    teams_in_org_of = staticmethod(teams.teams_in_org_of)
    teams_by_ids = staticmethod(teams.teams_by_ids)  # a pending transfer's teams
    remove_org_member = staticmethod(orgs.remove_member)  # never the last owner
    # Every organization whose visibility is in ``visibilities`` (the site admin's list).
    all_orgs = staticmethod(orgs.all_orgs)

    def edit_org(self, org: Account, values: dict) -> Account:
        """Change an organization's profile from ``values`` as a face received them: checked
        with Gitea's ``EditOrgOption`` (the API's rules, a 422 naming the field)."""
        return orgs.update_org(org, load_data(values, EditOrgOption))

    # --- wire shapes, so every plugin renders accounts the same way --------------------------

    def user_json(self, account: Account, viewer: Identity | None = None) -> dict:
        """Gitea's ``User`` (the e-mail only for the user themself and admins)."""
        return USER_SHAPE(account, UserView(self.ctx.config.base_url, viewer))

    def owner_json(self, account: Account, viewer: Identity | None = None) -> dict:
        """A repository owner: Gitea renders users and organizations alike as ``User``."""
        return self.user_json(account, viewer)

    def org_json(self, org: Account) -> dict:
        return ORGANIZATION_SHAPE(org, UserView(self.ctx.config.base_url))

    def team_json(self, team) -> dict:
        """Gitea's ``Team`` (``team.org`` is read: join it when rendering many)."""
        return TEAM_SHAPE(team, UserView(self.ctx.config.base_url))

    # --- a user's own account: sign-up, password, profile, keys, tokens ----------------------

    def create_user(self, **fields) -> Account:
        """A new user (``users.create_user``'s fields) under this instance's account rules."""
        return users.create_user(self.settings, **fields)

    def set_password(self, user: Account, password: str) -> None:
        """Store ``password`` if the instance's password rules accept it (422 otherwise)."""
        users.set_password(self.settings, user, password)

    def edit_user(self, user: Account, values: dict, *, only: tuple[str, ...]) -> Account:
        """Change a user from ``values`` as a face received them, checked with Gitea's
        ``EditUserOption`` (the admin API's rules, a 422 naming the field). ``only`` names the
        fields the face lets change (a profile form: no ``admin``, no ``password``); any other
        key of ``values`` is ignored."""
        return admin_users.update_user(self.settings, user,
                                       load_data(values, EditUserOption(only=only)))

    # Every user (no visibility filter): the site administrator's search, ``q`` in names,
    # full names and e-mail addresses.
    search_all_users = staticmethod(admin_users.search_users)
    touch_last_login = staticmethod(users.touch_last_login)
    create_access_token = staticmethod(users.create_access_token)  # (row, the token, once)
    access_tokens_of = staticmethod(users.access_tokens_of)
    ssh_keys_of = staticmethod(ssh_keys.keys_of)
    delete_ssh_key = staticmethod(ssh_keys.delete_key)

    def add_ssh_key(self, user: Account, *, title: str, key: str) -> PublicKey:
        """A user's new SSH key, refused (422) when it is weak, already anyone's key, or
        another plugin keeps it (``ssh_key_in_use``, e.g. a deploy key)."""
        return ssh_keys.add_key(self.settings, user, title=title, key=key,
                                in_use=self.ssh_key_in_use)

    def parse_ssh_key(self, text: str) -> ssh_keys.ParsedKey:
        """A public key's type, canonical content and ``SHA256:`` fingerprint, by the one
        parser every key goes through (a 422 for a malformed or weak key)."""
        return ssh_keys.parse_public_key(text, minimum_rsa_bits=self.settings["minimum_rsa_key_bits"])

    # --- credentials and deletion -------------------------------------------------------------

    def login_with_password(self, req, login: str, password: str) -> Account | None:
        """Every face's password login (Basic auth, git over HTTP, the JWT logins): throttled
        by the client's address as :func:`plue_core.client_address.client_address` finds it."""
        return users.login_with_password(self.settings, self.password_checker, login, password,
                                         client_address(req, self.ctx.config.trusted_proxies))

    def issue_jwt(self, user: Account, audience: str) -> str:
        return credentials.issue_jwt(self.secret_key, user_id=user.id, username=user.name,
                                     ttl_seconds=self.jwt_lifetime(audience), audience=audience)

    def jwt_lifetime(self, audience: str) -> int:
        """Seconds a JWT for ``audience`` lasts: each seed's own (Runner Pilot's hour, RunnerHub's
        24 hours by default)."""
        return self.settings["pilot_jwt_ttl_seconds" if audience == "pilot" else "jwt_ttl_seconds"]

    def deletion_blockers(self, account: Account) -> list[str]:
        """Why ``account`` cannot be deleted without purging, from accounts and every plugin."""
        return deletion.deletion_blockers(self.ctx, account)
