"""Milestones: ``/repos/{owner}/{repo}/milestones[/{id}]`` (``{id}`` may be the title, as in
Gitea). Readers list them; writers of the issues or pulls manage them."""

from __future__ import annotations

import falcon

from plue_core.list_query import list_state
from plue_core.openapi import operation
from plue_core.validation import load_body

from plue_issues import milestones
from plue_issues.resources.common import IssuesApiResource
from plue_issues.schemas.options import CreateMilestoneOption, EditMilestoneOption
from plue_issues.schemas.shapes import MILESTONE_SHAPE


class MilestonesResource(IssuesApiResource):
    @operation("List a repository's milestones", response=MILESTONE_SHAPE, many=True,
               tags=("issue",), query=("state", "name", "page", "limit"),
               operation_id="issueGetMilestonesList")
    def on_get(self, req, resp, owner, repo):
        access = self.read_access(req, owner, repo)
        query = milestones.milestones_of(access.repository, state=list_state(req, otherwise="open"),
                                         name=(req.get_param("name") or "").strip())
        resp.media = self.presenter(req, access).milestones(self.page(req, resp, query))

    @operation("Create a milestone", request=CreateMilestoneOption, response=MILESTONE_SHAPE,
               status=201, tags=("issue",), operation_id="issueCreateMilestone")
    def on_post(self, req, resp, owner, repo):
        access, _ = self.write_access(req, owner, repo)
        access.require_tracker_writer("create milestones")
        milestone = milestones.create_milestone(access.repository,
                                                load_body(req, CreateMilestoneOption))
        resp.status = falcon.HTTP_201
        resp.media = self.presenter(req, access).milestone(milestone)


class MilestoneResource(IssuesApiResource):
    @operation("Get a milestone", response=MILESTONE_SHAPE, tags=("issue",),
               operation_id="issueGetMilestone")
    def on_get(self, req, resp, owner, repo, milestone_id):
        access = self.read_access(req, owner, repo)
        milestone = milestones.find_milestone(access.repository, milestone_id)
        resp.media = self.presenter(req, access).milestone(milestone)

    @operation("Edit a milestone", request=EditMilestoneOption, response=MILESTONE_SHAPE,
               tags=("issue",), operation_id="issueEditMilestone")
    def on_patch(self, req, resp, owner, repo, milestone_id):
        access, _ = self.write_access(req, owner, repo)
        access.require_tracker_writer("edit milestones")
        milestone = milestones.find_milestone(access.repository, milestone_id)
        milestone = milestones.edit_milestone(milestone, load_body(req, EditMilestoneOption))
        resp.media = self.presenter(req, access).milestone(milestone)

    @operation("Delete a milestone", status=204, tags=("issue",),
               operation_id="issueDeleteMilestone")
    def on_delete(self, req, resp, owner, repo, milestone_id):
        access, _ = self.write_access(req, owner, repo)
        access.require_tracker_writer("delete milestones")
        milestones.delete_milestone(milestones.find_milestone(access.repository, milestone_id))
        resp.status = falcon.HTTP_204
