"""The Docker backend: one container per job, created from the label's image (or the job's
``container:``), with the task directory bind-mounted as the workspace and the runner's temp
directory; every step is a ``docker exec``. The container is removed when the job ends,
whatever happened, and at daemon start any container a crashed daemon left is removed too.

Checkout and artifacts run on the runner's side and reach the files through the mount, so
the image needs nothing but ``/bin/sh`` and ``tail`` (the entry point); ``plue runner image``
builds such an image.
"""

from __future__ import annotations

import logging
import os
import pathlib
import secrets
import shutil
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
from plue_runner_agent.config import DockerSettings

log = logging.getLogger("plue.runner.docker")

WORKSPACE_ROOT = "/workspace"
TEMP_ROOT = "/runner/temp"
TOOL_CACHE = "/runner/tool_cache"
LABEL_RUNNER = "plue.runner"
LABEL_TASK = "plue.task"


def docker_client(settings: DockerSettings):
    """A docker SDK client for the configured engine; BackendError when none answers."""
    import docker  # imported here: the host backend and the CLI's --help need no engine
    try:
        client = (docker.DockerClient(base_url=settings.docker_host) if settings.docker_host
                  else docker.from_env())
        client.ping()
        return client
    except docker.errors.DockerException as exc:
        raise BackendError(f"no Docker engine answers ({exc}); start dockerd or set the "
                           "docker host") from None


class DockerEnvironment(JobEnvironment):
    def __init__(self, client, container, task_directory: pathlib.Path, repository: str,
                 image: str):
        self.client = client
        self.container = container
        self.task_directory = task_directory
        self.host_workspace = task_directory / "workspace" / repository
        self.host_temp = task_directory / "temp"
        self.workspace = f"{WORKSPACE_ROOT}/{repository}"
        self.temp = TEMP_ROOT
        self.tool_cache = TOOL_CACHE
        self.description = f"container {container.name} ({container.short_id}) of {image}"
        config_env = (client.api.inspect_container(container.id)["Config"].get("Env") or [])
        self.base_env = dict(item.split("=", 1) for item in config_env if "=" in item)
        self._pid_directory = self.host_temp / "_pids"
        self._pid_directory.mkdir(parents=True, exist_ok=True)

    def exec(self, argv, env, workdir, on_line, timeout, cancel) -> ExecResult:
        import docker
        pid_name = f"{secrets.token_hex(6)}.pid"
        # The wrapper records the step's PID, the leader of its process group inside the
        # container, so a timeout or a cancel can stop the whole group with `kill -TERM -PID`.
        wrapped = ["/bin/sh", "-c", f'echo $$ > "{TEMP_ROOT}/_pids/{pid_name}"; exec "$@"',
                   "plue-step", *argv]
        try:
            created = self.client.api.exec_create(self.container.id, wrapped, stdout=True,
                                                  stderr=True, environment=env, workdir=workdir)
            stream = self.client.api.exec_start(created["Id"], stream=True, demux=False)
        except docker.errors.APIError as exc:
            raise BackendError(f"docker exec failed: {exc.explanation or exc}") from None
        finished = threading.Event()

        def pump():
            splitter = LineSplitter(on_line)
            try:
                for chunk in stream:
                    splitter.feed(chunk)
            except Exception as exc:  # the engine went away: report it in the step's log
                on_line(f"##[error]lost the output stream: {exc}")
            finally:
                splitter.close()
                finished.set()

        reader = threading.Thread(target=pump, daemon=True)
        reader.start()
        deadline = None if timeout is None else time.monotonic() + timeout
        timed_out = cancelled = False
        while not finished.wait(0.05):
            if cancel.is_set():
                cancelled = True
            elif deadline is not None and time.monotonic() >= deadline:
                timed_out = True
            if timed_out or cancelled:
                self._stop(self._pid_directory / pid_name, finished)
                break
        finished.wait(10.0)
        return ExecResult(self._exit_code(created["Id"]), timed_out, cancelled)

    def _stop(self, pid_file: pathlib.Path, finished: threading.Event) -> None:
        try:
            pid = int(pid_file.read_text().strip())
        except (OSError, ValueError):
            return
        for sig, wait in (("TERM", KILL_GRACE), ("KILL", 5.0)):
            try:
                self.client.api.exec_start(self.client.api.exec_create(
                    self.container.id, ["/bin/sh", "-c", f"kill -{sig} -{pid} 2>/dev/null"])["Id"])
            except Exception as exc:
                log.warning("cannot signal step process %s in %s: %s", pid, self.container.name, exc)
            if finished.wait(wait):
                return

    def _exit_code(self, exec_id: str) -> int:
        for _ in range(50):
            details = self.client.api.exec_inspect(exec_id)
            if not details.get("Running") and details.get("ExitCode") is not None:
                return int(details["ExitCode"])
            time.sleep(0.1)
        return -1

    def has_command(self, name: str) -> bool:
        created = self.client.api.exec_create(self.container.id,
                                              ["/bin/sh", "-c", f"command -v {name}"],
                                              stdout=True, stderr=True)
        self.client.api.exec_start(created["Id"])
        return self._exit_code(created["Id"]) == 0

    def close(self) -> None:
        if os.geteuid() != 0:
            # Files the job wrote as root in the mounts; the runner could not delete them.
            try:
                self.client.api.exec_start(self.client.api.exec_create(
                    self.container.id, ["/bin/sh", "-c",
                                        f"rm -rf {WORKSPACE_ROOT}/* {WORKSPACE_ROOT}/.[!.]* "
                                        f"{TEMP_ROOT}/* {TOOL_CACHE}/*"])["Id"])
            except Exception:
                pass
        remove_container(self.container)
        shutil.rmtree(self.task_directory, ignore_errors=True)


