"""The contexts a job's expressions see (github, secrets, vars, needs, matrix, strategy,
runner, inputs, job, steps, env) and the default environment variables of its steps."""

from __future__ import annotations

import json
import platform
from dataclasses import dataclass, field

from plue_workflows.expressions import EvaluationContext
from plue_runner_agent.backends.base import JobEnvironment
from plue_runner_agent.client import runner_version
from plue_runner_agent.executor.payload import JobDefinition
from plue_runner_agent.protocol import Task

_ARCH = {"x86_64": "X64", "amd64": "X64", "aarch64": "ARM64", "arm64": "ARM64",
         "armv7l": "ARM", "i686": "X86", "i386": "X86"}


def task_token(task: Task) -> str:
    """The task's token: the context's ``token``, else the GITEA_TOKEN/GITHUB_TOKEN secret."""
    return (str(task.context.get("token") or "") or task.secrets.get("GITEA_TOKEN", "")
            or task.secrets.get("GITHUB_TOKEN", ""))


def runtime_token(task: Task) -> str:
    return str(task.context.get("gitea_runtime_token") or "") or task_token(task)


@dataclass
class JobContexts:
    github: dict
    secrets: dict
    vars: dict
    needs: dict
    matrix: dict
    strategy: dict
    inputs: dict
    runner: dict = field(default_factory=dict)
    job: dict = field(default_factory=lambda: {"status": "success"})
    steps: dict = field(default_factory=dict)

    @classmethod
    def for_task(cls, task: Task, job: JobDefinition) -> "JobContexts":
        github = dict(task.context)
        github.setdefault("job", job.job_id)
        github["token"] = task_token(task)
        secrets = dict(task.secrets)
        if github["token"]:  # Gitea hands the task token to jobs as these two secrets
            secrets.setdefault("GITHUB_TOKEN", github["token"])
            secrets.setdefault("GITEA_TOKEN", github["token"])
        event = github.get("event") if isinstance(github.get("event"), dict) else {}
        inputs = event.get("inputs") if isinstance(event.get("inputs"), dict) else {}
        needs = {job_id: {"outputs": dict(need.outputs), "result": need.result.label}
                 for job_id, need in task.needs.items()}
        strategy = {"fail-fast": job.strategy.get("fail-fast", True),
                    "max-parallel": job.strategy.get("max-parallel"),
                    "job-index": 0, "job-total": 1}
        return cls(github=github, secrets=secrets, vars=dict(task.vars), needs=needs,
                   matrix=dict(job.matrix), strategy=strategy, inputs=dict(inputs))

    def attach(self, environment: JobEnvironment, runner_name: str, event_path: str,
               debug: bool) -> None:
        """Fill what depends on where the job runs."""
        self.github.update(workspace=environment.workspace, event_path=event_path)
        self.runner = {"name": runner_name, "os": "Linux",
                       "arch": _ARCH.get(platform.machine().lower(), platform.machine()),
                       "temp": environment.temp, "tool_cache": environment.tool_cache,
                       "debug": "1" if debug else "", "environment": "self-hosted"}

    def evaluation(self, env: dict[str, str], status: str, cancelled: bool,
                   workspace: str | None) -> EvaluationContext:
        return EvaluationContext(
            contexts={"github": self.github, "secrets": self.secrets, "vars": self.vars,
                      "needs": self.needs, "matrix": self.matrix, "strategy": self.strategy,
                      "inputs": self.inputs, "runner": self.runner,
                      "job": {**self.job, "status": status}, "steps": self.steps,
                      "env": dict(env)},
            status=status, cancelled=cancelled, workspace=workspace)


def default_env(contexts: JobContexts, job: JobDefinition, environment: JobEnvironment,
                server_address: str, runtime: str) -> dict[str, str]:
    """GitHub's and Gitea's default variables, the same for every step of the job."""
    github = contexts.github

    def text(key: str) -> str:
        value = github.get(key)
        if value is None:
            return ""
        return json.dumps(value) if isinstance(value, bool) else str(value)

    address = server_address.rstrip("/")
    env = {
        "CI": "true", "GITHUB_ACTIONS": "true", "GITEA_ACTIONS": "true",
        "GITEA_ACTIONS_RUNNER_VERSION": runner_version(),
        "GITHUB_ACTOR": text("actor"), "GITHUB_ACTOR_ID": text("actor_id"),
        "GITHUB_API_URL": text("api_url"), "GITHUB_GRAPHQL_URL": text("graphql_url"),
        "GITHUB_SERVER_URL": text("server_url") or address,
        "GITHUB_BASE_REF": text("base_ref"), "GITHUB_HEAD_REF": text("head_ref"),
        "GITHUB_EVENT_NAME": text("event_name"), "GITHUB_EVENT_PATH": text("event_path"),
        "GITHUB_JOB": job.job_id, "GITHUB_REF": text("ref"), "GITHUB_REF_NAME": text("ref_name"),
        "GITHUB_REF_TYPE": text("ref_type"), "GITHUB_REF_PROTECTED": text("ref_protected"),
        "GITHUB_REPOSITORY": text("repository"), "GITHUB_REPOSITORY_ID": text("repository_id"),
        "GITHUB_REPOSITORY_OWNER": text("repository_owner"),
        "GITHUB_REPOSITORY_OWNER_ID": text("repository_owner_id"),
        "GITHUB_RETENTION_DAYS": text("retention_days"),
        "GITHUB_RUN_ID": text("run_id"), "GITHUB_RUN_NUMBER": text("run_number"),
        "GITHUB_RUN_ATTEMPT": text("run_attempt"), "GITHUB_SHA": text("sha"),
        "GITHUB_TRIGGERING_ACTOR": text("triggering_actor"),
        "GITHUB_WORKFLOW": text("workflow") or job.workflow_name,
        "GITHUB_WORKFLOW_REF": text("workflow_ref"),
        "GITHUB_WORKSPACE": environment.workspace,
        "RUNNER_ARCH": contexts.runner.get("arch", ""), "RUNNER_NAME": contexts.runner.get("name", ""),
        "RUNNER_OS": "Linux", "RUNNER_TEMP": environment.temp,
        "RUNNER_TOOL_CACHE": environment.tool_cache, "RUNNER_ENVIRONMENT": "self-hosted",
        "ACTIONS_RUNTIME_URL": f"{address}/api/actions_pipeline/",
        "ACTIONS_RESULTS_URL": address, "ACTIONS_RUNTIME_TOKEN": runtime,
    }
    if github.get("run_id"):
        env["GITEA_RUN_ID"] = text("run_id")
    return env
