"""Gitea's ``Attachment`` body, the one releases, issues and comments embed (the kernel's, as
accounts' ``User``). Its view decides ``browser_download_url``: a release's file is fetched
by tag and name, an issue's or comment's at ``/attachments/{uuid}``
(``AttachmentsService.download_url``)."""

from __future__ import annotations

from plue_core.shapes import Shape, integer, string, time
from plue_core.timestamps import rfc3339

ATTACHMENT_SHAPE = Shape("Attachment", [
    integer("id"),
    string("name"),
    integer("size"),
    integer("download_count"),
    time("created_at", lambda a, _: rfc3339(a.created_at)),
    string("uuid"),
    string("browser_download_url", lambda a, view: view.download_url(a)),
])
