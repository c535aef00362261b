"""Fixtures for the runner's tests: the runner.v1 protocol test double and ``job_runner`` to
execute one workflow job end to end through the real client, reporter and backends (the Docker
engine is plue_core.testing's ``docker_engine``; the runner's helpers are in its testing.py)."""

from __future__ import annotations

import pathlib

import pytest

from plue_core.testing import BUSYBOX_IMAGE
from plue_runner_agent.backends.docker import DockerBackend
from plue_runner_agent.backends.host import HostBackend
from plue_runner_agent.client import RunnerClient
from plue_runner_agent.executor.job import JobExecutor
from plue_runner_agent.labels import parse_labels
from plue_runner_agent.protocol import Task
from plue_runner_agent.testing import fast_settings, payload_yaml

from runner_protocol_double import RunnerProtocolDouble


@pytest.fixture
def protocol_server():
    with RunnerProtocolDouble() as server:
        yield server


class JobRunner:
    """Runs workflow jobs through the protocol double with a registered runner."""

    def __init__(self, server: RunnerProtocolDouble, tmp_path: pathlib.Path):
        self.server = server
        self.tmp_path = tmp_path
        self.uuid, self.token = server.register_runner()
        self.settings = fast_settings(tmp_path)
        self.client = RunnerClient(server.url, self.uuid, self.token)
        self.labels = parse_labels(f"linux:host,busybox:docker://{BUSYBOX_IMAGE}")
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


@pytest.fixture
def job_runner(protocol_server, tmp_path):
    return JobRunner(protocol_server, tmp_path)
