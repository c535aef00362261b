"""Monitoring's, RunnerHub's and security's bodies list their fields once: their shapes read
psutil, the database, the rows and one request's record as they render, not a dict a module
gathered first under the same keys (``item`` fields)."""

from __future__ import annotations

import pytest

from plue_core.shapes import Shape, integer, item, nested, obj
from plue_monitoring import schemas as monitoring
from plue_runnerhub import schemas as runnerhub
from plue_security import schemas as security

MONITORING_FROM_ROWS = [
    monitoring.SYSTEM_METRICS_SHAPE, monitoring.APPLICATION_METRICS_SHAPE,
    monitoring.PERFORMANCE_METRICS_SHAPE, monitoring.METRICS_SHAPE,
    monitoring.RUNNER_COUNTS_SHAPE, monitoring.RECENT_FAILURE_SHAPE,
    monitoring.REQUEST_METRICS_SHAPE, monitoring.DASHBOARD_SHAPE,
]


def every_shape(module) -> list[Shape]:
    """The shapes a schemas module declares (its envelopes read ``hub_success``'s dict)."""
    return [value for name, value in vars(module).items()
            if isinstance(value, Shape) and not name.endswith("_ENVELOPE")]


READ_FROM_ROWS = MONITORING_FROM_ROWS + every_shape(runnerhub) + every_shape(security)


def reads_a_key(source) -> bool:
    """``item(key)``'s getter, or a nested field's getter around one."""
    if getattr(source, "__name__", "").startswith("item_"):
        return True
    return any(getattr(cell.cell_contents, "__name__", "").startswith("item_")
               for cell in getattr(source, "__closure__", None) or ())


def gathered_keys(shape) -> list[str]:
    """The fields that read a key of a dict gathered first (``item``)."""
    return [field.name for field in shape.fields if reads_a_key(field.source)]


@pytest.mark.parametrize("shape", READ_FROM_ROWS, ids=lambda shape: shape.name)
def test_the_shape_reads_no_gathered_dict(shape):
    assert gathered_keys(shape) == []


def test_every_runnerhub_and_security_body_is_checked():
    names = {shape.name for shape in READ_FROM_ROWS}
    assert {"HubJob", "ExternalHubJobDetail", "HubJobPage", "HubDelegation", "HubJobLog",
            "HubQueues", "HubQueueCleared", "ImageScan", "SecretScan",
            "SecurityStatus"} <= names


def test_the_check_finds_a_gathered_dict():
    # StatusCounts reads activity.by_status's {label: count}, whose keys are STATUS_LABELS:
    # written once, so it stays a dict.
    assert gathered_keys(monitoring.STATUS_COUNTS_SHAPE) == list(
        dict.fromkeys(monitoring.STATUS_LABELS.values()))
    inner = Shape("GatheredInner", [integer("n", item("n"))])
    assert gathered_keys(Shape("Gathered", [nested(obj, "inner", item("inner"), shape=inner)])) \
        == ["inner"]
