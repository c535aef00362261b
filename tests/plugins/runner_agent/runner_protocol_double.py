"""A protocol test double of the server side of Gitea's runner.v1 (Connect, JSON codec),
written for the runner's tests while the real server is built concurrently.

It is strict about what the runner sends (field names, int64 as strings, enum names,
RFC 3339 timestamps, the auth headers) and copies Gitea's semantics where the runner depends
on them: registration tokens, tasks_version, a held FetchTask (long-poll) capped by the
client's Connect-Timeout-Ms, UpdateLog's index/ack rules, outputs acknowledged through
``sentOutputs``, cancel delivered in UpdateTask's answer. It also serves the artifact
endpoint the runner uses (PUT/GET /api/actions/artifacts/{run_id}/{name}).
"""

from __future__ import annotations

import base64
import json
import re
import secrets
import threading
import uuid as uuidlib
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

RESULTS = {"RESULT_UNSPECIFIED": 0, "RESULT_SUCCESS": 1, "RESULT_FAILURE": 2,
           "RESULT_CANCELLED": 3, "RESULT_SKIPPED": 4}
_INT64 = re.compile(r"^-?\d+$")
_TIMESTAMP = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,9})?Z$")


class ProtocolViolation(Exception):
    """The runner sent something the proto3 JSON mapping does not allow."""


def _int64(value, what: str) -> int:
    if not isinstance(value, str) or not _INT64.match(value):
        raise ProtocolViolation(f"{what} must be an int64 as a JSON string, got {value!r}")
    return int(value)


def _timestamp(value, what: str) -> None:
    if not isinstance(value, str) or not _TIMESTAMP.match(value):
        raise ProtocolViolation(f"{what} must be an RFC 3339 UTC timestamp, got {value!r}")


def _result(value, what: str) -> int:
    if value not in RESULTS:
        raise ProtocolViolation(f"{what} must be a Result enum name, got {value!r}")
    return RESULTS[value]


def _only(body: dict, allowed: set[str], what: str) -> None:
    unknown = set(body) - allowed
    if unknown:
        raise ProtocolViolation(f"{what}: unknown field(s) {sorted(unknown)}")


@dataclass
class RecordedTask:
    """Everything the runner reported about one task."""

    id: int
    token: str
    run_id: str
    task_json: dict
    log: list[str] = field(default_factory=list)
    log_updates: list[dict] = field(default_factory=list)
    no_more: bool = False
    states: list[dict] = field(default_factory=list)
    outputs: dict[str, str] = field(default_factory=dict)
    cancelled: bool = False
    result: int = 0
    finished: threading.Event = field(default_factory=threading.Event)

    @property
    def final_state(self) -> dict:
        return self.states[-1]

    def step_log(self, index: int) -> list[str]:
        """The log lines of one step, as the server would show them."""
        step = self.final_state["steps"][index]
        start, length = int(step["logIndex"]), int(step["logLength"])
        return self.log[start:start + length]

    def step_results(self) -> list[str]:
        return [step["result"] for step in self.final_state["steps"]]


