"""The runner daemon: declares itself, then polls FetchTask and runs up to ``capacity`` jobs
at once, each on its own thread.

Polling follows act_runner (tasks_version caching, exponential backoff with jitter after
immediate empty answers and errors) with one difference: when the server held the request
(long-poll) and answered empty, or answered because its queue version moved (another runner
won the job), the next poll starts at once, so a job queued while the runner idles is picked
up within the server's wake-up time.

Shutdown (SIGTERM or SIGINT): stop polling, let running jobs finish (at most
``shutdown_timeout`` seconds when set), then cancel what is left; those jobs still run their
always() steps and report a final result, so the server never waits for a heartbeat timeout.
A second signal cancels the running jobs at once, a third stops their clean-up steps too.
"""

from __future__ import annotations

import logging
import random
import signal
import threading
import time

from plue_workflows.statuses import Status
from plue_runner_agent.backends.base import Backend
from plue_runner_agent.backends.docker import DockerBackend
from plue_runner_agent.backends.host import HostBackend
from plue_runner_agent.client import ConnectError, RunnerClient
from plue_runner_agent.config import RunnerSettings, RunnerState
from plue_runner_agent.executor.job import JobExecutor
from plue_runner_agent.labels import DOCKER
from plue_runner_agent.priority import lower_this_thread
from plue_runner_agent.protocol import Task

log = logging.getLogger("plue.runner.daemon")

HELD_POLL = 1.0  # an empty answer that took this long was a held long-poll: poll again now


