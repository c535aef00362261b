"""What a runner remembers and how it runs.

``RunnerState`` is the ``.runner`` file written by ``plue runner register`` (act_runner's
format: id, uuid, name, token, address, labels; mode 0600 because the token is a credential).
``RunnerSettings`` are the daemon's knobs, from command-line options.
"""

from __future__ import annotations

import dataclasses
import fcntl
import json
import os
import pathlib
from dataclasses import dataclass, field

from plue_runner_agent.labels import Label, parse_labels

STATE_WARNING = ("This file is written by `plue runner register`. It holds this runner's "
                 "credentials; removing it means registering again.")


class StateError(Exception):
    """The state file is missing, unreadable or locked by another daemon."""


@dataclass
class RunnerState:
    address: str
    uuid: str
    token: str
    name: str
    labels: list[str]
    id: int = 0
    ephemeral: bool = False

    def parsed_labels(self) -> list[Label]:
        return parse_labels(self.labels)

    def save(self, path: str | os.PathLike) -> None:
        """Write atomically with mode 0600 (the token must not be world-readable)."""
        path = pathlib.Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(f".{path.name}.tmp")
        body = {"WARNING": STATE_WARNING, **dataclasses.asdict(self)}
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as handle:
            json.dump(body, handle, indent=2)
            handle.write("\n")
        os.replace(temporary, path)

    @classmethod
    def load(cls, path: str | os.PathLike) -> "RunnerState":
        path = pathlib.Path(path)
        try:
            data = json.loads(path.read_text())
        except FileNotFoundError:
            raise StateError(f"{path} does not exist: run `plue runner register` first") from None
        except (OSError, ValueError) as exc:
            raise StateError(f"{path} cannot be read: {exc}") from None
        missing = [key for key in ("address", "uuid", "token", "name", "labels") if not data.get(key)]
        if missing:
            raise StateError(f"{path} lacks {', '.join(missing)}: register this runner again")
        return cls(address=data["address"], uuid=data["uuid"], token=data["token"],
                   name=data["name"], labels=list(data["labels"]), id=int(data.get("id") or 0),
                   ephemeral=bool(data.get("ephemeral", False)))


class StateLock:
    """An exclusive lock beside the state file: two daemons sharing one registration would
    cancel each other's jobs, so the second refuses to start."""

    def __init__(self, path: str | os.PathLike):
        self.path = pathlib.Path(f"{path}.lock")
        self._handle = None

    def __enter__(self) -> "StateLock":
        self._handle = open(self.path, "w")
        try:
            fcntl.flock(self._handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            self._handle.close()
            raise StateError(f"another runner daemon already uses {self.path.with_suffix('')}"
                             " (its lock file is held)") from None
        self._handle.write(str(os.getpid()))
        self._handle.flush()
        return self

    def __exit__(self, *exc) -> None:
        if self._handle is not None:
            fcntl.flock(self._handle, fcntl.LOCK_UN)
            self._handle.close()


@dataclass
class DockerSettings:
    """How job containers are created (see docs/runner.md)."""

    network: str = "bridge"  # "host" to reach a server bound to 127.0.0.1
    memory: str | None = None  # e.g. "512m"
    cpus: float | None = None
    pids_limit: int | None = None
    privileged: bool = False
    docker_host: str | None = None  # default: DOCKER_HOST or the local socket
    use_init: bool = True  # docker-init as PID 1 reaps orphans of killed steps


@dataclass
class RunnerSettings:
    capacity: int = 1
    job_niceness: int = 10  # how far below the daemon's CPU priority jobs run (0: the same)
    workdir: pathlib.Path = field(default_factory=lambda: pathlib.Path.home() / ".cache" / "plue-runner")
    fetch_timeout: float = 10.0  # the longest the server may hold a FetchTask (long-poll)
    fetch_interval: float = 2.0  # pause after an immediate empty answer, doubled up to the max
    fetch_interval_max: float = 10.0
    job_timeout: float = 3 * 3600.0  # the runner's own ceiling for any job
    shutdown_timeout: float = 0.0  # 0: wait for running jobs as long as they take
    log_report_interval: float = 1.0
    log_batch_size: int = 100
    state_report_interval: float = 5.0  # heartbeat, even when nothing changed
    report_close_timeout: float = 30.0
    env: dict[str, str] = field(default_factory=dict)  # added to every job's environment
    docker: DockerSettings = field(default_factory=DockerSettings)
