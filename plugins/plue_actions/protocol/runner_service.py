"""runner.v1.RunnerService and ping.v1.PingService: the methods act_runner (and
``plue runner``) call. Every method but Register authenticates the runner from the
``x-runner-uuid``/``x-runner-token`` headers."""

from __future__ import annotations

import datetime
import logging
import time

from plue_core.integers import is_digits
from plue_workflows.statuses import Status

from plue_actions import claim, logs, reporting, runner_registry, wakeups
from plue_actions.models import Runner
from plue_actions.protocol.connect import ConnectError, ConnectService, Method
from plue_actions.task_payload import build_task

log = logging.getLogger("plue.actions.runner_service")


def M(full_name: str):
    """The message class (protocol.messages, imported by the first call: connect.py)."""
    from plue_actions.protocol.messages import message_class

    return message_class(full_name)


RUNNER_STATUS = {"offline": 3, "idle": 1, "active": 2}


def _timestamp(message, field: str, what: str) -> datetime.datetime | None:
    """``message.field`` as a naive UTC datetime; one outside protobuf's Timestamp range
    (years 1 to 9999: the binary codec does not check it, the JSON one does) is the
    runner's mistake, named by ``what``."""
    if not message.HasField(field):
        return None
    try:
        return getattr(message, field).ToDatetime()
    except (ValueError, OverflowError) as error:
        raise ConnectError("invalid_argument", f"{what}: {error}") from None


def _connect_timeout(req) -> float | None:
    """The client's deadline (Connect-Timeout-Ms), in seconds."""
    raw = req.get_header("Connect-Timeout-Ms")
    if raw and is_digits(raw):
        return int(raw) / 1000
    return None


class RunnerProtocol:
    def __init__(self, service):
        self.service = service
        self.settings = service.settings

    # --- helpers ---------------------------------------------------------------------------

    def _runner(self, req) -> Runner:
        runner = runner_registry.authenticate(req.get_header("x-runner-uuid"),
                                              req.get_header("x-runner-token"))
        runner_registry.touch(runner)
        return runner

    def _runner_message(self, runner: Runner, token: str = ""):
        online = runner_registry.is_online(runner, self.settings["runner_offline_after"])
        return M("runner.v1.Runner")(
            id=runner.id, uuid=runner.uuid, token=token, name=runner.name,
            status=RUNNER_STATUS["idle" if online else "offline"], version=runner.version,
            labels=list(runner.labels or ()), ephemeral=runner.ephemeral)

    # --- methods ---------------------------------------------------------------------------

    def register(self, message, req):
        labels = list(message.labels) or list(message.agent_labels) + list(message.custom_labels)
        runner, token = runner_registry.register(message.token, message.name, labels, message.version,
                                         message.ephemeral)
        return M("runner.v1.RegisterResponse")(runner=self._runner_message(runner, token))

    def declare(self, message, req):
        runner = self._runner(req)
        runner_registry.declare(runner, message.version, list(message.labels))
        return M("runner.v1.DeclareResponse")(runner=self._runner_message(runner))

    def fetch_task(self, message, req):
        runner = self._runner(req)
        if runner.disabled:
            return M("runner.v1.FetchTaskResponse")(tasks_version=message.tasks_version or 1)
        watcher = self.service.watcher
        hold = self.settings["long_poll_timeout"]
        deadline_hint = _connect_timeout(req)
        if deadline_hint is not None:
            hold = min(hold, max(0.0, deadline_hint - 1.0))
        deadline = time.monotonic() + hold
        held = False
        try:
            while True:
                global_version, latest = wakeups.current_versions(runner.owner_id,
                                                                  runner.repository_id)
                if message.tasks_version != latest:
                    picked = claim.pick_task(self.service, runner)
                    if picked is not None:
                        task, job, token = picked
                        log.debug("FetchTask of runner %s: claimed task %s", runner.id, task.id)
                        return M("runner.v1.FetchTaskResponse")(
                            task=build_task(self.service, task, job, token), tasks_version=latest)
                    message.tasks_version = latest
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    break
                if not held:
                    held = watcher.try_hold()
                    if not held:
                        break  # every hold slot is taken: answer now, the runner polls again
                # Give the pooled connection back while waiting: an idle runner holds none.
                self.service.ctx.db.close()
                woke = watcher.wait_beyond(global_version, remaining)
                log.debug("FetchTask of runner %s: %s", runner.id, "woken" if woke else "timed out")
                self.service.ctx.db.connect(reuse_if_open=True)
                if not woke:
                    break
        finally:
            if held:
                watcher.release()
        return M("runner.v1.FetchTaskResponse")(tasks_version=message.tasks_version or 1)

    def update_task(self, message, req):
        runner = self._runner(req)
        runner_registry.touch(runner, active=True)
        state = message.state
        steps = [reporting.StepReport(int(step.id), int(step.result),
                                      _timestamp(step, "started_at", "state.steps.started_at"),
                                      _timestamp(step, "stopped_at", "state.steps.stopped_at"),
                                      int(step.log_index), int(step.log_length))
                 for step in state.steps]
        task, keys = reporting.update_task(
            self.service, runner, int(state.id), int(state.result),
            _timestamp(state, "started_at", "state.started_at"),
            _timestamp(state, "stopped_at", "state.stopped_at"), steps,
            dict(message.outputs))
        log.debug("UpdateTask of runner %s: task %s updated", runner.id, task.id)
        answer = M("runner.v1.UpdateTaskResponse")(sent_outputs=keys)
        answer.state.id = task.id
        answer.state.result = Status(task.status).result_code()
        return answer

    def update_log(self, message, req):
        runner = self._runner(req)
        runner_registry.touch(runner, active=True)
        task = reporting.runner_task(runner, int(message.task_id))
        rows = [(_timestamp(row, "time", "rows.time") or datetime.datetime.utcnow(), row.content)
                for row in message.rows]
        if message.index < 0:
            raise ConnectError("invalid_argument", "index must not be negative")
        ack = logs.append(self.service, task, int(message.index), rows, bool(message.no_more))
        return M("runner.v1.UpdateLogResponse")(ack_index=ack)

    def ping(self, message, req):
        return M("ping.v1.PingResponse")(data=f"Hello, {message.data}!")

    # --- Falcon resources --------------------------------------------------------------------

    def resources(self, limit: int) -> tuple[ConnectService, ConnectService]:
        def method(name, handler):
            return Method(f"runner.v1.{name}Request", handler)

        runner_service = ConnectService({
            "Register": method("Register", self.register),
            "Declare": method("Declare", self.declare),
            "FetchTask": method("FetchTask", self.fetch_task),
            "UpdateTask": method("UpdateTask", self.update_task),
            "UpdateLog": method("UpdateLog", self.update_log),
        }, limit)
        ping_service = ConnectService({
            "Ping": Method("ping.v1.PingRequest", self.ping),
        }, limit)
        return runner_service, ping_service