class RunnerDaemon:
    def __init__(self, state: RunnerState, settings: RunnerSettings, *,
                 client: RunnerClient | None = None,
                 backends: dict[str, Backend] | None = None, once: bool = False):
        self.state = state
        self.settings = settings
        self.labels = state.parsed_labels()
        self.client = client or RunnerClient(state.address, state.uuid, state.token)
        self.backends = backends if backends is not None else self._default_backends()
        self.once = once or state.ephemeral
        self.stopping = threading.Event()  # no new jobs
        self.forced = threading.Event()  # cancel the running ones
        self.running: dict[int, JobExecutor] = {}
        self.finished: list[tuple[int, Status]] = []
        self._lock = threading.Lock()
        self._slots = threading.Semaphore(max(1, settings.capacity))
        self._workers: list[threading.Thread] = []
        self._tasks_version = 0
        self._failures = 0
        self.exit_code = 0

    def _default_backends(self) -> dict[str, Backend]:
        workdir = self.settings.workdir
        return {"host": HostBackend(workdir),
                "docker": DockerBackend(workdir, self.settings.docker, self.state.uuid)}

    # --- lifecycle -------------------------------------------------------------------------

    def run(self) -> int:
        """Poll and run jobs until shutdown; returns the process exit code."""
        self._declare()
        if self.stopping.is_set():
            return self.exit_code
        docker = self.backends.get(DOCKER)
        if isinstance(docker, DockerBackend) and any(l.scheme == DOCKER for l in self.labels):
            try:
                removed = docker.remove_leftovers()
                if removed:
                    log.warning("removed %d container(s) left by an earlier run", removed)
            except Exception as exc:
                log.warning("cannot check for leftover containers: %s", exc)
        log.info("runner %s polling %s with capacity %d, labels %s", self.state.name,
                 self.state.address, self.settings.capacity,
                 ", ".join(str(label) for label in self.labels))
        poller = threading.Thread(target=self._poll_loop, name="poller", daemon=True)
        poller.start()
        while poller.is_alive():
            poller.join(0.2)
        self._wait_for_jobs()
        log.info("runner %s stopped", self.state.name)
        return self.exit_code

    def shutdown(self, force: bool = False) -> None:
        """Stop taking jobs; with ``force`` (or on a second call) cancel the running ones; on
        a third call stop their clean-up (always()) steps too."""
        if self.stopping.is_set() or force:
            self._cancel_running("the runner is shutting down")
        self.stopping.set()

    def install_signal_handlers(self) -> None:
        def handle(signum, frame):
            first = not self.stopping.is_set()
            log.warning("received %s: %s", signal.Signals(signum).name,
                        "finishing running jobs (send again to cancel them)" if first
                        else "cancelling running jobs (send again to stop their clean-up "
                        "steps too)")
            self.shutdown(force=not first)
        signal.signal(signal.SIGTERM, handle)
        signal.signal(signal.SIGINT, handle)

    def _declare(self) -> None:
        try:
            info = self.client.declare([label.name for label in self.labels])
            log.info("declared to %s as runner %s (id %s)", self.state.address,
                     info.name or self.state.name, info.id or self.state.id)
        except ConnectError as error:
            if error.code == "unimplemented":
                log.warning("the server does not know Declare (Gitea < 1.21); labels are those "
                            "given at registration")
            elif error.code == "unauthenticated":
                log.error("the server does not know this runner (%s); register it again",
                          error.message)
                self.exit_code = 1
                self.stopping.set()
            else:
                log.warning("Declare failed: %s", error)

    # --- polling ---------------------------------------------------------------------------

    def _poll_loop(self) -> None:
        while not self.stopping.is_set():
            if not self._slots.acquire(timeout=0.2):
                continue
            task, held = self._fetch()
            if task is None:
                self._slots.release()
                if not held:
                    self._backoff()
                continue
            self._start(task)
            if self.once:
                self.stopping.set()

    def _fetch(self) -> tuple[Task | None, bool]:
        version = self._tasks_version
        started = time.monotonic()
        try:
            task, latest = self.client.fetch_task(version, timeout=self.settings.fetch_timeout)
        except ConnectError as error:
            if error.code == "deadline_exceeded":  # the designed idle path of a long-poll
                self._failures = 0
                return None, True
            if error.code == "unauthenticated":
                log.error("the server rejected this runner (%s); stopping: register it again",
                          error.message)
                self.exit_code = 1
                self.stopping.set()
                return None, True
            self._failures += 1
            log.error("FetchTask failed: %s", error)
            return None, False
        # Held by the server, or answered at once because our version was stale (after a task,
        # or another runner won the job): either way the next poll, now with the current
        # version, should start at once - a long-polling server will hold it.
        held = time.monotonic() - started >= HELD_POLL or latest != version
        if latest > version:
            self._tasks_version = latest
        if task is None:
            self._failures = 0 if held else self._failures + 1
            return None, held
        self._failures = 0
        self._tasks_version = 0  # after a task, make the server look at the queue again
        return task, True

    def _backoff(self) -> None:
        """fetch_interval doubled per consecutive empty/error answer (up to x32, capped at
        fetch_interval_max), with +-20% jitter; interrupted by shutdown."""
        n = max(1, self._failures)
        delay = min(self.settings.fetch_interval * 2 ** min(n - 1, 5),
                    self.settings.fetch_interval_max)
        self.stopping.wait(delay * random.uniform(0.8, 1.2))

    # --- jobs ------------------------------------------------------------------------------

    def _start(self, task: Task) -> None:
        executor = JobExecutor(task, self.client, self.settings, self.labels, self.backends,
                               self.state.name)
        with self._lock:
            self.running[task.id] = executor
        if self.forced.is_set():
            executor.request_cancel("the runner is shutting down")
        log.info("task %s: started", task.id)
        worker = threading.Thread(target=self._work, args=(executor,), name=f"task-{task.id}")
        self._workers.append(worker)
        worker.start()

    def _work(self, executor: JobExecutor) -> None:
        # The job's thread, its steps and its reports run below the poller, which keeps the
        # daemon's priority so that taking a job is never delayed by the jobs.
        lower_this_thread(self.settings.job_niceness)
        try:
            result = executor.run()
        except Exception:
            log.exception("task %s: the executor crashed", executor.task.id)
            result = Status.FAILURE
        finally:
            with self._lock:
                self.running.pop(executor.task.id, None)
            self._slots.release()
        with self._lock:
            self.finished.append((executor.task.id, result))
        log.info("task %s: %s", executor.task.id, result.label)

    def _cancel_running(self, reason: str) -> None:
        self.forced.set()
        with self._lock:
            executors = list(self.running.values())
        for executor in executors:
            executor.request_cancel(reason)

    def _wait_for_jobs(self) -> None:
        """Wait for the running jobs; past ``shutdown_timeout`` cancel them, and past twice
        that stop their clean-up steps too."""
        timeout = self.settings.shutdown_timeout
        start = time.monotonic()
        escalations = 0
        for worker in list(self._workers):
            while worker.is_alive():
                worker.join(0.2)
                if timeout > 0 and time.monotonic() - start >= timeout * (escalations + 1) \
                        and escalations < 2:
                    escalations += 1
                    log.warning("shutdown timeout reached: %s", "cancelling the running jobs"
                                if escalations == 1 else "stopping their clean-up steps")
                    self._cancel_running("the runner is shutting down")