class RunnerProtocolDouble:
    """``with RunnerProtocolDouble() as server:`` - ``server.url`` is the base URL."""

    def __init__(self, registration_token: str = "reg-token", hold_seconds: float = 30.0):
        self.registration_tokens = {registration_token}
        self.hold_seconds = hold_seconds
        self.runners: dict[str, dict] = {}
        self.queue: list[dict] = []
        self.tasks: dict[int, RecordedTask] = {}
        self.artifacts: dict[tuple[str, str], bytes] = {}
        self.artifact_queries: dict[tuple[str, str], str] = {}
        self.calls: list[tuple[str, dict]] = []
        self.fail_next: dict[str, list[tuple[int, dict]]] = {}  # method -> canned errors
        self.tasks_version = 1
        self.max_rows_per_update: int | None = None  # accept fewer rows to test resending
        self._next_task = 1
        self._lock = threading.Condition()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def __enter__(self) -> "RunnerProtocolDouble":
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        with self._lock:
            self.hold_seconds = 0
            self._lock.notify_all()
        self._server.shutdown()
        self._server.server_close()

    # --- test-side API ---------------------------------------------------------------------

    def register_runner(self, name: str = "test-runner", labels=("linux",)) -> tuple[str, str]:
        runner_uuid, token = str(uuidlib.uuid4()), secrets.token_hex(20)
        self.runners[runner_uuid] = {"id": len(self.runners) + 1, "name": name, "token": token,
                                     "labels": list(labels), "version": ""}
        return runner_uuid, token

    def queue_task(self, payload: str, *, context: dict | None = None,
                   secrets_: dict | None = None, needs: dict | None = None,
                   vars_: dict | None = None) -> RecordedTask:
        """Queue a job; the recorded task fills as the runner reports."""
        with self._lock:
            task_id = self._next_task
            self._next_task += 1
            token = secrets.token_hex(20)
            run_id = str(100 + task_id)
            full_context = {"repository": "alice/demo", "run_id": run_id, "run_number": "1",
                            "run_attempt": "1", "event_name": "push", "event": {},
                            "ref": "refs/heads/main", "sha": "0" * 40, "actor": "alice",
                            "server_url": self.url, "job": "build", "token": token,
                            "gitea_runtime_token": token, **(context or {})}
            task_json = {"id": str(task_id),
                         "workflowPayload": base64.b64encode(payload.encode()).decode(),
                         "context": full_context, "secrets": dict(secrets_ or {}),
                         "needs": needs or {}, "vars": dict(vars_ or {})}
            record = RecordedTask(task_id, full_context["token"], run_id, task_json)
            self.tasks[task_id] = record
            self.queue.append(task_json)
            self.tasks_version += 1
            self._lock.notify_all()
            return record

    def cancel(self, task_id: int) -> None:
        with self._lock:
            self.tasks[task_id].cancelled = True

    def json_task(self, record: RecordedTask) -> dict:
        return record.task_json

    # --- the protocol ----------------------------------------------------------------------

    def _auth(self, headers) -> dict:
        runner = self.runners.get(headers.get("x-runner-uuid") or "")
        if runner is None or runner["token"] != headers.get("x-runner-token"):
            raise _Error(401, "unauthenticated", "unregistered runner")
        return runner

    def handle(self, method: str, body: dict, headers) -> dict:
        self.calls.append((method, body))
        canned = self.fail_next.get(method)
        if canned:
            status, error = canned.pop(0)
            raise _Error(status, error["code"], error["message"])
        if method == "Ping":
            _only(body, {"data"}, "PingRequest")
            return {"data": f"Hello, {body.get('data', '')}!"}
        if method == "Register":
            _only(body, {"name", "token", "version", "labels", "ephemeral"}, "RegisterRequest")
            if body.get("token") not in self.registration_tokens:
                raise _Error(400, "invalid_argument", "runner registration token not found")
            runner_uuid, token = self.register_runner(body["name"], body.get("labels") or [])
            runner = self.runners[runner_uuid]
            runner["version"] = body.get("version", "")
            return {"runner": {"id": str(runner["id"]), "uuid": runner_uuid, "token": token,
                               "name": body["name"], "labels": runner["labels"],
                               "version": runner["version"]}}
        runner = self._auth(headers)
        if method == "Declare":
            _only(body, {"version", "labels"}, "DeclareRequest")
            runner.update(labels=list(body.get("labels") or []), version=body.get("version"))
            return {"runner": {"id": str(runner["id"]), "name": runner["name"],
                               "labels": runner["labels"], "version": runner["version"]}}
        if method == "FetchTask":
            return self._fetch(body, headers)
        if method == "UpdateTask":
            return self._update_task(body)
        if method == "UpdateLog":
            return self._update_log(body)
        raise _Error(404, "unimplemented", f"no method {method}")

    def _fetch(self, body: dict, headers) -> dict:
        _only(body, {"tasksVersion"}, "FetchTaskRequest")
        version = _int64(body.get("tasksVersion", "0"), "tasksVersion")
        budget = min(self.hold_seconds,
                     int(headers.get("Connect-Timeout-Ms") or 0) / 1000.0 - 0.2)
        with self._lock:
            if version == self.tasks_version or not self.queue:
                self._lock.wait_for(lambda: self.queue, timeout=max(0.0, budget))
            if self.queue:
                return {"task": self.queue.pop(0), "tasksVersion": str(self.tasks_version)}
            return {"tasksVersion": str(self.tasks_version)}

    def _update_task(self, body: dict) -> dict:
        _only(body, {"state", "outputs"}, "UpdateTaskRequest")
        state = body["state"]
        _only(state, {"id", "result", "startedAt", "stoppedAt", "steps"}, "TaskState")
        record = self.tasks[_int64(state["id"], "state.id")]
        result = _result(state["result"], "state.result")
        for key in ("startedAt", "stoppedAt"):
            if key in state:
                _timestamp(state[key], f"state.{key}")
        for index, step in enumerate(state.get("steps", [])):
            _only(step, {"id", "result", "startedAt", "stoppedAt", "logIndex", "logLength"},
                  "StepState")
            if _int64(step["id"], "step.id") != index:
                raise ProtocolViolation(f"step {index} has id {step['id']}")
            _result(step["result"], "step.result")
            _int64(step["logIndex"], "step.logIndex")
            _int64(step["logLength"], "step.logLength")
            for key in ("startedAt", "stoppedAt"):
                if key in step:
                    _timestamp(step[key], f"step.{key}")
        with self._lock:
            if not record.finished.is_set():
                record.states.append(state)
                for key, value in (body.get("outputs") or {}).items():
                    record.outputs.setdefault(key, value)
                if result:
                    record.result = result
                    record.finished.set()
            answer = result or (RESULTS["RESULT_CANCELLED"] if record.cancelled else 0)
            name = next(k for k, v in RESULTS.items() if v == answer)
            return {"state": {"id": str(record.id), "result": name},
                    "sentOutputs": sorted(record.outputs)}

    def _update_log(self, body: dict) -> dict:
        _only(body, {"taskId", "index", "rows", "noMore"}, "UpdateLogRequest")
        record = self.tasks[_int64(body["taskId"], "taskId")]
        index = _int64(body["index"], "index")
        rows = body.get("rows") or []
        for row in rows:
            _only(row, {"time", "content"}, "LogRow")
            _timestamp(row["time"], "row.time")
        with self._lock:
            record.log_updates.append(body)
            ack = len(record.log)
            if rows and index <= ack and index + len(rows) > ack:
                fresh = rows[ack - index:][:self.max_rows_per_update]
                record.log.extend(row["content"] for row in fresh)
            if body.get("noMore"):
                record.no_more = True
            return {"ackIndex": str(len(record.log))}

    def handle_artifact(self, verb: str, run_id: str, name: str | None, headers, data: bytes,
                        query: str = ""):
        token = (headers.get("Authorization") or "").removeprefix("Bearer ")
        if not any(t.token == token and t.run_id == run_id for t in self.tasks.values()):
            raise _Error(401, "unauthenticated", "bad task token")
        if name is None:
            return 200, {"artifacts": [{"id": i + 1, "name": n, "size": len(d)} for i, ((r, n), d)
                                       in enumerate(self.artifacts.items()) if r == run_id]}
        if verb == "PUT":
            if (run_id, name) in self.artifacts:
                raise _Error(409, "already_exists", "the run has that artifact already")
            self.artifact_queries[(run_id, name)] = query
            self.artifacts[(run_id, name)] = data
            return 201, {"id": len(self.artifacts), "name": name, "size": len(data)}
        if (run_id, name) not in self.artifacts:
            raise _Error(404, "not_found", "no such artifact")
        return 200, self.artifacts[(run_id, name)]

    def _handler(self):
        double = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def _send(self, status: int, body, content_type="application/json"):
                data = body if isinstance(body, bytes) else json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def _body(self) -> bytes:
                return self.rfile.read(int(self.headers.get("Content-Length") or 0))

            def _artifact(self, verb: str):
                match = re.match(r"^/api/actions/artifacts/([^/?]+)(?:/([^/?]+))?(?:\?(.*))?$",
                                 self.path)
                if not match:
                    return self._send(404, {"message": "not found"})
                data = self._body() if verb == "PUT" else b""
                try:
                    status, body = double.handle_artifact(verb, match[1], match[2],
                                                          self.headers, data, match[3] or "")
                except _Error as error:
                    return self._send(error.status, {"message": error.message})
                self._send(status, body, "application/zip" if isinstance(body, bytes)
                           else "application/json")

            def do_PUT(self):
                self._artifact("PUT")

            def do_GET(self):
                self._artifact("GET")

            def do_POST(self):
                match = re.match(r"^/api/actions/(runner\.v1\.RunnerService|ping\.v1\.PingService)"
                                 r"/(\w+)$", self.path)
                raw = self._body()
                if not match:
                    return self._send(404, {"code": "unimplemented", "message": self.path})
                try:
                    if self.headers.get("Content-Type") != "application/json":
                        raise ProtocolViolation("Content-Type must be application/json")
                    if self.headers.get("Connect-Protocol-Version") != "1":
                        raise ProtocolViolation("Connect-Protocol-Version must be 1")
                    body = json.loads(raw or b"{}")
                    self._send(200, double.handle(match[2], body, self.headers))
                except _Error as error:
                    self._send(error.status, {"code": error.code, "message": error.message})
                except (ProtocolViolation, KeyError, ValueError) as error:
                    double.calls.append(("VIOLATION", {"error": str(error)}))
                    self._send(400, {"code": "invalid_argument", "message": str(error)})

        return Handler


class _Error(Exception):
    def __init__(self, status: int, code: str, message: str):
        super().__init__(message)
        self.status, self.code, self.message = status, code, message
