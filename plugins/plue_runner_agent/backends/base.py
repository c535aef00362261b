"""The backend interface, and what both backends share: the per-task directory layout on the
runner's machine and splitting a process's output into log lines."""

from __future__ import annotations

import abc
import pathlib
import shutil
import threading
from dataclasses import dataclass
from typing import Callable

MAX_LINE = 64 * 1024
KILL_GRACE = 3.0  # seconds between SIGTERM and SIGKILL when a step is stopped


class BackendError(Exception):
    """The job environment cannot be created or used; the message says why."""


@dataclass(frozen=True)
class ExecResult:
    exit_code: int
    timed_out: bool = False
    cancelled: bool = False


@dataclass(frozen=True)
class JobRequest:
    """What a backend needs to create the environment of one task."""

    task_id: int
    repository: str  # owner/name: the workspace is <workspace root>/<owner>/<name>
    image: str | None = None  # docker backend only
    env: dict[str, str] | None = None  # container-level environment (job `container.env`)


class LineSplitter:
    """Turns byte chunks into text lines (CRLF and CR-only progress output handled, very long
    lines cut at 64 KiB) and hands each to ``emit``."""

    def __init__(self, emit: Callable[[str], None]):
        self._emit = emit
        self._buffer = b""

    def feed(self, chunk: bytes) -> None:
        self._buffer += chunk
        while True:
            newline = self._buffer.find(b"\n")
            if newline < 0:
                break
            line, self._buffer = self._buffer[:newline], self._buffer[newline + 1:]
            self._send(line)
        while len(self._buffer) > MAX_LINE:
            line, self._buffer = self._buffer[:MAX_LINE], self._buffer[MAX_LINE:]
            self._send(line)

    def close(self) -> None:
        if self._buffer:
            self._send(self._buffer)
            self._buffer = b""

    def _send(self, line: bytes) -> None:
        line = line.rstrip(b"\r")
        if b"\r" in line:  # a progress bar redrawn in place: keep what the terminal shows last
            line = line.rsplit(b"\r", 1)[-1]
        self._emit(line.decode("utf-8", errors="replace"))


class JobEnvironment(abc.ABC):
    """A place where one job runs. Paths come in two flavours: as the job sees them
    (``workspace``, ``temp``) and on the runner's machine (``host_workspace``, ``host_temp``);
    the host side is where the runner writes step scripts, reads file commands and checks
    out code."""

    workspace: str
    temp: str
    tool_cache: str
    host_workspace: pathlib.Path
    host_temp: pathlib.Path
    base_env: dict[str, str]
    description: str

    @abc.abstractmethod
    def exec(self, argv: list[str], env: dict[str, str], workdir: str,
             on_line: Callable[[str], None], timeout: float | None,
             cancel: threading.Event) -> ExecResult:
        """Run ``argv`` in ``workdir`` with exactly ``env``; stream output lines to ``on_line``.
        Stop the process (and its children) when ``timeout`` passes or ``cancel`` is set."""

    @abc.abstractmethod
    def has_command(self, name: str) -> bool:
        """Whether ``name`` is on the job's PATH (used to pick bash or sh)."""

    def to_job_path(self, host_path: pathlib.Path) -> str:
        """The job's view of a path under the task directory."""
        host_path = pathlib.Path(host_path)
        for host_root, job_root in ((self.host_workspace, self.workspace),
                                    (self.host_temp, self.temp)):
            try:
                relative = host_path.relative_to(host_root)
            except ValueError:
                continue
            return job_root if str(relative) == "." else f"{job_root}/{relative.as_posix()}"
        raise BackendError(f"{host_path} is outside the job's directories")

    def to_host_path(self, job_path: str) -> pathlib.Path | None:
        """The runner's view of a job path, None when the job path is not shared."""
        for job_root, host_root in ((self.workspace, self.host_workspace),
                                    (self.temp, self.host_temp)):
            if job_path == job_root:
                return host_root
            if job_path.startswith(job_root.rstrip("/") + "/"):
                return host_root / job_path[len(job_root.rstrip("/")) + 1:]
        return None

    @abc.abstractmethod
    def close(self) -> None:
        """Remove everything the job left: processes, containers, directories. Never raises."""


class Backend(abc.ABC):
    name: str

    def __init__(self, workdir: pathlib.Path):
        self.workdir = pathlib.Path(workdir)

    @abc.abstractmethod
    def create(self, request: JobRequest, log: Callable[[str], None]) -> JobEnvironment:
        """Prepare the environment of one job; raise BackendError with a clear message."""

    def task_directory(self, task_id: int) -> pathlib.Path:
        """``<workdir>/tasks/<id>``, emptied first (a crashed earlier attempt may have left it)."""
        directory = self.workdir / "tasks" / str(task_id)
        if directory.exists():
            shutil.rmtree(directory, ignore_errors=True)
        (directory / "workspace").mkdir(parents=True, exist_ok=True)
        (directory / "temp").mkdir(parents=True, exist_ok=True)
        (directory / "tool_cache").mkdir(parents=True, exist_ok=True)
        return directory
