"""Gitea's release endpoints: list, create, get (by id, by tag, the latest), edit, delete."""

from __future__ import annotations

import falcon

from plue_core.identity import current_identity
from plue_core.openapi import operation
from plue_core.pagination import Page
from plue_core.validation import load_body

from plue_releases.resources.common import TAGS, ReleasesApiResource
from plue_releases.schemas.options import CreateReleaseOption, EditReleaseOption
from plue_releases.schemas.shapes import RELEASE_SHAPE


class ReleasesResource(ReleasesApiResource):
    @operation("List a repo's releases", response=RELEASE_SHAPE, many=True, tags=TAGS,
               query=("draft", "pre-release", "page", "limit"), operation_id="repoListReleases")
    def on_get(self, req, resp, owner, repo):
        access = self.read_access(req, owner, repo)
        page = Page.from_request(req, self.pagination)
        releases, total = self.service.list_releases(
            access, page, draft=req.get_param_as_bool("draft"),
            prerelease=req.get_param_as_bool("pre-release"))
        page.set_headers(req, resp, total)
        resp.media = self.service.releases_json(access.repository, releases, current_identity(req))

    @operation("Create a release", request=CreateReleaseOption, response=RELEASE_SHAPE,
               status=201, tags=TAGS, operation_id="repoCreateRelease")
    def on_post(self, req, resp, owner, repo):
        access, doer = self.write_access(req, owner, repo)
        release = self.service.create(access, doer, load_body(req, CreateReleaseOption))
        resp.media = self.service.release_json(access.repository, release, current_identity(req))
        resp.status = falcon.HTTP_201


class ReleaseResource(ReleasesApiResource):
    @operation("Get a release", response=RELEASE_SHAPE, tags=TAGS, operation_id="repoGetRelease")
    def on_get(self, req, resp, owner, repo, release_id):
        access = self.read_access(req, owner, repo)
        release = self.service.get(access, release_id)
        resp.media = self.service.release_json(access.repository, release, current_identity(req))

    @operation("Update a release", request=EditReleaseOption, response=RELEASE_SHAPE, tags=TAGS,
               operation_id="repoEditRelease")
    def on_patch(self, req, resp, owner, repo, release_id):
        access, doer = self.write_access(req, owner, repo)
        options = load_body(req, EditReleaseOption)
        release = self.service.edit(access, doer, self.service.get(access, release_id), options)
        resp.media = self.service.release_json(access.repository, release, current_identity(req))

    @operation("Delete a release", status=204, tags=TAGS, operation_id="repoDeleteRelease")
    def on_delete(self, req, resp, owner, repo, release_id):
        access, doer = self.write_access(req, owner, repo)
        self.service.delete(access, doer, self.service.get(access, release_id))
        resp.status = falcon.HTTP_204


class LatestReleaseResource(ReleasesApiResource):
    @operation("Gets the most recent non-prerelease, non-draft release of a repository, "
               "sorted by created_at", response=RELEASE_SHAPE, tags=TAGS,
               operation_id="repoGetLatestRelease")
    def on_get(self, req, resp, owner, repo):
        access = self.read_access(req, owner, repo)
        resp.media = self.service.release_json(access.repository, self.service.latest(access),
                                               current_identity(req))


class ReleaseByTagResource(ReleasesApiResource):
    @operation("Get a release by tag name", response=RELEASE_SHAPE, tags=TAGS,
               operation_id="repoGetReleaseByTag")
    def on_get(self, req, resp, owner, repo, tag):
        access = self.read_access(req, owner, repo)
        resp.media = self.service.release_json(access.repository, self.service.by_tag(access, tag),
                                               current_identity(req))

    @operation("Delete a release by tag name", status=204, tags=TAGS,
               operation_id="repoDeleteReleaseByTag")
    def on_delete(self, req, resp, owner, repo, tag):
        access, doer = self.write_access(req, owner, repo)
        self.service.delete(access, doer, self.service.by_tag(access, tag))
        resp.status = falcon.HTTP_204
