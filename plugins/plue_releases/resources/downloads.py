"""The bytes of a release's file by tag and name, where a browser fetches them (Gitea's web
route, not the API): ``/{owner}/{repo}/releases/download/{tag}/{name}``, an asset's
``browser_download_url``. Each download is counted. (``/attachments/{uuid}`` is the
attachment store's, which asks this plugin through ``attachment_readable``.)"""

from __future__ import annotations

from plue_core.errors import NotFound

from plue_releases.resources.common import ReleasesApiResource


class ReleaseDownloadResource(ReleasesApiResource):
    def on_get(self, req, resp, owner, repo, path):
        tag, _, name = path.rpartition("/")
        if not tag or not name:
            raise NotFound(f"no release file at {path!r}")
        access = self.read_access(req, owner, repo)
        self.service.store.send(resp, self.service.download_by_name(access, tag, name))
