"""What every accounts resource shares: the service, the viewer, the user serializer."""

from __future__ import annotations

from plue_core.accounts.schemas import UserSchema
from plue_core.identity import current_identity


class AccountsResource:
    def __init__(self, ctx):
        self.ctx = ctx
        self.accounts = ctx.services["accounts"]
        self.base_url = ctx.config.base_url

    def user_schema(self, req, *, many: bool = False) -> UserSchema:
        return UserSchema(base_url=self.base_url, viewer=current_identity(req), many=many)
