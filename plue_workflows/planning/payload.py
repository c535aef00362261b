"""The single-job workflow a runner receives for one planned job (Gitea's jobparser output).

It keeps the workflow's name, ``on``, ``env`` and ``defaults`` and one job whose matrix is
pinned to this row's combination, with the evaluated name and labels. ``needs`` and ``if``
are removed: the server has already decided that the job runs, and needs outputs travel in
the task itself.
"""

from __future__ import annotations

from typing import Any

from plue_workflows.document import Workflow
from plue_workflows.jobs import JobSpec


def job_payload(workflow: Workflow, spec: JobSpec, name: str, runs_on: tuple[str, ...],
                matrix: dict[str, Any]) -> str:
    """YAML text of the single-job workflow for one matrix combination of ``spec``."""
    job = {key: value for key, value in spec.raw.items() if key not in ("needs", "if")}
    job["name"] = name
    if spec.uses is None:
        job["runs-on"] = list(runs_on) if len(runs_on) != 1 else runs_on[0]
    strategy = dict(spec.raw.get("strategy") or {})
    if matrix:
        strategy["matrix"] = {key: [value] for key, value in matrix.items()}
        job["strategy"] = strategy
    else:
        job.pop("strategy", None)
    document: dict[str, Any] = {"name": workflow.name, "on": workflow.raw.get("on")}
    for key in ("env", "defaults", "permissions"):
        if workflow.raw.get(key) is not None:
            document[key] = workflow.raw[key]
    document["jobs"] = {spec.job_id: job}
    return dump(document)


def dump(document: dict[str, Any]) -> str:
    """libyaml's emitter when PyYAML has it: the same text, a quarter of the time (a run's jobs
    are dumped while its push is recorded). PyYAML is imported here, as ``parse_workflow``
    imports it, with a process's first use (docs/serving.md, Memory)."""
    import yaml

    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    return yaml.dump(document, Dumper=dumper, sort_keys=False, allow_unicode=True, width=1000)