def remove_container(container) -> None:
    """Force-remove a container and its anonymous volumes, retrying briefly (an engine that
    is busy removing may answer 409)."""
    import docker
    for attempt in range(5):
        try:
            container.remove(force=True, v=True)
            return
        except docker.errors.NotFound:
            return
        except docker.errors.APIError as exc:
            if attempt == 4:
                log.error("cannot remove container %s: %s", container.name, exc)
            time.sleep(0.5 * (attempt + 1))


class DockerBackend(Backend):
    name = "docker"

    def __init__(self, workdir: pathlib.Path, settings: DockerSettings, runner_uuid: str = ""):
        super().__init__(workdir)
        self.settings = settings
        self.runner_uuid = runner_uuid
        self._client = None

    @property
    def client(self):
        if self._client is None:
            self._client = docker_client(self.settings)
        return self._client

    def create(self, request: JobRequest, log: Callable[[str], None]) -> DockerEnvironment:
        import docker
        if not request.image:
            raise BackendError("no container image: use a label like name:docker://IMAGE")
        client = self.client
        self._ensure_image(client, request.image, log)
        directory = self.task_directory(request.task_id)
        (directory / "workspace" / request.repository).mkdir(parents=True, exist_ok=True)
        limits = {}
        if self.settings.memory:
            limits["mem_limit"] = self.settings.memory
        if self.settings.cpus:
            limits["nano_cpus"] = int(self.settings.cpus * 1e9)
        if self.settings.pids_limit:
            limits["pids_limit"] = self.settings.pids_limit
        name = f"plue-task-{request.task_id}-{secrets.token_hex(3)}"
        options = dict(
            image=request.image, name=name, entrypoint=["tail", "-f", "/dev/null"], command=[],
            working_dir=f"{WORKSPACE_ROOT}/{request.repository}",
            environment=dict(request.env or {}),
            labels={LABEL_RUNNER: self.runner_uuid, LABEL_TASK: str(request.task_id)},
            volumes={str(directory / "workspace"): {"bind": WORKSPACE_ROOT, "mode": "rw"},
                     str(directory / "temp"): {"bind": TEMP_ROOT, "mode": "rw"},
                     str(directory / "tool_cache"): {"bind": TOOL_CACHE, "mode": "rw"}},
            network_mode=self.settings.network, privileged=self.settings.privileged,
            init=self.settings.use_init, detach=True, **limits)
        container = None
        try:
            container = client.containers.create(**options)
            container.start()
            environment = DockerEnvironment(client, container, directory, request.repository,
                                            request.image)
        except docker.errors.DockerException as exc:
            if container is not None:
                remove_container(container)
            shutil.rmtree(directory, ignore_errors=True)
            explanation = getattr(exc, "explanation", None) or exc
            raise BackendError(f"cannot start a container of {request.image!r}: {explanation}") \
                from None
        log(f"Started {environment.description}, network {self.settings.network}")
        return environment

    def _ensure_image(self, client, image: str, log: Callable[[str], None]) -> None:
        import docker
        try:
            client.images.get(image)
            return
        except docker.errors.ImageNotFound:
            pass
        log(f"Pulling image {image}")
        try:
            client.images.pull(image)
        except docker.errors.DockerException as exc:
            explanation = getattr(exc, "explanation", None) or exc
            raise BackendError(f"the image {image!r} is not present on this Docker engine and "
                               f"cannot be pulled: {explanation}") from None

    def remove_leftovers(self) -> int:
        """Remove containers of this runner left by a daemon that crashed; returns how many."""
        if not self.runner_uuid:
            return 0
        leftovers = self.client.containers.list(
            all=True, filters={"label": f"{LABEL_RUNNER}={self.runner_uuid}"})
        for container in leftovers:
            remove_container(container)
        return len(leftovers)
