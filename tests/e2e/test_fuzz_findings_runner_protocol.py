"""runner.v1 bodies no runner sends but a client can: each was a 500 (a traceback in the log).

* A step's ``result`` outside runner.v1's ``Result`` enum (proto3 keeps unknown values), or a
  negative step number: ``status_from_result`` raised, PostgreSQL stored nonsense. Now a 400
  naming the step, and nothing of the report is stored. (Numbers past 2**31 - 1 are runner.v1's
  int64 and are stored: tests/plugins/actions/test_step_numbers_int64.py.)
* A Timestamp outside years 1–9999 in the binary codec (the JSON codec checks the range,
  the binary one does not): ``ToDatetime`` raised.
* An UpdateLog of many rows: one ``INSERT`` of them all passed the database's limit of bound
  parameters.
* A NUL in a string field (PostgreSQL stores none) or in ``x-runner-uuid``: now a 400 naming the
  field (401 for the header); a log line keeps its text with U+FFFD for each NUL.
* A procedure the service does not have was a 501; it is connect-go's 404.
"""

from __future__ import annotations

import json

import falcon.testing
import pytest

from plue_core import create_app
from plue_core.testing import fresh_database_url, make_test_config, make_user, migrate
from plue_actions.models import LogLine, TaskStep
from plue_actions.protocol.messages import message_class
from plue_actions.testing import RUNNER_SERVICE, ActionsForge

pytestmark = pytest.mark.e2e

WORKFLOW = """on: [push]
jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - run: echo hi
"""


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("runner-protocol")
    with fresh_database_url(tmp_path) as url:
        app = create_app(make_test_config(tmp_path, url))
        migrate(app)
        make_user(app.plue, "alice")
        forge = ActionsForge(app.plue, falcon.testing.TestClient(app))
        assert forge.api("POST", "/user/repos", {"name": "demo", "auto_init": True}).status_code == 201
        runner = forge.runner()
        forge.push_file(".gitea/workflows/ci.yml", WORKFLOW)
        task = runner.fetch(timeout_ms=2000)
        assert task is not None
        try:
            yield forge, runner, int(task["id"])
        finally:
            app.plue.close()


def call(site, method: str, body, *, binary: bool = False, headers: dict | None = None):
    forge, runner, _task = site
    content_type = "application/proto" if binary else "application/json"
    return forge.client.simulate_post(
        f"{RUNNER_SERVICE}/{method}", body=body if binary else json.dumps(body),
        headers={"Content-Type": content_type, **runner.headers, **(headers or {})})


def assert_refused(response, status: int, code: str, *words: str) -> None:
    assert response.status_code == status, response.text
    assert response.json["code"] == code and set(response.json) == {"code", "message"}
    for word in words:
        assert word in response.json["message"], response.json


@pytest.mark.parametrize("step, words", [
    ({"id": 0, "result": 99}, ("unknown result 99",)),
    ({"id": "-5"}, ("index must be 0 to",)),
    ({"id": 0, "logLength": "-1"}, ("log_length must be 0 to",)),
    ({"id": 0, "logIndex": "-4294967296"}, ("log_index must be 0 to",)),
])
def test_an_impossible_step_is_a_400_and_nothing_of_the_report_is_stored(site, step, words):
    task = site[2]
    response = call(site, "UpdateTask", {"state": {"id": str(task), "steps": [step]},
                                         "outputs": {"half": "written"}})
    assert_refused(response, 400, "invalid_argument", *words)
    kept = call(site, "UpdateTask", {"state": {"id": str(task)}})
    assert kept.status_code == 200 and "half" not in kept.json.get("sentOutputs", [])
    assert not TaskStep.select().where(TaskStep.task == task, TaskStep.index != 0).exists()


@pytest.mark.parametrize("method, fill, field", [
    ("UpdateTask", lambda m, task: setattr(m.state.started_at, "seconds", 2 ** 62), "state.started_at"),
    ("UpdateTask", lambda m, task: setattr(m.state.stopped_at, "nanos", -5), "state.stopped_at"),
    ("UpdateTask", lambda m, task: setattr(m.state.steps.add().started_at, "seconds", -2 ** 62),
     "state.steps.started_at"),
    ("UpdateLog", lambda m, task: setattr(m.rows.add(content="x").time, "seconds", 2 ** 60),
     "rows.time"),
])
def test_a_binary_timestamp_past_year_9999_is_a_400_naming_it(site, method, fill, field):
    task = site[2]
    message = message_class(f"runner.v1.{method}Request")()
    if method == "UpdateTask":
        message.state.id = task
    else:
        message.task_id = task
    fill(message, task)
    response = call(site, method, message.SerializeToString(), binary=True)
    assert_refused(response, 400, "invalid_argument", field, "Timestamp is not valid")


@pytest.mark.parametrize("method, body, field", [
    ("Register", {"token": "a\u0000b", "name": "x"}, "token"),
    ("Declare", {"version": "v\u0000", "labels": ["x"]}, "version"),
    ("Declare", {"labels": ["ok", "l\u0000"]}, "labels[1]"),
    ("UpdateTask", {"state": {"id": "0"}, "outputs": {"a\u0000b": "x"}}, "outputs["),
    ("UpdateTask", {"state": {"id": "0"}, "outputs": {"k": "x\u0000y"}}, "outputs['k']"),
])
def test_a_nul_in_a_string_field_is_a_400_naming_it(site, method, body, field):
    assert_refused(call(site, method, body), 400, "invalid_argument", field, "NUL")


def test_a_nul_in_the_runner_uuid_names_no_runner(site):
    response = call(site, "FetchTask", {}, headers={"x-runner-uuid": "a\u0000b"})
    assert_refused(response, 401, "unauthenticated", "unregistered runner")


def test_a_log_line_holding_nul_is_kept_with_a_replacement_character(site):
    task = site[2]
    ack = int(call(site, "UpdateLog", {"taskId": str(task), "index": "0"}).json.get("ackIndex", 0))
    response = call(site, "UpdateLog", {"taskId": str(task), "index": str(ack),
                                        "rows": [{"content": "before\u0000after"}]})
    assert response.status_code == 200, response.text
    line = LogLine.get((LogLine.task == task) & (LogLine.index == ack))
    assert line.content == "before\ufffdafter"


def test_an_update_log_of_sixty_four_thousand_rows_is_stored(site):
    # Four columns a row: 256,000 parameters in one statement, past SQLite's limit (32,766,
    # or 250,000 as Debian builds it).
    task = site[2]
    ack = int(call(site, "UpdateLog", {"taskId": str(task), "index": "0"}).json.get("ackIndex", 0))
    rows = [{"content": f"line {n}"} for n in range(64000)]
    response = call(site, "UpdateLog", {"taskId": str(task), "index": str(ack), "rows": rows})
    assert response.status_code == 200, response.text
    assert int(response.json["ackIndex"]) == ack + 64000
    assert LogLine.select().where(LogLine.task == task).count() == ack + 64000


def test_an_unknown_procedure_is_connect_gos_404(site):
    assert_refused(call(site, "FetchSomething", {}), 404, "not_found", "no method 'FetchSomething'")
