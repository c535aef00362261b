"""Fixtures for the runner's tests: the runner.v1 protocol test double, a Docker engine with
the plue-busybox image, and ``run_job`` to execute one workflow job end to end through the
real client, reporter and backends."""

from __future__ import annotations

import pathlib
import subprocess
import textwrap

import pytest

from plugins.plue_runner.backends.docker import DockerBackend, docker_client
from plugins.plue_runner.backends.host import HostBackend
from plugins.plue_runner.client import RunnerClient
from plugins.plue_runner.config import DockerSettings, RunnerSettings
from plugins.plue_runner.executor.job import JobExecutor
from plugins.plue_runner.labels import parse_labels
from plugins.plue_runner.protocol import Task

from runner_protocol_double import RunnerProtocolDouble

IMAGE = "plue-busybox:latest"
REPO_ROOT = pathlib.Path(__file__).resolve().parents[3]


@pytest.fixture
def protocol_server():
    with RunnerProtocolDouble() as server:
        yield server


def fast_settings(tmp_path: pathlib.Path, **overrides) -> RunnerSettings:
    settings = RunnerSettings(workdir=tmp_path / "work", log_report_interval=0.05,
                              state_report_interval=0.2, report_close_timeout=10.0,
                              fetch_timeout=2.0, fetch_interval=0.1, fetch_interval_max=0.5,
                              docker=DockerSettings(network="host"))
    for key, value in overrides.items():
        setattr(settings, key, value)
    return settings


@pytest.fixture(scope="session")
def docker_engine():
    """The real Docker engine with plue-busybox:latest, set up by tools/docker-test-engine.sh.
    Skips (loudly) only when no engine can be started on this machine."""
    script = REPO_ROOT / "tools" / "docker-test-engine.sh"
    setup = subprocess.run([str(script)], capture_output=True, text=True)
    try:
        client = docker_client(DockerSettings())
        client.images.get(IMAGE)
    except Exception as exc:  # BackendError or ImageNotFound
        pytest.skip(f"DOCKER IS UNAVAILABLE - the docker backend tests did NOT run: {exc}; "
                    f"tools/docker-test-engine.sh said: {setup.stderr.strip()[-300:]}")
    return client


class JobRunner:
    """Runs workflow jobs through the protocol double with a registered runner."""

    def __init__(self, server: RunnerProtocolDouble, tmp_path: pathlib.Path):
        self.server = server
        self.tmp_path = tmp_path
        self.uuid, self.token = server.register_runner()
        self.settings = fast_settings(tmp_path)
        self.client = RunnerClient(server.url, self.uuid, self.token)
        self.labels = parse_labels(f"linux:host,busybox:docker://{IMAGE}")
        self.backends = {"host": HostBackend(self.settings.workdir),
                         "docker": DockerBackend(self.settings.workdir, self.settings.docker,
                                                 self.uuid)}

    def run(self, steps_yaml: str, *, runs_on: str = "linux", job_extra: str = "",
            workflow_extra: str = "", **task_options):
        payload = payload_yaml(steps_yaml, runs_on=runs_on, job_extra=job_extra,
                               workflow_extra=workflow_extra)
        record = self.server.queue_task(payload, **task_options)
        self.server.queue.remove(record.task_json)
        executor = self.executor(record)
        result = executor.run()
        return result, record

    def executor(self, record) -> JobExecutor:
        return JobExecutor(Task.from_json(record.task_json), self.client, self.settings,
                           self.labels, self.backends, "test-runner")


def payload_yaml(steps_yaml: str, *, runs_on: str = "linux", job_extra: str = "",
                 workflow_extra: str = "") -> str:
    """A single-job workflow payload like the server sends."""
    steps = textwrap.indent(textwrap.dedent(steps_yaml).strip("\n"), " " * 6)
    extra = textwrap.indent(textwrap.dedent(job_extra).strip("\n"), " " * 4)
    return (f"name: CI\non: push\n{textwrap.dedent(workflow_extra).strip()}\njobs:\n"
            f"  build:\n    runs-on: {runs_on}\n{extra + chr(10) if extra else ''}"
            f"    steps:\n{steps}\n")


@pytest.fixture
def job_runner(protocol_server, tmp_path):
    return JobRunner(protocol_server, tmp_path)
