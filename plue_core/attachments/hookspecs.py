"""The hook the attachments plugin adds (through ``add_hookspecs``) for the plugins whose
things have files: who may download one at ``/attachments/{uuid}``."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pluggy

if TYPE_CHECKING:
    from plue_core.attachments.models import Attachment
    from plue_core.context import PlueContext
    from plue_core.identity import Identity

hookspec = pluggy.HookspecMarker("plue")


@hookspec(firstresult=True)
def attachment_readable(ctx: PlueContext, identity: Identity | None,
                        attachment: Attachment) -> bool | None:
    """Return whether ``identity`` (``None``: anonymous) may download ``attachment``.

    Fires for ``GET /attachments/{uuid}``. The plugin owning what the file is attached to
    answers (releases for ``release_id``, issues for ``issue_id``) with ``True`` or ``False``;
    any other returns ``None``. No answer, or ``False``, is 404, as for a missing file.
    """
