"""Reports one task to the server: log rows through UpdateLog (index/ack), step and task
states through UpdateTask (also the heartbeat), outputs until acknowledged, and notices the
server's request to cancel in UpdateTask's answer.

A background thread flushes logs every ``log_report_interval`` (or at ``log_batch_size``
rows) and sends a heartbeat every ``state_report_interval``; step transitions flush at once.
The final report runs on the caller's thread: remaining logs with ``noMore``, then the final
state, each retried until acknowledged or ``report_close_timeout`` passes.
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Callable

from plue_workflows.statuses import Status
from plue_runner_agent.client import ConnectError, RunnerClient
from plue_runner_agent.config import RunnerSettings
from plue_runner_agent.executor.masking import Masker
from plue_runner_agent.protocol import LogRow, StepState, TaskState, utcnow

log = logging.getLogger("plue.runner.reporter")

MAX_LINE = 64 * 1024  # Gitea stores at most 64 KiB per log line
OUTPUT_KEY_LIMIT = 255
OUTPUT_VALUE_LIMIT = 1024 * 1024


class TaskReporter:
    def __init__(self, client: RunnerClient, task_id: int, masker: Masker,
                 settings: RunnerSettings, on_cancel: Callable[[Status], None] | None = None):
        self.client = client
        self.masker = masker
        self.settings = settings
        self.on_cancel = on_cancel
        self.state = TaskState(id=task_id, started_at=utcnow())
        self.cancel_requested = threading.Event()
        self._rows: list[LogRow] = []  # not yet acknowledged; _rows[0] is line _acked
        self._acked = 0
        self._total = 0
        self._current_step: StepState | None = None
        self._outputs: dict[str, str] = {}  # waiting for the server's acknowledgement
        self._sent_outputs: set[str] = set()
        self._lock = threading.Lock()
        self._send_lock = threading.Lock()  # one RPC at a time keeps index/ack simple
        self._wake = threading.Event()
        self._urgent = False
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._last_state_report = 0.0

    # --- what the executor calls -----------------------------------------------------------

    def start(self) -> None:
        self._thread = threading.Thread(target=self._loop, name=f"report-{self.state.id}",
                                        daemon=True)
        self._thread.start()

    def set_steps(self, count: int) -> None:
        with self._lock:
            self.state.steps = [StepState(id=index) for index in range(count)]
        self._poke(urgent=True)

    def log(self, text: str) -> None:
        """Append one or more lines (masked) to the task log, in the current step if any."""
        now = utcnow()
        with self._lock:
            for line in text.split("\n"):
                line = self.masker.mask(line.rstrip("\r"))
                while True:
                    chunk, line = line[:MAX_LINE], line[MAX_LINE:]
                    self._rows.append(LogRow(now, chunk))
                    self._total += 1
                    if self._current_step is not None:
                        self._current_step.log_length += 1
                    if not line:
                        break
            many = len(self._rows) >= self.settings.log_batch_size
        self._poke(urgent=many)

    def step_started(self, index: int) -> None:
        with self._lock:
            step = self.state.steps[index]
            step.started_at = utcnow()
            step.log_index = self._total
            step.log_length = 0
            self._current_step = step
        self._poke(urgent=True)

    def step_finished(self, index: int, result: Status) -> None:
        with self._lock:
            step = self.state.steps[index]
            if step.started_at is None:
                step.started_at = utcnow()
                step.log_index = self._total
            step.stopped_at = utcnow()
            step.result = result
            if self._current_step is step:
                self._current_step = None
        self._poke(urgent=True)

    def set_outputs(self, outputs: dict[str, str]) -> None:
        """Job outputs to deliver (the first value of a key wins, as in act_runner)."""
        with self._lock:
            for key, value in outputs.items():
                if len(key.encode()) > OUTPUT_KEY_LIMIT:
                    self._log_locked(f"##[warning]Output {key[:40]!r}... is skipped: its name "
                                     f"is longer than {OUTPUT_KEY_LIMIT} bytes")
                elif len(value.encode()) > OUTPUT_VALUE_LIMIT:
                    self._log_locked(f"##[warning]Output {key!r} is skipped: its value is "
                                     "larger than 1 MiB")
                elif key not in self._outputs and key not in self._sent_outputs:
                    self._outputs[key] = value

    def close(self, result: Status) -> None:
        """Stop the background reports and deliver logs, outputs and the final ``result``."""
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout=self.settings.report_close_timeout)
        with self._lock:
            now = utcnow()
            for step in self.state.steps:
                if step.result == Status.UNKNOWN:  # never reached: the job ended before it
                    step.result = Status.SKIPPED if result == Status.SKIPPED else Status.CANCELLED
                    step.started_at = step.started_at or now
                    step.stopped_at = step.stopped_at or now
                    step.log_index = step.log_index or self._total
            self._current_step = None
            if not self._rows:
                # Gitea before #37631 ignores an empty noMore request, so send one empty row.
                self._rows.append(LogRow(now, ""))
                self._total += 1
            has_outputs = bool(self._outputs)
        deadline = time.monotonic() + self.settings.report_close_timeout
        if has_outputs:  # stored before the final state, so `needs` sees them at once
            self._retry_until(deadline,
                              lambda: self._report_state(final=False, require_outputs=True),
                              "outputs")
        self._retry_until(deadline, lambda: self._flush_logs(no_more=True), "logs")
        with self._lock:
            self.state.result = result
            self.state.stopped_at = utcnow()
        self._retry_until(deadline, lambda: self._report_state(final=True), "final state")

    # --- internals -------------------------------------------------------------------------

    def _log_locked(self, text: str) -> None:
        self._rows.append(LogRow(utcnow(), self.masker.mask(text)))
        self._total += 1
        if self._current_step is not None:
            self._current_step.log_length += 1

    def _poke(self, urgent: bool) -> None:
        if urgent:
            self._urgent = True
            self._wake.set()

    def _loop(self) -> None:
        last_log = time.monotonic()
        while not self._stop.is_set():
            self._wake.wait(timeout=min(self.settings.log_report_interval,
                                        self.settings.state_report_interval))
            self._wake.clear()
            if self._stop.is_set():
                return
            urgent, self._urgent = self._urgent, False
            now = time.monotonic()
            try:
                if urgent or now - last_log >= self.settings.log_report_interval:
                    self._flush_logs(no_more=False)
                    last_log = now
                if urgent or now - self._last_state_report >= self.settings.state_report_interval:
                    self._report_state(final=False)
            except ConnectError as error:
                log.warning("task %s: report failed: %s", self.state.id, error)

    def _flush_logs(self, no_more: bool) -> bool:
        """Send the unacknowledged rows; while the server acknowledges some but not all, send
        the rest at once. True when everything is acknowledged (or nothing was pending)."""
        with self._send_lock:
            while True:
                with self._lock:
                    rows, index, total = list(self._rows), self._acked, self._total
                if not rows and not no_more:
                    return True
                ack = self.client.update_log(self.state.id, index, rows, no_more, attempts=2)
                with self._lock:
                    if ack < self._acked:
                        log.error("task %s: the server acknowledged %d log lines after %d; "
                                  "submitted logs are lost", self.state.id, ack, self._acked)
                        return False
                    drop = min(ack - self._acked, len(self._rows))
                    del self._rows[:drop]
                    self._acked += drop
                    done = self._acked >= total
                if done or drop == 0:
                    return done

    def _report_state(self, final: bool, require_outputs: bool = False) -> bool:
        with self._send_lock:
            with self._lock:
                state = TaskState(id=self.state.id,
                                  result=self.state.result if final else Status.UNKNOWN,
                                  started_at=self.state.started_at,
                                  stopped_at=self.state.stopped_at if final else None,
                                  steps=[StepState(**vars(step)) for step in self.state.steps])
                outputs = dict(self._outputs)
            reply = self.client.update_task(state, outputs, attempts=2)
            self._last_state_report = time.monotonic()
            with self._lock:
                for key in reply.sent_outputs:
                    self._sent_outputs.add(key)
                    self._outputs.pop(key, None)
                pending = bool(self._outputs)
            # CANCELLED asks the job to stop; any other result means the server already ended
            # the task (a reaper, say), so working on is pointless too.
            if reply.result != Status.UNKNOWN and not final and not self.cancel_requested.is_set():
                log.info("task %s: the server ended the task (%s)", self.state.id,
                         reply.result.label)
                self.cancel_requested.set()
                if self.on_cancel is not None:
                    self.on_cancel(reply.result)
            return not (require_outputs and pending)

    def _retry_until(self, deadline: float, attempt: Callable[[], bool], what: str) -> None:
        delay = 0.2
        while True:
            try:
                if attempt():
                    return
                problem = "not acknowledged"
            except ConnectError as error:
                problem = str(error)
            if time.monotonic() + delay > deadline:
                log.error("task %s: giving up delivering the %s: %s", self.state.id, what, problem)
                return
            time.sleep(delay)
            delay = min(delay * 2, 5.0)
