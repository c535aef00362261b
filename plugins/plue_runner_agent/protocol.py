"""runner.v1 and ping.v1 messages in the proto3 JSON mapping, as Gitea's proto defines them.

Field names are lowerCamelCase, int64 values travel as strings, enums as their names (both
names and numbers are accepted on the way in), ``bytes`` as base64, timestamps as RFC 3339 in
UTC and ``google.protobuf.Struct`` as plain JSON. Absent fields take their proto3 defaults.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from plue_workflows.statuses import Status

RUNNER_SERVICE = "runner.v1.RunnerService"
PING_SERVICE = "ping.v1.PingService"

# Result codes are Gitea's status codes 0-4 (plue_workflows/statuses.py).
RESULT_NAMES = {0: "RESULT_UNSPECIFIED", 1: "RESULT_SUCCESS", 2: "RESULT_FAILURE",
                3: "RESULT_CANCELLED", 4: "RESULT_SKIPPED"}
RUNNER_STATUS_NAMES = {0: "RUNNER_STATUS_UNSPECIFIED", 1: "RUNNER_STATUS_IDLE",
                       2: "RUNNER_STATUS_ACTIVE", 3: "RUNNER_STATUS_OFFLINE"}


class ProtocolError(ValueError):
    """A message from the server does not follow the proto3 JSON mapping."""


def encode_result(result: Status | int) -> str:
    """The JSON name of a result: 'RESULT_SUCCESS'..."""
    return RESULT_NAMES[int(result)]


def decode_enum(value: Any, names: dict[int, str], what: str) -> int:
    """An enum given by name or number; absent/null is 0."""
    if value is None:
        return 0
    if isinstance(value, bool):
        raise ProtocolError(f"{what}: expected an enum name or number, got {value!r}")
    if isinstance(value, int):
        return value
    if isinstance(value, str):
        for number, name in names.items():
            if name == value:
                return number
        if value.lstrip("-").isdigit():
            return int(value)
    raise ProtocolError(f"{what}: unknown enum value {value!r}")


def decode_result(value: Any, what: str = "result") -> Status:
    number = decode_enum(value, RESULT_NAMES, what)
    if number not in RESULT_NAMES:
        raise ProtocolError(f"{what}: unknown result {number}")
    return Status(number)


def decode_int64(value: Any, what: str) -> int:
    """An int64 given as a JSON string or number; absent/null is 0."""
    if value is None:
        return 0
    if isinstance(value, bool):
        raise ProtocolError(f"{what}: expected an integer, got {value!r}")
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str):
        try:
            return int(value)
        except ValueError:
            pass
    raise ProtocolError(f"{what}: expected an integer, got {value!r}")


def decode_bytes(value: Any, what: str) -> bytes:
    """proto3 ``bytes``: standard or URL-safe base64, padding optional."""
    if value is None:
        return b""
    if not isinstance(value, str):
        raise ProtocolError(f"{what}: expected base64 text")
    text = value.replace("-", "+").replace("_", "/")
    try:
        return base64.b64decode(text + "=" * (-len(text) % 4), validate=True)
    except (binascii.Error, ValueError) as exc:
        raise ProtocolError(f"{what}: invalid base64 ({exc})") from None


def encode_timestamp(moment: dt.datetime) -> str:
    """RFC 3339 in UTC with microseconds: '2024-05-01T12:00:00.123456Z'."""
    return moment.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


def _string_map(value: Any, what: str) -> dict[str, str]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise ProtocolError(f"{what}: expected a JSON object")
    return {str(key): "" if item is None else str(item) for key, item in value.items()}


def _object(value: Any, what: str) -> dict:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise ProtocolError(f"{what}: expected a JSON object")
    return value


@dataclass
class RunnerInfo:
    """``runner.v1.Runner``: what Register and Declare return."""

    id: int = 0
    uuid: str = ""
    token: str = ""
    name: str = ""
    status: int = 0
    version: str = ""
    labels: list[str] = field(default_factory=list)
    ephemeral: bool = False

    @classmethod
    def from_json(cls, data: Any) -> "RunnerInfo":
        data = _object(data, "runner")
        return cls(id=decode_int64(data.get("id"), "runner.id"), uuid=data.get("uuid") or "",
                   token=data.get("token") or "", name=data.get("name") or "",
                   status=decode_enum(data.get("status"), RUNNER_STATUS_NAMES, "runner.status"),
                   version=data.get("version") or "", labels=list(data.get("labels") or []),
                   ephemeral=bool(data.get("ephemeral", False)))


@dataclass
class TaskNeed:
    outputs: dict[str, str]
    result: Status


@dataclass
class Task:
    """``runner.v1.Task``: one job attempt handed to this runner."""

    id: int
    workflow_payload: bytes
    context: dict[str, Any]
    secrets: dict[str, str]
    needs: dict[str, TaskNeed]
    vars: dict[str, str]

    @classmethod
    def from_json(cls, data: Any) -> "Task":
        data = _object(data, "task")
        needs = {}
        for job_id, need in _object(data.get("needs"), "task.needs").items():
            need = _object(need, f"task.needs.{job_id}")
            needs[job_id] = TaskNeed(
                outputs=_string_map(need.get("outputs"), f"task.needs.{job_id}.outputs"),
                result=decode_result(need.get("result"), f"task.needs.{job_id}.result"))
        return cls(id=decode_int64(data.get("id"), "task.id"),
                   workflow_payload=decode_bytes(data.get("workflowPayload"),
                                                 "task.workflowPayload"),
                   context=_object(data.get("context"), "task.context"),
                   secrets=_string_map(data.get("secrets"), "task.secrets"),
                   needs=needs, vars=_string_map(data.get("vars"), "task.vars"))


def _with_times(body: dict[str, Any], started_at: dt.datetime | None,
                stopped_at: dt.datetime | None) -> dict[str, Any]:
    """A step's or task's state with its times: proto3 JSON leaves an unset timestamp out."""
    if started_at is not None:
        body["startedAt"] = encode_timestamp(started_at)
    if stopped_at is not None:
        body["stoppedAt"] = encode_timestamp(stopped_at)
    return body


@dataclass
class StepState:
    """``runner.v1.StepState``; ``id`` is the step's index in the job."""

    id: int
    result: Status = Status.UNKNOWN
    started_at: dt.datetime | None = None
    stopped_at: dt.datetime | None = None
    log_index: int = 0
    log_length: int = 0

    def to_json(self) -> dict:
        return _with_times({"id": str(self.id), "result": encode_result(self.result.result_code()),
                            "logIndex": str(self.log_index), "logLength": str(self.log_length)},
                           self.started_at, self.stopped_at)


@dataclass
class TaskState:
    """``runner.v1.TaskState``: result UNKNOWN (0) means still running."""

    id: int
    result: Status = Status.UNKNOWN
    started_at: dt.datetime | None = None
    stopped_at: dt.datetime | None = None
    steps: list[StepState] = field(default_factory=list)

    def to_json(self) -> dict:
        return _with_times({"id": str(self.id), "result": encode_result(self.result.result_code()),
                            "steps": [step.to_json() for step in self.steps]},
                           self.started_at, self.stopped_at)


@dataclass
class LogRow:
    time: dt.datetime
    content: str

    def to_json(self) -> dict:
        return {"time": encode_timestamp(self.time), "content": self.content}


@dataclass
class UpdateTaskReply:
    """What UpdateTask answers: the server's view of the result, and every output key stored."""

    result: Status
    sent_outputs: list[str]

    @classmethod
    def from_json(cls, data: Any) -> "UpdateTaskReply":
        data = _object(data, "UpdateTaskResponse")
        state = _object(data.get("state"), "UpdateTaskResponse.state")
        return cls(result=decode_result(state.get("result"), "state.result"),
                   sent_outputs=[str(key) for key in data.get("sentOutputs") or []])
