"""Workflows: list, get, enable, disable, dispatch."""

from __future__ import annotations

import falcon
from marshmallow import Schema, fields

from plue_core.openapi import operation
from plue_core.validation import load_body
from plue_workflows.errors import WorkflowError
from plue_actions import dispatching, run_queries
from plue_actions.resources.access import ActionsResource
from plue_actions.resources.runs import RunListing
from plue_actions.schemas.shapes import RUNS_SHAPE, WORKFLOW_SHAPE, WORKFLOWS_SHAPE, Shapes
from plue_actions.triggers import disabled_workflows
from plue_actions.workflow_files import parse_workflow

_WORKFLOW = "/api/v1/repos/{}/{}/actions/workflows/{}"  # route key: Gitea names enable, disable apart


class CreateActionWorkflowDispatch(Schema):
    ref = fields.String(required=True)
    inputs = fields.Dict(keys=fields.String(), load_default=dict)


class WorkflowRendering(ActionsResource):
    def render(self, repository, file, disabled: set[str]) -> dict:
        try:
            name = parse_workflow(file.content, file.workflow_id).name
        except WorkflowError:
            name = file.workflow_id
        return Shapes(self.service).workflow(repository, file.workflow_id, name, file.path,
                                             file.workflow_id in disabled)


class WorkflowsResource(WorkflowRendering):
    @operation("List the repository's workflows (default branch)", response=WORKFLOWS_SHAPE,
               tags=["actions"], operation_id="ActionsListRepositoryWorkflows")
    def on_get(self, req, resp, owner, repo):
        repository = self.repository(req, owner, repo)
        files = [] if repository.is_empty else dispatching.files_at(self.service, repository)[0]
        disabled = disabled_workflows(repository.id)
        resp.media = WORKFLOWS_SHAPE((len(files), [self.render(repository, f, disabled)
                                                   for f in files]))


class WorkflowResource(WorkflowRendering):
    @operation("Get a workflow", response=WORKFLOW_SHAPE, tags=["actions"],
               operation_id="ActionsGetWorkflow")
    def on_get(self, req, resp, owner, repo, workflow_id):
        repository = self.repository(req, owner, repo)
        file = dispatching.find_file(dispatching.files_at(self.service, repository)[0], workflow_id)
        resp.media = self.render(repository, file, disabled_workflows(repository.id))


class WorkflowRunsResource(RunListing):
    @operation("List the runs of one workflow file", response=RUNS_SHAPE, tags=["actions"],
               operation_id="ActionsListWorkflowRuns")
    def on_get(self, req, resp, owner, repo, workflow_id):
        repository = self.repository(req, owner, repo, branch_count=True)
        # Gitea: runs prove the workflow was there (its file may be gone since); without
        # any, the file must be on the default branch (404).
        if not run_queries.has_runs_of(repository.id, workflow_id):
            dispatching.find_file(dispatching.files_at(self.service, repository)[0], workflow_id)
        self.list_runs(req, resp, repository, workflow_id)


class WorkflowSwitchResource(ActionsResource):
    def __init__(self, service, enable: bool):
        super().__init__(service)
        self.enable = enable

    @operation("Enable or disable a workflow", tags=["actions"], operation_id={
        f"{_WORKFLOW}/enable": "ActionsEnableWorkflow", f"{_WORKFLOW}/disable": "ActionsDisableWorkflow"})
    def on_put(self, req, resp, owner, repo, workflow_id):
        repository = self.repository(req, owner, repo, "admin")
        file = dispatching.find_file(dispatching.files_at(self.service, repository)[0], workflow_id)
        dispatching.set_enabled(repository, file.workflow_id, self.enable)
        resp.status = falcon.HTTP_204


class DispatchResource(ActionsResource):
    @operation("Start a workflow_dispatch run", tags=["actions"], request=CreateActionWorkflowDispatch,
               operation_id="ActionsDispatchWorkflow")
    def on_post(self, req, resp, owner, repo, workflow_id):
        repository = self.repository(req, owner, repo, "write")
        body = load_body(req, CreateActionWorkflowDispatch)
        user = self.accounts.account_for(req.context.identity)
        run = dispatching.dispatch(self.service, repository, workflow_id, body["ref"],
                                   body["inputs"], user)
        if (req.get_param("return_run_details") or "").lower() == "true":
            api = self.hosting.api_url(repository)
            resp.media = {"workflow_run_id": run.id, "run_url": f"{api}/actions/runs/{run.id}",
                          "html_url": f"{self.hosting.html_url(repository)}/actions/runs/{run.number}"}
        else:
            resp.status = falcon.HTTP_204
