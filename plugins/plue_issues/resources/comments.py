"""Issue comments: per issue, repository-wide, and one comment by id."""

from __future__ import annotations

import falcon

from plue_core.openapi import operation
from plue_core.validation import load_body

from plue_issues import comments
from plue_issues.resources.common import IssuesApiResource
from plue_issues.schemas.options import CreateIssueCommentOption, EditIssueCommentOption
from plue_issues.schemas.shapes import COMMENT_SHAPE
from plue_issues.schemas.times import parse_query_time


class IssueCommentsResource(IssuesApiResource):
    @operation("List the comments of an issue", response=COMMENT_SHAPE, many=True,
               tags=("issue",), query=("since", "before"), operation_id="issueGetComments")
    def on_get(self, req, resp, owner, repo, index):
        since, before = parse_query_time(req, "since"), parse_query_time(req, "before")
        access = self.read_access(req, owner, repo)
        issue = self.issues.get_issue(access, index)
        # Gitea returns every comment of an issue at once, with the count in a header.
        rows = list(comments.comments_of_issue(issue, since=since, before=before))
        for row in rows:
            row.issue = issue
        resp.set_header("X-Total-Count", str(len(rows)))
        resp.append_header("Access-Control-Expose-Headers", "X-Total-Count")
        resp.media = self.presenter(req, access).comments(rows)

    @operation("Comment on an issue", request=CreateIssueCommentOption, response=COMMENT_SHAPE,
               status=201, tags=("issue",), operation_id="issueCreateComment")
    def on_post(self, req, resp, owner, repo, index):
        access, doer = self.write_access(req, owner, repo)
        issue = self.issues.get_issue(access, index)
        body = load_body(req, CreateIssueCommentOption)
        comment = self.issues.create_comment(access, issue, doer, body["body"])
        resp.status = falcon.HTTP_201
        resp.media = self.presenter(req, access).comment(comment)


class RepositoryCommentsResource(IssuesApiResource):
    @operation("List every comment of a repository", response=COMMENT_SHAPE, many=True,
               tags=("issue",), query=("since", "before", "page", "limit"),
               operation_id="issueGetRepoComments")
    def on_get(self, req, resp, owner, repo):
        since, before = parse_query_time(req, "since"), parse_query_time(req, "before")
        access = self.read_access(req, owner, repo)
        query = comments.comments_of_repository(access, since=since, before=before)
        resp.media = self.presenter(req, access).comments(self.page(req, resp, query))


class CommentResource(IssuesApiResource):
    """``/issues/comments/{id}``; also the deprecated ``/issues/{index}/comments/{id}``
    (suffix ``deprecated``), whose index Gitea ignores."""

    @operation("Get a comment", response=COMMENT_SHAPE, tags=("issue",),
               operation_id="issueGetComment")
    def on_get(self, req, resp, owner, repo, comment_id):
        access = self.read_access(req, owner, repo)
        comment = comments.find_comment(access, comment_id)
        if comment.kind != comments.PLAIN:
            resp.status = falcon.HTTP_204  # Gitea: not a plain comment
            return
        resp.media = self.presenter(req, access).comment(comment)

    @operation("Edit a comment", request=EditIssueCommentOption, response=COMMENT_SHAPE,
               tags=("issue",), operation_id="issueEditComment")
    def on_patch(self, req, resp, owner, repo, comment_id):
        access, doer = self.write_access(req, owner, repo)
        comment = comments.find_comment(access, comment_id)
        body = load_body(req, EditIssueCommentOption)
        comments.require_editor(access, comment, doer, "edit")
        if comment.kind != comments.PLAIN:
            resp.status = falcon.HTTP_204  # Gitea leaves other kinds alone
            return
        comment = comments.edit_comment(self.ctx, access, comment, body["body"], doer)
        resp.media = self.presenter(req, access).comment(comment)

    @operation("Delete a comment", status=204, tags=("issue",), operation_id="issueDeleteComment")
    def on_delete(self, req, resp, owner, repo, comment_id):
        access, doer = self.write_access(req, owner, repo)
        comment = comments.find_comment(access, comment_id)
        comments.require_editor(access, comment, doer, "delete")
        if comment.kind == comments.PLAIN:  # Gitea leaves other kinds alone, still 204
            comments.delete_comment(self.ctx, access, comment, doer)
        resp.status = falcon.HTTP_204

    def on_patch_deprecated(self, req, resp, owner, repo, index, comment_id):
        self.on_patch(req, resp, owner, repo, comment_id)

    def on_delete_deprecated(self, req, resp, owner, repo, index, comment_id):
        self.on_delete(req, resp, owner, repo, comment_id)
