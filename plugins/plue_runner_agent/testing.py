"""Test helpers for the runner agent, shipped with it like ``plue_core.testing``: settings
that report and poll fast, and the single-job workflow payload the server would send."""

from __future__ import annotations

import pathlib
import textwrap

from plue_runner_agent.config import DockerSettings, RunnerSettings


def fast_settings(tmp_path: pathlib.Path, **overrides) -> RunnerSettings:
    """Runner settings with short report and fetch intervals, working under ``tmp_path``."""
    settings = RunnerSettings(workdir=tmp_path / "work", log_report_interval=0.05,
                              state_report_interval=0.2, report_close_timeout=10.0,
                              fetch_timeout=2.0, fetch_interval=0.1, fetch_interval_max=0.5,
                              docker=DockerSettings(network="host"))
    for key, value in overrides.items():
        setattr(settings, key, value)
    return settings


def payload_yaml(steps_yaml: str, *, runs_on: str = "linux", job_extra: str = "",
                 workflow_extra: str = "") -> str:
    """A single-job workflow payload like the server sends."""
    steps = textwrap.indent(textwrap.dedent(steps_yaml).strip("\n"), " " * 6)
    extra = textwrap.indent(textwrap.dedent(job_extra).strip("\n"), " " * 4)
    return (f"name: CI\non: push\n{textwrap.dedent(workflow_extra).strip()}\njobs:\n"
            f"  build:\n    runs-on: {runs_on}\n{extra + chr(10) if extra else ''}"
            f"    steps:\n{steps}\n")
