"""How metrics and log lines are computed from what the Docker engine answers (the engine's
own shapes, as a cgroup v1 engine returned them here)."""

from __future__ import annotations

from plue_runner_pilot.monitoring import (
    cpu_percent, disk_percent, level_of, memory_percent, parse_log_line,
)

STATS = {
    "cpu_stats": {"cpu_usage": {"total_usage": 40254627}, "system_cpu_usage": 23480890000000,
                  "online_cpus": 2},
    "precpu_stats": {"cpu_usage": {"total_usage": 39307893}, "system_cpu_usage": 23478920000000,
                     "online_cpus": 2},
    "memory_stats": {"usage": 1871872, "limit": 25323552768,
                     "stats": {"inactive_file": 1048576, "total_inactive_file": 1048576}},
}


def test_cpu_is_the_share_of_the_whole_node_between_two_samples():
    # 946734 ns of container CPU over 1.97e9 ns of all cores' time.
    assert cpu_percent(STATS) == round(946734 / 1970000000 * 100, 4)


def test_cpu_of_a_stopped_container_is_zero():
    assert cpu_percent({"cpu_stats": {}, "precpu_stats": {}}) == 0.0


def test_memory_leaves_out_reclaimable_page_cache_like_docker_stats():
    assert memory_percent(STATS) == round((1871872 - 1048576) / 25323552768 * 100, 4)
    assert memory_percent({"memory_stats": {}}) == 0.0


def test_disk_is_the_writable_layer_against_the_quota_and_may_pass_100():
    assert disk_percent(1024 * 1024, 10) == 10.0
    assert disk_percent(0, 10) == 0.0
    assert disk_percent(20 * 1024 * 1024, 10) == 200.0


def test_levels_come_from_the_line_else_info():
    assert [level_of(m) for m in ("INFO started", "[WARN] slow", "level=error x", "error: boom",
                                  "FATAL crash", "DEBUG detail", "no errors found", "hello")] == \
        ["INFO", "WARN", "ERROR", "ERROR", "ERROR", "DEBUG", "INFO", "INFO"]


def test_log_lines_keep_the_message_and_docker_timestamp_to_the_second():
    assert parse_log_line("2025-10-15T12:18:00.123456789Z WARN Runner heartbeat delayed.") == {
        "timestamp": "2025-10-15T12:18:00Z", "level": "WARN",
        "message": "WARN Runner heartbeat delayed."}
