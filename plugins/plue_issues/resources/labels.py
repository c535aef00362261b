"""Labels: ``/repos/{owner}/{repo}/labels[/{id}]`` and ``/orgs/{org}/labels[/{id}]``.

Repository labels are managed by writers of the repository's issues or pulls; organization
labels by the organization's owners (Gitea's ``reqOrgOwnership``)."""

from __future__ import annotations

import falcon

from plue_core.errors import Forbidden, NotFound
from plue_core.identity import current_identity, require_identity
from plue_core.openapi import operation
from plue_core.validation import load_body

from plue_issues import labels
from plue_issues.resources.common import IssuesApiResource, optional_identity
from plue_issues.schemas.options import CreateLabelOption, EditLabelOption
from plue_issues.schemas.shapes import LABEL_SHAPE


class RepositoryLabelsResource(IssuesApiResource):
    @operation("List a repository's labels", response=LABEL_SHAPE, many=True, tags=("issue",),
               query=("page", "limit", "sort"), operation_id="issueListLabels")
    def on_get(self, req, resp, owner, repo):
        access = self.read_access(req, owner, repo)
        query = labels.labels_of_repository(access.repository, req.get_param("sort") or "")
        resp.media = self.presenter(req, access).labels(self.page(req, resp, query))

    @operation("Create a label", request=CreateLabelOption, response=LABEL_SHAPE, status=201,
               tags=("issue",), operation_id="issueCreateLabel")
    def on_post(self, req, resp, owner, repo):
        access, _ = self.write_access(req, owner, repo)
        access.require_tracker_writer("create labels")
        body = load_body(req, CreateLabelOption)
        label = labels.create_label(repository=access.repository, options=body)
        resp.status = falcon.HTTP_201
        resp.media = self.presenter(req, access).label(label)


class RepositoryLabelResource(IssuesApiResource):
    @operation("Get a label (by id or name)", response=LABEL_SHAPE, tags=("issue",),
               operation_id="issueGetLabel")
    def on_get(self, req, resp, owner, repo, label_id):
        access = self.read_access(req, owner, repo)
        label = labels.find_repository_label(access.repository, label_id)
        resp.media = self.presenter(req, access).label(label)

    @operation("Edit a label", request=EditLabelOption, response=LABEL_SHAPE, tags=("issue",),
               operation_id="issueEditLabel")
    def on_patch(self, req, resp, owner, repo, label_id):
        access, _ = self.write_access(req, owner, repo)
        access.require_tracker_writer("edit labels")
        label = labels.find_repository_label(access.repository, label_id, by_name=False)
        label = labels.edit_label(label, load_body(req, EditLabelOption))
        resp.media = self.presenter(req, access).label(label)

    @operation("Delete a label", status=204, tags=("issue",), operation_id="issueDeleteLabel")
    def on_delete(self, req, resp, owner, repo, label_id):
        access, _ = self.write_access(req, owner, repo)
        access.require_tracker_writer("delete labels")
        labels.delete_label(labels.find_repository_label(access.repository, label_id,
                                                         by_name=False))
        resp.status = falcon.HTTP_204


class OrgLabelsApiResource(IssuesApiResource):
    def visible_org(self, identity, name: str):
        accounts = self.issues.accounts
        org = accounts.find_org(name)
        if org is None or not accounts.can_see_account(identity, org):
            raise NotFound(f"organization {name!r} does not exist")
        return org

    def owned_org(self, req, name: str):
        identity = require_identity(req, scope=("write", "organization"))
        org = self.visible_org(identity, name)
        if not (identity.is_admin or self.issues.accounts.is_org_owner(org, identity.user_id)):
            raise Forbidden(f"you must be an owner of organization {org.name!r} to manage "
                            "its labels")
        return org

    def org_presenter(self, req, org):
        return self.issues.presenter(current_identity(req), org=org)


class OrgLabelsResource(OrgLabelsApiResource):
    @operation("List an organization's labels", response=LABEL_SHAPE, many=True,
               tags=("organization",), query=("page", "limit", "sort"),
               operation_id="orgListLabels")
    def on_get(self, req, resp, org):
        account = self.visible_org(optional_identity(req, "organization"), org)
        query = labels.labels_of_org(account, req.get_param("sort") or "")
        resp.media = self.org_presenter(req, account).labels(self.page(req, resp, query))

    @operation("Create a label for an organization", request=CreateLabelOption,
               response=LABEL_SHAPE, status=201, tags=("organization",),
               operation_id="orgCreateLabel")
    def on_post(self, req, resp, org):
        account = self.owned_org(req, org)
        label = labels.create_label(org=account, options=load_body(req, CreateLabelOption))
        resp.status = falcon.HTTP_201
        resp.media = self.org_presenter(req, account).label(label)


class OrgLabelResource(OrgLabelsApiResource):
    @operation("Get an organization's label", response=LABEL_SHAPE, tags=("organization",),
               operation_id="orgGetLabel")
    def on_get(self, req, resp, org, label_id):
        account = self.visible_org(optional_identity(req, "organization"), org)
        label = labels.find_org_label(account, label_id)
        resp.media = self.org_presenter(req, account).label(label)

    @operation("Edit an organization's label", request=EditLabelOption, response=LABEL_SHAPE,
               tags=("organization",), operation_id="orgEditLabel")
    def on_patch(self, req, resp, org, label_id):
        account = self.owned_org(req, org)
        label = labels.edit_label(labels.find_org_label(account, label_id),
                                  load_body(req, EditLabelOption))
        resp.media = self.org_presenter(req, account).label(label)

    @operation("Delete an organization's label", status=204, tags=("organization",),
               operation_id="orgDeleteLabel")
    def on_delete(self, req, resp, org, label_id):
        account = self.owned_org(req, org)
        labels.delete_label(labels.find_org_label(account, label_id))
        resp.status = falcon.HTTP_204
