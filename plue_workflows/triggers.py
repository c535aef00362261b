"""The ``on:`` section: its string, list and mapping forms normalised to Trigger objects."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from plue_workflows.cron import CronError, CronSchedule, parse_cron
from plue_workflows.dispatch import DispatchInput, parse_dispatch_inputs
from plue_workflows.errors import Problems
from plue_workflows.patterns import PatternError, PatternList

KNOWN_EVENTS = frozenset({
    "branch_protection_rule", "check_run", "check_suite", "create", "delete", "deployment",
    "deployment_status", "discussion", "discussion_comment", "fork", "gollum", "issue_comment",
    "issues", "label", "merge_group", "milestone", "package", "page_build", "project",
    "project_card", "project_column", "public", "pull_request", "pull_request_review",
    "pull_request_review_comment", "pull_request_target", "push", "registry_package", "release",
    "repository_dispatch", "schedule", "status", "watch", "workflow_call", "workflow_dispatch",
    "workflow_run",
})
PULL_REQUEST_EVENTS = frozenset({"pull_request", "pull_request_target"})
PULL_REQUEST_TYPES = frozenset({
    "assigned", "unassigned", "labeled", "unlabeled", "opened", "edited", "closed", "reopened",
    "synchronize", "converted_to_draft", "ready_for_review", "locked", "unlocked",
    "review_requested", "review_request_removed", "auto_merge_enabled", "auto_merge_disabled",
    "milestoned", "demilestoned", "enqueued", "dequeued",
})
DEFAULT_PULL_REQUEST_TYPES = ("opened", "synchronize", "reopened")
_FILTERS = ("branches", "branches-ignore", "tags", "tags-ignore", "paths", "paths-ignore")
_ALLOWED_KEYS = {
    "push": set(_FILTERS),
    "pull_request": {"types", "branches", "branches-ignore", "paths", "paths-ignore"},
    "pull_request_target": {"types", "branches", "branches-ignore", "paths", "paths-ignore"},
    "workflow_dispatch": {"inputs"},
    "workflow_call": {"inputs", "outputs", "secrets"},
    "workflow_run": {"workflows", "types", "branches", "branches-ignore"},
}


@dataclass(frozen=True)
class Trigger:
    """One event of ``on:`` with its filters (None = filter not given)."""

    event: str
    types: tuple[str, ...] = ()
    branches: PatternList | None = None
    branches_ignore: PatternList | None = None
    tags: PatternList | None = None
    tags_ignore: PatternList | None = None
    paths: PatternList | None = None
    paths_ignore: PatternList | None = None
    inputs: dict[str, DispatchInput] = field(default_factory=dict)
    schedules: tuple[CronSchedule, ...] = ()
    workflows: tuple[str, ...] = ()  # workflow_run: names of the watched workflows


def _string_list(value: Any, location: str, problems: Problems) -> tuple[str, ...] | None:
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list) and value and all(isinstance(item, str) for item in value):
        return tuple(value)
    problems.add(location, "expected a string or a non-empty list of strings")
    return None


def _parse_event(event: str, config: Any, problems: Problems) -> Trigger | None:
    location = f"on.{event}"
    if event == "schedule":
        return _parse_schedule(config, problems)
    if config is None:
        types = DEFAULT_PULL_REQUEST_TYPES if event in PULL_REQUEST_EVENTS else ()
        return Trigger(event, types=types)
    if not isinstance(config, dict):
        problems.add(location, "expected a mapping of filters (or nothing)")
        return None
    allowed = _ALLOWED_KEYS.get(event, {"types"})
    for key in config:
        if key not in allowed:
            problems.add(f"{location}.{key}", f"unknown key; {event} accepts "
                         f"{', '.join(sorted(allowed))}")
    for key in ("branches", "tags", "paths"):
        if key in config and f"{key}-ignore" in config:
            problems.add(location, f"use either {key} or {key}-ignore, not both")
    filters: dict[str, PatternList] = {}
    for key in _FILTERS:
        if key in config and key in allowed:
            patterns = _string_list(config[key], f"{location}.{key}", problems)
            try:
                if patterns is not None:
                    filters[key.replace("-", "_")] = PatternList.compile(patterns)
            except PatternError as error:
                problems.add(f"{location}.{key}", str(error))
    types: tuple[str, ...] = ()
    if "types" in config:
        types = _string_list(config["types"], f"{location}.types", problems) or ()
        if event in PULL_REQUEST_EVENTS:
            for unknown in sorted(set(types) - PULL_REQUEST_TYPES):
                problems.add(f"{location}.types", f"unknown pull request activity type {unknown!r}")
    elif event in PULL_REQUEST_EVENTS:
        types = DEFAULT_PULL_REQUEST_TYPES
    inputs: dict[str, DispatchInput] = {}
    if event in ("workflow_dispatch", "workflow_call") and config.get("inputs") is not None:
        inputs = parse_dispatch_inputs(config["inputs"], f"{location}.inputs", problems)
    workflows: tuple[str, ...] = ()
    if event == "workflow_run" and "workflows" in config:
        workflows = _string_list(config["workflows"], f"{location}.workflows", problems) or ()
    return Trigger(event, types=types, inputs=inputs, workflows=workflows, **filters)


def _parse_schedule(config: Any, problems: Problems) -> Trigger | None:
    if not isinstance(config, list) or not config:
        problems.add("on.schedule", "expected a list of {cron: '...'} entries")
        return None
    schedules = []
    for index, entry in enumerate(config):
        location = f"on.schedule[{index}]"
        if not isinstance(entry, dict) or set(entry) != {"cron"}:
            problems.add(location, "expected a mapping with exactly one key, cron")
            continue
        try:
            schedules.append(parse_cron(entry["cron"]))
        except CronError as error:
            problems.add(f"{location}.cron", str(error))
    return Trigger("schedule", schedules=tuple(schedules))


def parse_triggers(on: Any, problems: Problems) -> dict[str, Trigger]:
    """Normalise ``on:`` (``push``, ``[push, pull_request]`` or a mapping) to event -> Trigger."""
    if isinstance(on, str):
        on = {on: None}
    elif isinstance(on, list):
        if not all(isinstance(item, str) for item in on):
            problems.add("on", "a list of events must hold event names only")
            return {}
        on = {item: None for item in on}
    elif not isinstance(on, dict):
        problems.add("on", "expected an event name, a list of events or a mapping")
        return {}
    if not on:
        problems.add("on", "at least one event is required")
    triggers: dict[str, Trigger] = {}
    for event, config in on.items():
        if event not in KNOWN_EVENTS:
            problems.add(f"on.{event}", f"unknown event {event!r}")
            continue
        trigger = _parse_event(event, config, problems)
        if trigger is not None:
            triggers[event] = trigger
    return triggers
