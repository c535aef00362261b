"""Gitea's release asset endpoints: list, upload (a multipart ``attachment``, or the raw body
with ``name``), get, rename, delete."""

from __future__ import annotations

import falcon

from plue_core.attachments.options import EditAttachmentOptions
from plue_core.attachments.shapes import ATTACHMENT_SHAPE
from plue_core.attachments.uploads import read_upload
from plue_core.identity import current_identity
from plue_core.openapi import operation
from plue_core.validation import load_body

from plue_releases.resources.common import TAGS, ReleasesApiResource


class AttachmentsResource(ReleasesApiResource):
    @operation("List release's attachments", response=ATTACHMENT_SHAPE, many=True, tags=TAGS,
               operation_id="repoListReleaseAttachments")
    def on_get(self, req, resp, owner, repo, release_id):
        access = self.read_access(req, owner, repo)
        release = self.service.get(access, release_id)
        resp.media = self.service.attachments_json(access, current_identity(req),
                                                   self.service.attachments(release))

    @operation("Create a release attachment", response=ATTACHMENT_SHAPE, status=201, tags=TAGS,
               query=("name",), operation_id="repoCreateReleaseAttachment")
    def on_post(self, req, resp, owner, repo, release_id):
        access, doer = self.write_access(req, owner, repo)
        release = self.service.get(access, release_id)
        name, stream, length = read_upload(req, raw=True)
        attachment = self.service.upload(release, doer, name, stream, length)
        resp.media = self.service.attachment_json(access, current_identity(req), attachment)
        resp.status = falcon.HTTP_201


class AttachmentResource(ReleasesApiResource):
    @operation("Get a release attachment", response=ATTACHMENT_SHAPE, tags=TAGS,
               operation_id="repoGetReleaseAttachment")
    def on_get(self, req, resp, owner, repo, release_id, attachment_id):
        access = self.read_access(req, owner, repo)
        attachment = self.service.attachment(self.service.get(access, release_id), attachment_id)
        resp.media = self.service.attachment_json(access, current_identity(req), attachment)

    @operation("Edit a release attachment", request=EditAttachmentOptions,
               response=ATTACHMENT_SHAPE, status=201, tags=TAGS,
               operation_id="repoEditReleaseAttachment")
    def on_patch(self, req, resp, owner, repo, release_id, attachment_id):
        access, _doer = self.write_access(req, owner, repo)
        options = load_body(req, EditAttachmentOptions)
        attachment = self.service.attachment(self.service.get(access, release_id), attachment_id)
        attachment = self.service.rename(attachment, options.get("name"))
        resp.media = self.service.attachment_json(access, current_identity(req), attachment)
        resp.status = falcon.HTTP_201

    @operation("Delete a release attachment", status=204, tags=TAGS,
               operation_id="repoDeleteReleaseAttachment")
    def on_delete(self, req, resp, owner, repo, release_id, attachment_id):
        access, _doer = self.write_access(req, owner, repo)
        attachment = self.service.attachment(self.service.get(access, release_id), attachment_id)
        self.service.delete_attachment(attachment)
        resp.status = falcon.HTTP_204
