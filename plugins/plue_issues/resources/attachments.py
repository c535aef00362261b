"""Gitea's issue and comment attachment endpoints (``/issues/{index}/assets`` and
``/issues/comments/{id}/assets``): list, upload (the multipart part ``attachment``, named by
the ``name`` query or its file name), get, rename (201, as Gitea), delete. Reads follow the
issue's visibility; writes need the rights of ``plue_issues.attachments``."""

from __future__ import annotations

import falcon

from plue_core.attachments.options import EditAttachmentOptions
from plue_core.attachments.shapes import ATTACHMENT_SHAPE
from plue_core.attachments.uploads import read_upload
from plue_core.openapi import operation
from plue_core.validation import load_body

from plue_issues import attachments, comments
from plue_issues.resources.common import IssuesApiResource

TAGS = ("issue",)


class _Attachments(IssuesApiResource):
    @property
    def store(self):
        store = self.ctx.services["attachments"]
        attachments.require_enabled(store)
        return store

    def _issue(self, req, owner, repo, index, *, write: bool):
        store = self.store
        if write:
            access, doer = self.write_access(req, owner, repo)
        else:
            access, doer = self.read_access(req, owner, repo), None
        issue = self.issues.get_issue(access, index)
        if write:
            attachments.require_issue_writer(access, issue, doer)
        return store, access, issue, doer

    def _comment(self, req, owner, repo, comment_id, *, write: bool):
        store = self.store
        if write:
            access, doer = self.write_access(req, owner, repo)
        else:
            access, doer = self.read_access(req, owner, repo), None
        comment = comments.find_comment(access, comment_id)
        if write:
            attachments.require_comment_writer(access, comment, doer)
        return store, access, comment, doer

    @staticmethod
    def _created(req, resp, store, access, issue, doer, comment=None) -> None:
        name, stream, length = read_upload(req)
        attachment = attachments.upload(store, access, issue, doer, name, stream,
                                        comment=comment, length=length)
        resp.media = store.attachment_json(attachment)
        resp.status = falcon.HTTP_201

    @staticmethod
    def _renamed(req, resp, store, attachment) -> None:
        options = load_body(req, EditAttachmentOptions)
        resp.media = store.attachment_json(attachments.rename(store, attachment,
                                                              options.get("name")))
        resp.status = falcon.HTTP_201


class IssueAttachmentsResource(_Attachments):
    @operation("List issue's attachments", response=ATTACHMENT_SHAPE, many=True, tags=TAGS,
               operation_id="issueListIssueAttachments")
    def on_get(self, req, resp, owner, repo, index):
        store, _access, issue, _ = self._issue(req, owner, repo, index, write=False)
        resp.media = store.attachments_json(store.of_issues([issue.id]).get(issue.id, []))

    @operation("Create an issue attachment", response=ATTACHMENT_SHAPE, status=201, tags=TAGS,
               query=("name",), operation_id="issueCreateIssueAttachment")
    def on_post(self, req, resp, owner, repo, index):
        store, access, issue, doer = self._issue(req, owner, repo, index, write=True)
        self._created(req, resp, store, access, issue, doer)


class IssueAttachmentResource(_Attachments):
    @operation("Get an issue attachment", response=ATTACHMENT_SHAPE, tags=TAGS,
               operation_id="issueGetIssueAttachment")
    def on_get(self, req, resp, owner, repo, index, attachment_id):
        store, access, issue, _ = self._issue(req, owner, repo, index, write=False)
        resp.media = store.attachment_json(attachments.of_issue(store, access, issue,
                                                                attachment_id))

    @operation("Edit an issue attachment", request=EditAttachmentOptions,
               response=ATTACHMENT_SHAPE, status=201, tags=TAGS,
               operation_id="issueEditIssueAttachment")
    def on_patch(self, req, resp, owner, repo, index, attachment_id):
        store, access, issue, _ = self._issue(req, owner, repo, index, write=True)
        self._renamed(req, resp, store, attachments.of_issue(store, access, issue, attachment_id))

    @operation("Delete an issue attachment", status=204, tags=TAGS,
               operation_id="issueDeleteIssueAttachment")
    def on_delete(self, req, resp, owner, repo, index, attachment_id):
        store, access, issue, _ = self._issue(req, owner, repo, index, write=True)
        store.delete([attachments.of_issue(store, access, issue, attachment_id)])
        resp.status = falcon.HTTP_204


class CommentAttachmentsResource(_Attachments):
    @operation("List comment's attachments", response=ATTACHMENT_SHAPE, many=True, tags=TAGS,
               operation_id="issueListIssueCommentAttachments")
    def on_get(self, req, resp, owner, repo, comment_id):
        store, _access, comment, _ = self._comment(req, owner, repo, comment_id, write=False)
        resp.media = store.attachments_json(store.of_comments([comment.id]).get(comment.id, []))

    @operation("Create a comment attachment", response=ATTACHMENT_SHAPE, status=201, tags=TAGS,
               query=("name",), operation_id="issueCreateIssueCommentAttachment")
    def on_post(self, req, resp, owner, repo, comment_id):
        store, access, comment, doer = self._comment(req, owner, repo, comment_id, write=True)
        self._created(req, resp, store, access, comment.issue, doer, comment)


class CommentAttachmentResource(_Attachments):
    @operation("Get a comment attachment", response=ATTACHMENT_SHAPE, tags=TAGS,
               operation_id="issueGetIssueCommentAttachment")
    def on_get(self, req, resp, owner, repo, comment_id, attachment_id):
        store, access, comment, _ = self._comment(req, owner, repo, comment_id, write=False)
        resp.media = store.attachment_json(attachments.of_comment(store, access, comment,
                                                                  attachment_id))

    @operation("Edit a comment attachment", request=EditAttachmentOptions,
               response=ATTACHMENT_SHAPE, status=201, tags=TAGS,
               operation_id="issueEditIssueCommentAttachment")
    def on_patch(self, req, resp, owner, repo, comment_id, attachment_id):
        store, access, comment, _ = self._comment(req, owner, repo, comment_id, write=True)
        self._renamed(req, resp, store,
                      attachments.of_comment(store, access, comment, attachment_id))

    @operation("Delete a comment attachment", status=204, tags=TAGS,
               operation_id="issueDeleteIssueCommentAttachment")
    def on_delete(self, req, resp, owner, repo, comment_id, attachment_id):
        store, access, comment, _ = self._comment(req, owner, repo, comment_id, write=True)
        store.delete([attachments.of_comment(store, access, comment, attachment_id)])
        resp.status = falcon.HTTP_204
