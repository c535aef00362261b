"""A workflow file read and validated: the Workflow object and ``parse_workflow``."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from plue_workflows import fields as f
from plue_workflows.errors import Problems
from plue_workflows.graph import needs_problems
from plue_workflows.jobs import JobSpec, parse_job
from plue_workflows.triggers import Trigger, parse_triggers

WORKFLOW_KEYS = ("name", "run-name", "on", "permissions", "env", "defaults", "concurrency", "jobs")
RUN_NAME_CONTEXTS = ("github", "gitea", "inputs", "vars")


@dataclass(frozen=True)
class Workflow:
    file_name: str  # e.g. "ci.yml", the workflow id Gitea uses
    name: str  # the `name:` or, without one, the file name
    triggers: dict[str, Trigger]
    jobs: dict[str, JobSpec]  # in declaration order
    run_name: str | None = None
    env: dict[str, str] = field(default_factory=dict)
    defaults_run: dict[str, str] = field(default_factory=dict)
    concurrency: Any = None
    permissions: Any = None
    raw: dict = field(default_factory=dict)

    def needs_graph(self) -> dict[str, tuple[str, ...]]:
        return {job_id: job.needs for job_id, job in self.jobs.items()}


def parse_workflow(content: str | bytes, file_name: str) -> Workflow:
    """Read a workflow file. Raise WorkflowError listing every problem, each located by a path
    such as ``jobs.build.steps[1].uses`` and prefixed with the file name."""
    # PyYAML arrives with the first workflow read: a server process that parses none (the
    # gunicorn master, an idle worker) does not hold it (docs/serving.md, Memory).
    from plue_workflows.yaml_loader import load_yaml

    problems = Problems(file_name)
    document = load_yaml(content, file_name)
    if not isinstance(document, dict):
        problems.add("", "a workflow must be a YAML mapping with on and jobs")
        problems.raise_if_any()
    f.unknown_keys(document, WORKFLOW_KEYS, "", problems)
    if "on" not in document:
        problems.add("on", "is required (the events that trigger this workflow)")
        triggers: dict[str, Trigger] = {}
    else:
        triggers = parse_triggers(document["on"], problems)
    raw_jobs = document.get("jobs")
    jobs: dict[str, JobSpec] = {}
    if not isinstance(raw_jobs, dict) or not raw_jobs:
        problems.add("jobs", "expected a mapping with at least one job")
    else:
        for job_id, raw_job in raw_jobs.items():
            job = parse_job(job_id, raw_job, problems)
            if job is not None:
                jobs[job_id] = job
        if len(jobs) == len(raw_jobs):
            for location, message in needs_problems({k: j.needs for k, j in jobs.items()}):
                problems.add(location, message)
    name = f.optional_string(document.get("name"), "name", problems)
    run_name = f.optional_string(document.get("run-name"), "run-name", problems)
    if run_name:
        f.check_expressions(run_name, "run-name", problems, RUN_NAME_CONTEXTS)
    env = f.string_map(document.get("env"), "env", problems)
    defaults = f.mapping(document.get("defaults"), "defaults", problems)
    f.unknown_keys(defaults, ("run",), "defaults", problems)
    defaults_run = f.mapping(defaults.get("run"), "defaults.run", problems)
    f.unknown_keys(defaults_run, ("shell", "working-directory"), "defaults.run", problems)
    problems.raise_if_any()
    return Workflow(
        file_name=file_name,
        name=name or file_name,
        triggers=triggers,
        jobs=jobs,
        run_name=run_name,
        env=env,
        defaults_run={key: str(value) for key, value in defaults_run.items()},
        concurrency=document.get("concurrency"),
        permissions=document.get("permissions"),
        raw=document,
    )
