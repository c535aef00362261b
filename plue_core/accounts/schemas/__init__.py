"""Wire shapes of the accounts endpoints: Gitea's names and types for /api/v1, the seeds'
for Runner Pilot and RunnerHub. One module per noun; the common user shape is re-exported
here because other plugins render repository owners with it."""

from plue_core.accounts.schemas.common import Timestamp, avatar_url
from plue_core.accounts.schemas.users import USER_SHAPE

__all__ = ["Timestamp", "USER_SHAPE", "avatar_url"]
