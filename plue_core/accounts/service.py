"""``ctx.services["accounts"]``: what other plugins may ask of accounts, without HTTP."""

from __future__ import annotations

from plue_core.accounts import credentials, orgs, users
from plue_core.accounts.models import Account
from plue_core.identity import Identity


class AccountsService:
    def __init__(self, ctx):
        self.ctx = ctx
        self.settings = ctx.section("accounts")
        self.secret_key = ctx.secret_key
        self.password_checker = credentials.PasswordChecker()

    # Lookups other plugins use (repository owners, pushers).
    find_account = staticmethod(users.find_account)
    find_user = staticmethod(users.find_user)

    def account_for(self, identity: Identity | None) -> Account | None:
        return Account.get_or_none(Account.id == identity.user_id) if identity else None

    def can_see_account(self, identity: Identity | None, account: Account) -> bool:
        """Gitea's rule: public for all, limited for signed-in users, private for members."""
        if account.visibility == "public":
            return True
        if identity is None:
            return False
        if account.visibility == "limited" or identity.is_admin or identity.user_id == account.id:
            return True
        return account.is_organization and orgs.is_member(account, identity.user_id)

    is_org_member = staticmethod(orgs.is_member)
    is_org_owner = staticmethod(orgs.is_owner)
    org_permission = staticmethod(orgs.permission_of)

    def issue_jwt(self, user: Account, audience: str) -> str:
        return credentials.issue_jwt(self.secret_key, user_id=user.id, username=user.name,
                                     ttl_seconds=self.settings["jwt_ttl_seconds"], audience=audience)
