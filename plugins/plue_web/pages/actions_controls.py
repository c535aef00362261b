"""What a person with write access does to a repository's Actions, at Gitea's addresses: re-run
a finished run (``POST /actions/runs/{n}/rerun``), only its failed jobs (``…/rerun-failed``) or
one job (``…/jobs/{id}/rerun``),
cancel a running one (``…/cancel``), download an artifact (``GET …/artifacts/{name}``) and
start a ``workflow_dispatch`` run from a form with the workflow's inputs (``/actions/run``:
GET shows the form, POST runs it). Every change goes through ``ctx.services["actions"]`` (the
REST endpoints' rules: locks, statuses, input checks) after git_hosting's one access check
(write; 404 to those who may not read, 403 to readers); forms post with their CSRF token."""

from __future__ import annotations

import falcon

from plue_core.content_disposition import content_disposition
from plue_core.errors import Invalid, NotFound
from plue_core.identity import current_identity

from plue_web.pages.actions import ActionsPage


class ControlPage(ActionsPage):
    def writable(self, req, owner, repo):
        """The repository when the signed-in viewer may write to it (not archived)."""
        identity = self.require_signed_in(req)
        access = self.hosting.require_repository(identity, owner, repo, "write", writes=True,
                                                 to="run, re-run or cancel workflows")
        if not access.repository.has_actions:
            raise NotFound(f"repository {access.repository.full_name} has Actions disabled")
        return access.repository

    def back_to(self, repository, run) -> falcon.HTTPSeeOther:
        return falcon.HTTPSeeOther(f"/{repository.owner.name}/{repository.name}/actions/runs/"
                                   f"{run.number}")


class RerunPage(ControlPage):
    """``POST …/runs/{n}/rerun``: every job again, as a new attempt."""

    failed_only = False

    def on_post(self, req, resp, owner, repo, number):
        repository = self.writable(req, owner, repo)
        run = self.run(repository, number)
        self.actions.rerun_run(repository, run, current_identity(req),
                               failed_only=self.failed_only)
        raise self.back_to(repository, run)


class RerunFailedPage(RerunPage):
    """``POST …/runs/{n}/rerun-failed``: the failed and cancelled jobs and those needing them."""

    failed_only = True


class JobRerunPage(ControlPage):
    """``POST …/runs/{n}/jobs/{id}/rerun``: that job and the jobs that need it, as Gitea's."""

    def on_post(self, req, resp, owner, repo, number, job_id):
        repository = self.writable(req, owner, repo)
        run = self.run(repository, number)
        Job = self.actions.models.Job
        job = Job.get_or_none((Job.id == job_id) & (Job.run == run.id))
        if job is None:
            raise NotFound(f"job {job_id} does not exist in run {number}")
        self.actions.rerun_run(repository, run, current_identity(req), job=job)
        raise self.back_to(repository, run)


class CancelPage(ControlPage):
    def on_post(self, req, resp, owner, repo, number):
        repository = self.writable(req, owner, repo)
        run = self.run(repository, number)
        self.actions.cancel_run(run)
        raise self.back_to(repository, run)


class ArtifactPage(ActionsPage):
    """``GET …/runs/{n}/artifacts/{name}``: the artifact as a zip archive (read access, as
    the REST download)."""

    def on_get(self, req, resp, owner, repo, number, name):
        repository = self.repository(req, owner, repo)
        run = self.run(repository, number)
        stream, size = self.actions.artifact_zip(run, name)
        resp.content_type = "application/zip"
        resp.set_header("Content-Disposition", content_disposition("attachment", f"{name}.zip"))
        resp.stream, resp.content_length = stream, size


def input_field(name: str) -> str:
    """The form field of a dispatch input (apart from ``ref`` and ``_csrf``, whatever the
    input is called)."""
    return f"inputs[{name}]"


def form_inputs(declared: dict, fields: dict) -> dict:
    """The inputs of a posted dispatch form: a checkbox sends ``on`` when ticked and nothing
    otherwise (false, as Gitea's form reads it); the rest as typed, the service checks them."""
    values = {}
    for name, spec in declared.items():
        raw = fields.get(input_field(name))
        if spec.type == "boolean":
            values[name] = "true" if raw in ("on", "true") else "false"
        elif raw is not None:
            values[name] = raw
    return values


class DispatchPage(ControlPage):
    """``/actions/run?workflow=ci.yml&ref=main``: the dispatch form of a workflow (its inputs
    as at ``ref``, the default branch when absent), or the choice of workflow without one."""

    def on_get(self, req, resp, owner, repo):
        repository = self.writable(req, owner, repo)
        workflow_id = (req.get_param("workflow") or "").strip()
        ref = (req.get_param("ref") or "").strip() or repository.default_branch
        self.show(req, resp, repository, workflow_id, ref, {}, None)

    def on_post(self, req, resp, owner, repo):
        repository = self.writable(req, owner, repo)
        fields = self.form(req)
        workflow_id = (req.get_param("workflow") or fields.get("workflow") or "").strip()
        ref = (fields.get("ref") or "").strip()
        if not workflow_id:
            raise Invalid("workflow: choose the workflow to run")
        _, declared = self.actions.dispatch_inputs(repository, workflow_id, ref or None)
        values = form_inputs(declared, fields)
        user = self.accounts.account_for(current_identity(req))
        try:
            run = self.actions.dispatch(repository, workflow_id, ref, values, user)
        except Invalid as problem:  # the form again, with what was typed and what is wrong
            self.show(req, resp, repository, workflow_id, ref, values, str(problem),
                      status=falcon.HTTP_422)
            return
        raise self.back_to(repository, run)

    def show(self, req, resp, repository, workflow_id, ref, values, problem, *,
             status=falcon.HTTP_200):
        # Read from git once for the list and the inputs (None: empty, the service says so).
        files = None if repository.is_empty else \
            self.actions.workflow_files_at(repository, ref)[0]
        declared = self.actions.dispatch_inputs(repository, workflow_id, ref, files=files)[1] \
            if workflow_id else None
        fields = [{"name": name, "field": input_field(name), "spec": spec,
                   "value": values.get(name, spec.default)}
                  for name, spec in (declared or {}).items()]
        self.face.page(req, resp, "actions/dispatch.html", status=status,
                       workflows=[file.workflow_id for file in files or []],
                       workflow_id=workflow_id, ref=ref, fields=fields, problem=problem, **self.common(req, repository))
