"""A Connect (unary, JSON codec) client for Gitea's runner.v1 and ping.v1 services.

Every call is ``POST {address}/api/actions/{service}/{method}`` with a proto3 JSON body; any
status other than 200 carries a Connect error ``{"code", "message"}``. Transient failures
(connection errors, ``unavailable`` and friends) are retried with exponential backoff and
jitter; the caller chooses how many attempts a call deserves.
"""

from __future__ import annotations

import importlib.metadata
import json
import logging
import random
import threading
import time
from typing import Callable

import requests

from plue_runner_agent import protocol
from plue_runner_agent.protocol import LogRow, RunnerInfo, Task, TaskState, UpdateTaskReply

log = logging.getLogger("plue.runner.client")

API_PREFIX = "/api/actions/"
CONNECT_TIMEOUT = 10.0  # seconds to open a TCP connection
DEFAULT_TIMEOUT = 30.0  # seconds to wait for an answer
RETRYABLE_CODES = frozenset({"unavailable", "resource_exhausted", "aborted", "deadline_exceeded",
                             "internal", "unknown"})
# Connect's mapping for answers that carry no Connect error body (a proxy's 502, say).
_HTTP_TO_CODE = {400: "internal", 401: "unauthenticated", 403: "permission_denied",
                 404: "unimplemented", 429: "unavailable", 502: "unavailable",
                 503: "unavailable", 504: "unavailable"}


def runner_version() -> str:
    """The version string declared to the server."""
    try:
        return f"plue-runner-{importlib.metadata.version('plue')}"
    except importlib.metadata.PackageNotFoundError:
        return "plue-runner-dev"


class ConnectError(Exception):
    """A failed call: a Connect error code (``unauthenticated``, ``unavailable``...) and the
    server's message. Connection failures use code ``unavailable``."""

    def __init__(self, code: str, message: str, http_status: int | None = None):
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message
        self.http_status = http_status

    @property
    def retryable(self) -> bool:
        return self.code in RETRYABLE_CODES


