"""The labels on an issue: ``/repos/{owner}/{repo}/issues/{index}/labels[/{id}]``.

Changing them needs write access to the issue's unit (Gitea's ``CanWriteIssuesOrPulls``);
``POST`` adds, ``PUT`` replaces (both answer the issue's labels, 200), ``DELETE`` clears."""

from __future__ import annotations

import falcon

from plue_core.openapi import operation
from plue_core.validation import load_body

from plue_issues import labels
from plue_issues.resources.common import IssuesApiResource
from plue_issues.schemas.options import IssueLabelsOption
from plue_issues.schemas.shapes import LABEL_SHAPE


class _IssueLabelsApi(IssuesApiResource):
    def _writable_issue(self, req, owner, repo, index):
        access, doer = self.write_access(req, owner, repo)
        issue = self.issues.get_issue(access, index)
        access.require_write(issue.is_pull, f"change the labels of #{issue.number}")
        return access, issue, doer


class IssueLabelsResource(_IssueLabelsApi):
    def _set(self, req, resp, owner, repo, index, *, replace: bool):
        access, issue, doer = self._writable_issue(req, owner, repo, index)
        body = load_body(req, IssueLabelsOption)
        chosen = labels.labels_from_option(access.repository, body["labels"])
        current = labels.set_issue_labels(issue, chosen, replace=replace, ctx=self.ctx, doer=doer)
        resp.media = self.presenter(req, access).labels(current)

    @operation("Get an issue's labels", response=LABEL_SHAPE, many=True, tags=("issue",),
               operation_id="issueGetLabels")
    def on_get(self, req, resp, owner, repo, index):
        access = self.read_access(req, owner, repo)
        issue = self.issues.get_issue(access, index)
        resp.media = self.presenter(req, access).labels(labels.labels_of_issue(issue))

    @operation("Add labels to an issue", request=IssueLabelsOption, response=LABEL_SHAPE,
               many=True, tags=("issue",), operation_id="issueAddLabel")
    def on_post(self, req, resp, owner, repo, index):
        self._set(req, resp, owner, repo, index, replace=False)

    @operation("Replace an issue's labels", request=IssueLabelsOption, response=LABEL_SHAPE,
               many=True, tags=("issue",), operation_id="issueReplaceLabels")
    def on_put(self, req, resp, owner, repo, index):
        self._set(req, resp, owner, repo, index, replace=True)

    @operation("Remove all labels from an issue", status=204, tags=("issue",),
               operation_id="issueClearLabels")
    def on_delete(self, req, resp, owner, repo, index):
        _, issue, doer = self._writable_issue(req, owner, repo, index)
        labels.clear_issue_labels(issue, ctx=self.ctx, doer=doer)
        resp.status = falcon.HTTP_204


class IssueLabelResource(_IssueLabelsApi):
    @operation("Remove a label from an issue", status=204, tags=("issue",),
               operation_id="issueRemoveLabel")
    def on_delete(self, req, resp, owner, repo, index, label_id):
        _, issue, doer = self._writable_issue(req, owner, repo, index)
        label = labels.label_to_remove(label_id)
        labels.remove_issue_label(issue, label, ctx=self.ctx, doer=doer)
        resp.status = falcon.HTTP_204
