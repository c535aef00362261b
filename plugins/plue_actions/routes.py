"""Every route of the actions plugin."""

from __future__ import annotations

from plue_core.routing import Route

from plue_actions.protocol.runner_service import RunnerProtocol
from plue_actions.resources import (
    artifacts, listings, runner_registry, runs, secrets, statuses, workflows,
)
from plue_actions.resources.access import SCOPES, V1

ACTIONS = "/api/actions"
REPO = SCOPES["repo"]


def all_routes(service) -> list[Route]:
    runner_service, ping_service = RunnerProtocol(service).resources(
        service.ctx.config.max_body_size)
    routes = [
        Route(f"{ACTIONS}/runner.v1.RunnerService/{{method}}", runner_service),
        Route(f"{ACTIONS}/ping.v1.PingService/{{method}}", ping_service),
        Route(f"{REPO}/runs", runs.RunsResource(service)),
        Route(f"{REPO}/runs/{{run_id:id}}", runs.RunResource(service)),
        Route(f"{REPO}/runs/{{run_id:id}}/jobs", runs.RunJobsResource(service)),
        Route(f"{REPO}/runs/{{run_id:id}}/rerun", runs.RerunResource(service)),
        Route(f"{REPO}/runs/{{run_id:id}}/rerun-failed-jobs", runs.RerunFailedResource(service)),
        Route(f"{REPO}/runs/{{run_id:id}}/jobs/{{job_id:id}}/rerun", runs.RerunJobResource(service)),
        Route(f"{REPO}/runs/{{run_id:id}}/cancel", runs.CancelResource(service)),
        Route(f"{REPO}/runs/{{run_id:id}}/attempts/{{attempt:id}}", listings.RunAttemptResource(service)),
        Route(f"{REPO}/runs/{{run_id:id}}/attempts/{{attempt:id}}/jobs",
              listings.RunAttemptResource(service), suffix="jobs"),
        Route(f"{REPO}/jobs", runs.RepoJobsResource(service)),
        Route(f"{REPO}/tasks", runs.RepoTasksResource(service)),
        Route(f"{REPO}/jobs/{{job_id:id}}", runs.JobResource(service)),
        Route(f"{REPO}/jobs/{{job_id:id}}/logs", runs.JobLogsResource(service)),
        Route(f"{REPO}/runs/{{run_id:id}}/artifacts", artifacts.RunArtifactsResource(service)),
        Route(f"{REPO}/artifacts", artifacts.ArtifactsResource(service)),
        Route(f"{REPO}/artifacts/{{artifact_id:id}}", artifacts.ArtifactResource(service)),
        Route(f"{REPO}/artifacts/{{artifact_id:id}}/zip", artifacts.ArtifactZipResource(service)),
        Route(f"{ACTIONS}/artifacts/{{run_id:id}}", artifacts.JobArtifactListResource(service)),
        Route(f"{ACTIONS}/artifacts/{{run_id:id}}/{{name}}", artifacts.JobArtifactResource(service)),
    ]
    routes += [
        Route(f"{REPO}/workflows", workflows.WorkflowsResource(service)),
        Route(f"{REPO}/workflows/{{workflow_id}}", workflows.WorkflowResource(service)),
        Route(f"{REPO}/workflows/{{workflow_id}}/runs", workflows.WorkflowRunsResource(service)),
        Route(f"{REPO}/workflows/{{workflow_id}}/enable", workflows.WorkflowSwitchResource(service, True)),
        Route(f"{REPO}/workflows/{{workflow_id}}/disable", workflows.WorkflowSwitchResource(service, False)),
        Route(f"{REPO}/workflows/{{workflow_id}}/dispatches", workflows.DispatchResource(service)),
        Route(f"{V1}/repos/{{owner}}/{{repo}}/commits/{{ref}}/statuses", statuses.CommitStatusesResource(service)),
        Route(f"{V1}/repos/{{owner}}/{{repo}}/commits/{{ref}}/status", statuses.CombinedStatusResource(service)),
        Route(f"{V1}/repos/{{owner}}/{{repo}}/statuses/{{sha}}", statuses.StatusesResource(service),
              suffix=None),
    ]
    for kind, prefix in SCOPES.items():
        if kind != "repo":
            routes += [
                Route(f"{prefix}/runs", listings.ScopedRunsResource(service, kind)),
                Route(f"{prefix}/jobs", listings.ScopedJobsResource(service, kind)),
            ]
        if kind != "admin":
            routes += [
                Route(f"{prefix}/secrets", secrets.SecretsResource(service, kind)),
                Route(f"{prefix}/secrets/public-key", secrets.PublicKeyResource(service, kind)),
                Route(f"{prefix}/secrets/{{secretname}}", secrets.SecretResource(service, kind)),
                Route(f"{prefix}/variables", secrets.VariablesResource(service, kind)),
                Route(f"{prefix}/variables/{{variablename}}", secrets.VariableResource(service, kind)),
            ]
        routes += [
            Route(f"{prefix}/runners", runner_registry.RunnersResource(service, kind)),
            Route(f"{prefix}/runners/registration-token",
                  runner_registry.RegistrationTokenResource(service, kind)),
            Route(f"{prefix}/runners/{{runner_id:id}}", runner_registry.RunnerResource(service, kind)),
        ]
    return routes
