"""Wire shapes of the accounts endpoints: Gitea's names and types for /api/v1, the seeds'
for Runner Pilot and RunnerHub. One module per noun; the common user shape is re-exported
here because other plugins render repository owners with it."""

from plue_core.accounts.schemas.common import ZERO_TIME, Timestamp, avatar_url
from plue_core.accounts.schemas.users import UserSchema

__all__ = ["ZERO_TIME", "Timestamp", "UserSchema", "avatar_url"]
