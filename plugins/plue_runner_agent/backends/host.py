"""The host backend: steps run as processes of the runner's own user on this machine, in a
per-task directory. Only for trusted repositories: a job can do whatever the runner can."""

from __future__ import annotations

import os
import pathlib
import shutil
import signal
import subprocess
import threading
import time
from typing import Callable

from plue_runner_agent.backends.base import (
    KILL_GRACE,
    Backend,
    BackendError,
    ExecResult,
    JobEnvironment,
    JobRequest,
    LineSplitter,
)


class HostEnvironment(JobEnvironment):
    def __init__(self, task_directory: pathlib.Path, repository: str):
        self.task_directory = task_directory
        self.host_workspace = task_directory / "workspace" / repository
        self.host_workspace.mkdir(parents=True, exist_ok=True)
        self.host_temp = task_directory / "temp"
        self.workspace = str(self.host_workspace)
        self.temp = str(self.host_temp)
        self.tool_cache = str(task_directory / "tool_cache")
        self.base_env = dict(os.environ)
        self.description = f"host {os.uname().nodename}, directory {task_directory}"
        self._groups: set[int] = set()

    def exec(self, argv, env, workdir, on_line, timeout, cancel) -> ExecResult:
        try:
            process = subprocess.Popen(argv, cwd=workdir, env=env, stdin=subprocess.DEVNULL,
                                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                       start_new_session=True)
        except OSError as exc:
            raise BackendError(f"cannot start {argv[0]!r} in {workdir}: {exc.strerror}") from None
        self._groups.add(process.pid)
        reader = threading.Thread(target=_pump, args=(process.stdout, on_line), daemon=True)
        reader.start()
        deadline = None if timeout is None else time.monotonic() + timeout
        timed_out = cancelled = False
        while process.poll() is None:
            if cancel.is_set():
                cancelled = True
            elif deadline is not None and time.monotonic() >= deadline:
                timed_out = True
            if timed_out or cancelled:
                _stop_group(process)
                break
            try:
                process.wait(timeout=0.05)
            except subprocess.TimeoutExpired:
                pass
        # Background children may keep the pipe open; take what they wrote so far and go on
        # (they are killed with the job).
        reader.join(timeout=1.0)
        return ExecResult(process.wait(), timed_out=timed_out, cancelled=cancelled)

    def has_command(self, name: str) -> bool:
        return shutil.which(name, path=self.base_env.get("PATH")) is not None

    def close(self) -> None:
        for group in self._groups:  # orphans a step left running in the background
            try:
                os.killpg(group, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
        shutil.rmtree(self.task_directory, ignore_errors=True)


def _pump(stream, on_line: Callable[[str], None]) -> None:
    splitter = LineSplitter(on_line)
    try:
        for chunk in iter(lambda: stream.read1(65536), b""):
            splitter.feed(chunk)
    except (OSError, ValueError):
        pass
    finally:
        splitter.close()


def _stop_group(process: subprocess.Popen) -> None:
    """SIGTERM the step's process group, SIGKILL it if it lingers."""
    for sig, wait in ((signal.SIGTERM, KILL_GRACE), (signal.SIGKILL, 5.0)):
        try:
            os.killpg(process.pid, sig)
        except ProcessLookupError:
            return
        try:
            process.wait(timeout=wait)
            return
        except subprocess.TimeoutExpired:
            continue


class HostBackend(Backend):
    name = "host"

    def create(self, request: JobRequest, log) -> HostEnvironment:
        if request.image:
            raise BackendError(f"this job asks for the container image {request.image!r}, but "
                               "the runner label it matched runs jobs on the host")
        environment = HostEnvironment(self.task_directory(request.task_id), request.repository)
        log(f"Running on the host ({environment.description})")
        return environment
