"""The bytes of a release's file, where a browser fetches them (Gitea's web routes, not the
API): ``/{owner}/{repo}/releases/download/{tag}/{name}`` (an asset's
``browser_download_url``) and ``/attachments/{uuid}``. Each download is counted."""

from __future__ import annotations

from plue_core.content_disposition import content_disposition
from plue_core.errors import NotFound

from plue_releases.resources.common import ReleasesApiResource, optional_identity


class _Download(ReleasesApiResource):
    def send(self, resp, attachment) -> None:
        try:
            file = self.service.files.open(attachment.uuid)
        except FileNotFoundError:
            raise NotFound(f"the file of attachment {attachment.name!r} is missing") from None
        resp.content_type = "application/octet-stream"
        resp.set_header("Content-Disposition", content_disposition("attachment", attachment.name))
        resp.set_stream(file, attachment.size)


class ReleaseDownloadResource(_Download):
    def on_get(self, req, resp, owner, repo, path):
        tag, _, name = path.rpartition("/")
        if not tag or not name:
            raise NotFound(f"no release file at {path!r}")
        access = self.read_access(req, owner, repo)
        self.send(resp, self.service.download_by_name(access, tag, name))


class AttachmentDownloadResource(_Download):
    def on_get(self, req, resp, uuid):
        self.send(resp, self.service.download_by_uuid(optional_identity(req), uuid))
