"""Artifacts: the job side (task token, /api/actions/artifacts) and the REST side
(/api/v1/repos/{owner}/{repo}/actions/artifacts)."""

from __future__ import annotations

import falcon

from plue_core.content_disposition import content_disposition
from plue_core.errors import BadRequest, Unauthorized
from plue_core.openapi import operation
from plue_core.integers import is_digits

from plue_actions import artifacts, run_queries
from plue_actions.schemas.shapes import ARTIFACTS_SHAPE, ARTIFACT_SHAPE
from plue_actions.resources.access import ActionsResource
from plue_actions.run_queries import get_artifact, get_run


def _task(req):
    task = getattr(req.context, "actions_task", None)
    if task is None:
        raise Unauthorized("send the task token: Authorization: Bearer <GITHUB_TOKEN>")
    return task


class JobArtifactResource:
    """PUT uploads (the body is the artifact, streamed), GET downloads, by name in a run."""

    max_body_size = None  # streamed; limited by [actions] max_artifact_size

    def __init__(self, service):
        self.service = service

    def on_put(self, req, resp, run_id, name):
        task = _task(req)
        raw_days = req.get_param("retention_days")
        if raw_days is not None and not is_digits(raw_days):
            raise BadRequest("retention_days must be a whole number of days")
        artifact = artifacts.upload(self.service, task, run_id, name, req.bounded_stream,
                                    req.content_length, int(raw_days) if raw_days else None)
        resp.status = falcon.HTTP_201
        resp.media = {"id": artifact.id, "name": artifact.name, "size": artifact.size,
                      "digest": artifact.digest}

    def on_get(self, req, resp, run_id, name):
        task = _task(req)
        run = run_queries.find_run(run_id)
        if run is None or run.repository_id != task.repository_id:
            raise artifacts.NotFound(f"run {run_id} does not exist in this task's repository")
        artifact = artifacts.find(run_id, name)
        resp.content_type = "application/octet-stream"
        resp.set_header("Digest", artifact.digest)
        resp.stream = artifacts.chunks(artifacts.open_file(self.service, artifact))
        resp.content_length = artifact.size


class JobArtifactListResource:
    def __init__(self, service):
        self.service = service

    def on_get(self, req, resp, run_id):
        task = _task(req)
        rows = run_queries.confirmed_artifacts(run_id, task.repository_id)
        resp.media = {"artifacts": [{"id": a.id, "name": a.name, "size": a.size, "digest": a.digest}
                                    for a in rows]}


class ArtifactsResource(ActionsResource):
    def render(self, req, resp, repository, **where):
        rows = run_queries.artifacts(name=req.get_param("name"), **where)
        runs = run_queries.runs_by_id(a.run_id for a in rows)
        shapes = self.shapes(req)
        resp.media = ARTIFACTS_SHAPE((len(rows), [shapes.artifact(a, runs[a.run_id], repository)
                                                  for a in rows]))

    @operation("List a repository's artifacts", response=ARTIFACTS_SHAPE, tags=["actions"],
               operation_id="getArtifacts")
    def on_get(self, req, resp, owner, repo):
        repository = self.repository(req, owner, repo)
        self.render(req, resp, repository, repository_id=repository.id)


class RunArtifactsResource(ArtifactsResource):
    @operation("List the artifacts of a workflow run", response=ARTIFACTS_SHAPE, tags=["actions"],
               operation_id="getArtifactsOfRun")
    def on_get(self, req, resp, owner, repo, run_id):
        repository = self.repository(req, owner, repo)
        run = get_run(repository, run_id)
        self.render(req, resp, repository, run_id=run.id)


class ArtifactResource(ActionsResource):
    @operation("Get an artifact", response=ARTIFACT_SHAPE, tags=["actions"], operation_id="getArtifact")
    def on_get(self, req, resp, owner, repo, artifact_id):
        repository = self.repository(req, owner, repo)
        artifact = get_artifact(repository, artifact_id)
        resp.media = self.shapes(req).artifact(artifact, artifact.run, repository)

    @operation("Delete an artifact", tags=["actions"], operation_id="deleteArtifact")
    def on_delete(self, req, resp, owner, repo, artifact_id):
        repository = self.repository(req, owner, repo, "write")
        artifacts.delete(self.service, get_artifact(repository, artifact_id))
        resp.status = falcon.HTTP_204


class ArtifactZipResource(ActionsResource):
    @operation("Download an artifact as a zip archive", tags=["actions"],
               operation_id="downloadArtifact")
    def on_get(self, req, resp, owner, repo, artifact_id):
        repository = self.repository(req, owner, repo)
        artifact = get_artifact(repository, artifact_id)
        stream, size = artifacts.as_zip(self.service, artifact)
        resp.content_type = "application/zip"
        resp.set_header("Content-Disposition", content_disposition("attachment", f"{artifact.name}.zip"))
        resp.stream, resp.content_length = artifacts.chunks(stream), size
