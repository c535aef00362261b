"""workflow_dispatch inputs and schedule cron lines."""

import datetime
import textwrap

import pytest

from plue_workflows import (
    CronError,
    DispatchInputError,
    WorkflowError,
    parse_cron,
    parse_workflow,
    resolve_dispatch_inputs,
)

JOBS = "jobs:\n  a:\n    runs-on: x\n    steps: [{run: x}]\n"
UTC = datetime.timezone.utc


def dispatch_inputs(inputs_yaml):
    text = "on:\n  workflow_dispatch:\n    inputs:\n" + textwrap.indent(
        textwrap.dedent(inputs_yaml).strip(), "      ") + "\n" + JOBS
    return parse_workflow(text, "deploy.yml").triggers["workflow_dispatch"].inputs


DECLARED = """
logLevel:
  description: Log level
  required: true
  default: warning
  type: choice
  options: [info, warning, debug]
print_tags:
  type: boolean
  required: true
tags:
  description: Test scenario tags
  required: false
retries:
  type: number
  default: 2
environment:
  type: environment
"""


def test_inputs_are_declared_with_types_defaults_and_options():
    inputs = dispatch_inputs(DECLARED)
    assert inputs["logLevel"].type == "choice"
    assert inputs["logLevel"].options == ("info", "warning", "debug")
    assert inputs["logLevel"].default == "warning"
    assert inputs["print_tags"].required is True
    assert inputs["tags"].type == "string"


def test_resolved_inputs_are_typed_and_defaulted():
    resolved = resolve_dispatch_inputs(dispatch_inputs(DECLARED), {
        "print_tags": "true", "tags": "smoke", "retries": "5"})
    assert resolved == {"logLevel": "warning", "print_tags": True, "tags": "smoke",
                        "retries": 5, "environment": ""}


def test_omitted_optional_inputs_get_empty_values():
    resolved = resolve_dispatch_inputs(dispatch_inputs(DECLARED), {"print_tags": False})
    assert resolved["tags"] == "" and resolved["print_tags"] is False and resolved["retries"] == 2


def test_bad_dispatch_inputs_are_all_named():
    with pytest.raises(DispatchInputError) as caught:
        resolve_dispatch_inputs(dispatch_inputs(DECLARED), {
            "logLevel": "trace", "retries": "many", "extra": 1})
    message = str(caught.value)
    assert "Unexpected inputs provided: ['extra']" in message
    assert "Required input 'print_tags' not provided" in message
    assert "Input 'logLevel' must be one of ['info', 'warning', 'debug'], got 'trace'" in message
    assert "Input 'retries' must be a number, got 'many'" in message
    assert caught.value.status == 422


def test_a_boolean_input_refuses_other_words():
    inputs = dispatch_inputs("flag:\n  type: boolean")
    with pytest.raises(DispatchInputError, match="Input 'flag' must be true or false, got 'yes'"):
        resolve_dispatch_inputs(inputs, {"flag": "yes"})


@pytest.mark.parametrize("declaration, expected", [
    ("x:\n  type: text", "deploy.yml: on.workflow_dispatch.inputs.x.type: unknown input type 'text'"),
    ("x:\n  type: choice", "deploy.yml: on.workflow_dispatch.inputs.x.options: a choice input needs"),
    ("x:\n  type: choice\n  options: [a]\n  default: b",
     "deploy.yml: on.workflow_dispatch.inputs.x.default: default 'b' is not one of the options"),
    ("x:\n  type: boolean\n  default: maybe",
     "deploy.yml: on.workflow_dispatch.inputs.x.default: a boolean input's default must be"),
    ("x:\n  type: number\n  default: lots",
     "deploy.yml: on.workflow_dispatch.inputs.x.default: a number input's default must be"),
    ("x:\n  colour: red", "deploy.yml: on.workflow_dispatch.inputs.x.colour: unknown key"),
])
def test_invalid_input_declarations_are_refused(declaration, expected):
    with pytest.raises(WorkflowError) as caught:
        dispatch_inputs(declaration)
    assert expected in str(caught.value)


def at(text):
    return datetime.datetime.fromisoformat(text).replace(tzinfo=UTC)


@pytest.mark.parametrize("cron, after, expected", [
    ("*/15 * * * *", "2024-01-01T00:00", "2024-01-01T00:15"),
    ("0 9 * * 1", "2024-01-01T10:00", "2024-01-08T09:00"),   # 1 = Monday, not Tuesday
    ("30 5 * * 0", "2024-01-01T00:00", "2024-01-07T05:30"),  # 0 = Sunday
    ("30 5 * * 7", "2024-01-01T00:00", "2024-01-07T05:30"),  # 7 = Sunday too
    ("0 0 * * 1-5", "2024-01-05T12:00", "2024-01-08T00:00"),  # Friday noon -> Monday
    ("0 0 * * */2", "2024-01-01T00:00", "2024-01-02T00:00"),  # Sun, Tue, Thu, Sat
    ("0 0 * * MON-WED", "2024-01-03T01:00", "2024-01-08T00:00"),
    ("0 0 13 * 5", "2024-01-01T00:00", "2024-01-05T00:00"),  # the 13th OR a Friday
    ("15 4 1 jan *", "2024-06-01T00:00", "2025-01-01T04:15"),
])
def test_cron_lines_fire_as_posix_cron_does(cron, after, expected):
    assert parse_cron(cron).next_after(at(after)) == at(expected)


@pytest.mark.parametrize("cron, message", [
    ("* * * *", "expected 5 fields"),
    ("60 * * * *", "minute 60 is outside 0-59"),
    ("0 24 * * *", "hour 24 is outside 0-23"),
    ("0 0 32 * *", "day 32 is outside 1-31"),
    ("0 0 * 13 *", "month 13 is outside 1-12"),
    ("0 0 * * 8", "day_of_week 8 is outside 0-7"),
    ("0 0 * * funday", "bad day_of_week field"),
    ("@daily", "expected 5 fields"),
    ("0 0 L * *", "bad day field"),
])
def test_invalid_cron_lines_are_refused(cron, message):
    with pytest.raises(CronError) as caught:
        parse_cron(cron)
    assert message in str(caught.value)
    assert repr(cron) in str(caught.value)


def test_schedules_are_read_from_the_workflow():
    workflow = parse_workflow(
        "on:\n  schedule:\n    - cron: '0 3 * * *'\n    - cron: '30 1 * * 6'\n" + JOBS, "nightly.yml")
    schedules = workflow.triggers["schedule"].schedules
    assert [schedule.expression for schedule in schedules] == ["0 3 * * *", "30 1 * * 6"]
