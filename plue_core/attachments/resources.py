"""``/attachments/{uuid}``: an attachment's bytes where a browser fetches them (Gitea's web
route, every attachment's ``browser_download_url`` but a release's). Each download is
counted; who may read it is the owning plugin's answer."""

from __future__ import annotations

from plue_core.identity import current_identity, require_identity


class AttachmentDownloadResource:
    def __init__(self, ctx):
        self.ctx = ctx

    def on_get(self, req, resp, uuid):
        identity = current_identity(req)
        if identity is not None:  # a token without the repository scope is 403
            identity = require_identity(req, scope=("read", "repository"))
        service = self.ctx.services["attachments"]
        service.send(resp, service.download(identity, uuid))
