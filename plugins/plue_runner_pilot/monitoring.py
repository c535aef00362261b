"""Seed 001 section 6: an instance's metrics from the Docker stats API and its logs from the
container's log stream."""

from __future__ import annotations

import re

from plue_core.db import utcnow
from plue_core.errors import Conflict
from plue_core.timestamps import rfc3339
from plue_runner_pilot.instances import container_of, node_of

MAX_LOG_LINES = 10000

_LEVELS = {"TRACE": "DEBUG", "DEBUG": "DEBUG", "INFO": "INFO", "NOTICE": "INFO",
           "WARN": "WARN", "WARNING": "WARN", "ERROR": "ERROR", "ERR": "ERROR",
           "FATAL": "ERROR", "CRITICAL": "ERROR", "PANIC": "ERROR"}
_WORDS = "|".join(_LEVELS)
# An upper-case level word anywhere ("... INFO Listening", "[WARN]"), or a lower-case one in
# the usual spots ("level=error", "[warn]", "error: ..." at the start).
_LEVEL = re.compile(rf"\b({_WORDS})\b|(?i:level=({_WORDS})\b|\[({_WORDS})\]|^({_WORDS}):)")


def cpu_percent(stats: dict) -> float:
    """CPU used between the two samples, as a percent of the node's whole capacity (docker
    stats' CPU % divided by the CPU count, so 100 means every core busy)."""
    cpu, pre = stats.get("cpu_stats") or {}, stats.get("precpu_stats") or {}
    cpu_delta = (cpu.get("cpu_usage") or {}).get("total_usage", 0) - \
        (pre.get("cpu_usage") or {}).get("total_usage", 0)
    system_delta = cpu.get("system_cpu_usage", 0) - pre.get("system_cpu_usage", 0)
    if cpu_delta <= 0 or system_delta <= 0:
        return 0.0
    return round(min(100.0, cpu_delta / system_delta * 100.0), 4)


def memory_percent(stats: dict) -> float:
    """Memory in use (minus reclaimable page cache, as ``docker stats`` counts it) as a percent
    of the container's limit (the node's memory when the container has no limit)."""
    memory = stats.get("memory_stats") or {}
    limit = memory.get("limit") or 0
    if not limit:
        return 0.0
    details = memory.get("stats") or {}
    cache = details.get("total_inactive_file", details.get("inactive_file", 0))  # cgroup v1, v2
    used = max(0, memory.get("usage", 0) - cache)
    return round(min(100.0, used / limit * 100.0), 4)


def disk_percent(size_rw: int, quota_mb: int) -> float:
    """The container's writable layer as a percent of the configured quota (may pass 100:
    Plue reports the quota, it does not enforce it)."""
    return round((size_rw or 0) / (quota_mb * 1024 * 1024) * 100.0, 2)


def writable_layer_size(client, container_id: str) -> int:
    """``SizeRw`` of the container: the SDK's inspect has no ``size`` argument, so this asks
    the public container listing (``GET /containers/json?size=1``) for this one id."""
    listed = client.api.containers(all=True, size=True, filters={"id": container_id})
    return next((row.get("SizeRw") or 0 for row in listed if row.get("Id") == container_id), 0)


def metrics(service, instance) -> dict:
    """One stats sample (the engine waits for a second reading, so CPU has a delta)."""
    with service.nodes.docker_client(node_of(instance)) as client:
        container = container_of(client, instance)
        if container is None:
            raise _gone(instance)
        stats = container.stats(stream=False)
        size_rw = writable_layer_size(client, container.id)
    return {"cpu_usage": cpu_percent(stats), "memory_usage": memory_percent(stats),
            "disk_usage": disk_percent(size_rw, service.settings["disk_quota_mb"]),
            "timestamp": rfc3339(utcnow())}


def _gone(instance) -> Conflict:
    return Conflict(f"the container {instance.instance_identifier!r} of this instance no longer "
                    f"exists on node {instance.node.name!r}; delete the instance")


def level_of(message: str) -> str:
    match = _LEVEL.search(message)
    if not match:
        return "INFO"
    word = next(group for group in match.groups() if group)
    return _LEVELS[word.upper()]


def _sort_key(line: str) -> str:
    """Docker's RFC 3339 nano stamp with the fraction padded (it trims trailing zeros)."""
    stamp = line.partition(" ")[0].rstrip("Z")
    seconds, _, fraction = stamp.partition(".")
    return f"{seconds}.{fraction:0<9}"


def parse_log_line(line: str) -> dict:
    """``2025-10-15T12:18:00.123456789Z message`` (docker's timestamps=True form)."""
    stamp, _, message = line.partition(" ")
    if len(stamp) >= 19 and stamp[4] == "-" and stamp[10] == "T":
        stamp = stamp[:19] + "Z"
    else:  # no timestamp prefix (should not happen with timestamps=True): keep the whole line
        stamp, message = rfc3339(utcnow()), line
    return {"timestamp": stamp, "level": level_of(message), "message": message}


def logs(service, instance, lines: int | None) -> list[dict]:
    """The last ``lines`` lines of stdout and stderr (as the engine stored them), oldest first."""
    tail = lines or service.settings["default_log_lines"]
    with service.nodes.docker_client(node_of(instance)) as client:
        container = container_of(client, instance)
        if container is None:
            raise _gone(instance)
        raw = container.logs(stdout=True, stderr=True, timestamps=True, tail=tail)
    text = raw.decode("utf-8", errors="replace")
    # stdout and stderr reach the engine's log through two pipes, so its order can differ
    # from the order of writing: sort by docker's nanosecond timestamps (a stable sort).
    stamped = sorted((line.rstrip("\r") for line in text.split("\n") if line.strip()),
                     key=_sort_key)
    return [parse_log_line(line) for line in stamped]
