"""Reading a task's ``workflow_payload``: the single-job workflow the server sends (Gitea's
jobparser shape: the workflow's name, on, env and defaults, and one job with its matrix
pinned to one combination)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from plue_workflows import fields as f
from plue_workflows.errors import Problems, WorkflowError
from plue_workflows.jobs import JobSpec, parse_job
from plue_workflows.yaml_loader import load_yaml

PAYLOAD_NAME = "workflow payload"


@dataclass(frozen=True)
class JobDefinition:
    job_id: str
    spec: JobSpec
    workflow_name: str
    workflow_env: dict[str, str] = field(default_factory=dict)
    workflow_defaults_run: dict[str, str] = field(default_factory=dict)
    matrix: dict[str, Any] = field(default_factory=dict)
    strategy: dict[str, Any] = field(default_factory=dict)
    runs_on: list[str] = field(default_factory=list)
    container: Any = None  # `container:` as written (an image or a mapping)
    services: Any = None

    @property
    def display_name(self) -> str:
        return self.spec.name or self.job_id


def parse_payload(payload: bytes | str) -> JobDefinition:
    """Raise WorkflowError (every problem listed) when the payload is not a usable job."""
    problems = Problems(PAYLOAD_NAME)
    document = load_yaml(payload, PAYLOAD_NAME)
    if not isinstance(document, dict):
        problems.add("", "expected a mapping with jobs")
        problems.raise_if_any()
    jobs = document.get("jobs")
    if not isinstance(jobs, dict) or len(jobs) != 1:
        problems.add("jobs", "expected exactly one job")
        problems.raise_if_any()
    (job_id, raw_job), = jobs.items()
    spec = parse_job(job_id, raw_job, problems)
    if spec is not None and spec.uses is not None:
        problems.add(f"jobs.{job_id}.uses", "reusable workflows are expanded by the server, "
                     "not run by a runner")
    env = f.string_map(document.get("env"), "env", problems)
    defaults = f.mapping(document.get("defaults"), "defaults", problems)
    defaults_run = f.mapping(defaults.get("run"), "defaults.run", problems)
    problems.raise_if_any()
    assert spec is not None
    strategy = raw_job.get("strategy") if isinstance(raw_job.get("strategy"), dict) else {}
    return JobDefinition(
        job_id=job_id, spec=spec,
        workflow_name=str(document.get("name") or ""),
        workflow_env=env,
        workflow_defaults_run={k: str(v) for k, v in defaults_run.items()},
        matrix=_pinned_matrix(spec.strategy.matrix),
        strategy={key: value for key, value in strategy.items() if key != "matrix"},
        runs_on=_labels(spec.runs_on),
        container=raw_job.get("container"),
        services=raw_job.get("services"))


def _pinned_matrix(matrix: Any) -> dict[str, Any]:
    if not isinstance(matrix, dict):
        return {}
    pinned = {}
    for key, values in matrix.items():
        if key in ("include", "exclude"):
            continue
        pinned[key] = values[0] if isinstance(values, list) and len(values) == 1 else values
    return pinned


def _labels(runs_on: Any) -> list[str]:
    if isinstance(runs_on, str):
        return [runs_on]
    if isinstance(runs_on, list):
        return [str(label) for label in runs_on]
    if isinstance(runs_on, dict):
        labels = runs_on.get("labels") or []
        return [labels] if isinstance(labels, str) else [str(label) for label in labels]
    return []


__all__ = ["JobDefinition", "WorkflowError", "parse_payload"]
