"""Wire shapes of the accounts endpoints: Gitea's names and types for /api/v1, the seeds'
for Runner Pilot and RunnerHub (response shapes are ``plue_core.shapes.Shape``, request
options marshmallow schemas). One module per noun; the user shape is re-exported here because
other plugins render users and repository owners with it."""

from plue_core.accounts.schemas.common import avatar_url, gitea_time
from plue_core.accounts.schemas.users import USER_SHAPE, UserView

__all__ = ["USER_SHAPE", "UserView", "avatar_url", "gitea_time"]