class RunnerClient:
    """Talks to one server as one runner (``uuid``/``token`` are None before registration)."""

    def __init__(self, address: str, uuid: str | None = None, token: str | None = None, *,
                 timeout: float = DEFAULT_TIMEOUT, attempts: int = 4, backoff: float = 0.5,
                 backoff_max: float = 10.0, sleep: Callable[[float], None] = time.sleep):
        self.address = address.rstrip("/")
        self.uuid = uuid
        self.token = token
        self.timeout = timeout
        self.attempts = attempts
        self.backoff = backoff
        self.backoff_max = backoff_max
        self._sleep = sleep
        self._local = threading.local()  # requests.Session is not thread-safe

    @property
    def session(self) -> requests.Session:
        session = getattr(self._local, "session", None)
        if session is None:
            session = self._local.session = requests.Session()
            session.headers["User-Agent"] = runner_version()
        return session

    # --- transport -------------------------------------------------------------------------

    def call(self, service: str, method: str, body: dict, *, timeout: float | None = None,
             attempts: int | None = None, authenticated: bool = True) -> dict:
        """One unary call, retried on transient failures; returns the decoded JSON reply."""
        attempts = self.attempts if attempts is None else max(1, attempts)
        for attempt in range(1, attempts + 1):
            try:
                return self._call_once(service, method, body, timeout, authenticated)
            except ConnectError as error:
                if not error.retryable or attempt == attempts:
                    raise
                delay = min(self.backoff_max, self.backoff * 2 ** (attempt - 1))
                delay *= random.uniform(0.8, 1.2)
                log.warning("%s/%s failed (%s), retrying in %.1fs (attempt %d of %d)",
                            service, method, error, delay, attempt + 1, attempts)
                self._sleep(delay)
        raise AssertionError("unreachable")

    def _call_once(self, service: str, method: str, body: dict, timeout: float | None,
                   authenticated: bool) -> dict:
        timeout = self.timeout if timeout is None else timeout
        headers = {"Content-Type": "application/json", "Connect-Protocol-Version": "1",
                   "Connect-Timeout-Ms": str(max(1, int(timeout * 1000)))}
        if authenticated:
            if not (self.uuid and self.token):
                raise ConnectError("unauthenticated", "this runner is not registered")
            headers["x-runner-uuid"] = self.uuid
            headers["x-runner-token"] = self.token
        url = f"{self.address}{API_PREFIX}{service}/{method}"
        try:
            # The read timeout leaves the server a moment past the deadline it was given.
            reply = self.session.post(url, data=json.dumps(body), headers=headers,
                                      timeout=(CONNECT_TIMEOUT, timeout + 5.0))
        except requests.ConnectTimeout as exc:
            raise ConnectError("unavailable", f"cannot reach {url}: {exc}") from None
        except requests.Timeout as exc:
            raise ConnectError("deadline_exceeded", f"no answer from {url} in time ({exc})") \
                from None
        except requests.RequestException as exc:
            raise ConnectError("unavailable", f"cannot reach {url}: {exc}") from None
        if reply.status_code == 200:
            try:
                decoded = reply.json()
            except ValueError:
                raise ConnectError("internal", f"{method}: the answer is not JSON "
                                   f"({reply.text[:200]!r})", 200) from None
            if not isinstance(decoded, dict):
                raise ConnectError("internal", f"{method}: the answer is not a JSON object", 200)
            return decoded
        raise _error_from_reply(reply, method)

    # --- runner.v1 -------------------------------------------------------------------------

    def register(self, name: str, token: str, labels: list[str], *, ephemeral: bool = False,
                 version: str | None = None) -> RunnerInfo:
        """Register with a registration token; the reply holds this runner's uuid and token.
        Not retried: a lost answer after a success would leave a second runner behind."""
        reply = self.call(protocol.RUNNER_SERVICE, "Register",
                          {"name": name, "token": token, "version": version or runner_version(),
                           "labels": labels, "ephemeral": ephemeral},
                          attempts=1, authenticated=False)
        return RunnerInfo.from_json(reply.get("runner"))

    def declare(self, labels: list[str], version: str | None = None) -> RunnerInfo:
        """Tell the server this runner's version and labels (called at every start)."""
        reply = self.call(protocol.RUNNER_SERVICE, "Declare",
                          {"version": version or runner_version(), "labels": labels})
        return RunnerInfo.from_json(reply.get("runner"))

    def fetch_task(self, tasks_version: int, timeout: float) -> tuple[Task | None, int]:
        """Ask for a job; the server may hold the call up to ``timeout`` (long-poll). Returns
        the task (or None) and the server's tasks version. Never retried here: the poller
        owns the cadence."""
        reply = self.call(protocol.RUNNER_SERVICE, "FetchTask",
                          {"tasksVersion": str(tasks_version)}, timeout=timeout, attempts=1)
        version = protocol.decode_int64(reply.get("tasksVersion"), "tasksVersion")
        task = reply.get("task")
        return (Task.from_json(task) if task else None), version

    def update_task(self, state: TaskState, outputs: dict[str, str] | None = None, *,
                    attempts: int | None = None) -> UpdateTaskReply:
        """Report the task's state (a heartbeat when the result is unspecified) and outputs
        not yet acknowledged."""
        reply = self.call(protocol.RUNNER_SERVICE, "UpdateTask",
                          {"state": state.to_json(), "outputs": dict(outputs or {})},
                          attempts=attempts)
        return UpdateTaskReply.from_json(reply)

    def update_log(self, task_id: int, index: int, rows: list[LogRow], no_more: bool = False,
                   *, attempts: int | None = None) -> int:
        """Append log rows starting at absolute line ``index``; returns the server's ack (the
        number of lines it holds)."""
        reply = self.call(protocol.RUNNER_SERVICE, "UpdateLog",
                          {"taskId": str(task_id), "index": str(index),
                           "rows": [row.to_json() for row in rows], "noMore": no_more},
                          attempts=attempts)
        return protocol.decode_int64(reply.get("ackIndex"), "ackIndex")

    # --- ping.v1 ---------------------------------------------------------------------------

    def ping(self, data: str = "plue-runner") -> str:
        """Check that the server speaks ping.v1; returns its greeting."""
        reply = self.call(protocol.PING_SERVICE, "Ping", {"data": data}, authenticated=False,
                          attempts=1)
        return str(reply.get("data") or "")


def _error_from_reply(reply: requests.Response, method: str) -> ConnectError:
    code, message = None, None
    try:
        body = reply.json()
        if isinstance(body, dict):
            code, message = body.get("code"), body.get("message")
    except ValueError:
        pass
    if not isinstance(code, str) or not code:
        code = _HTTP_TO_CODE.get(reply.status_code, "unknown")
    if not isinstance(message, str) or not message:
        message = f"{method} answered HTTP {reply.status_code}: {reply.text[:200]!r}"
    return ConnectError(code, message, reply.status_code)
