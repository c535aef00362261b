"""Does an event trigger a workflow? ``on:`` filters, and ``[skip ci]`` in commit messages."""

from __future__ import annotations

from dataclasses import dataclass

from plue_workflows.document import Workflow
from plue_workflows.triggers import PULL_REQUEST_EVENTS, Trigger

SKIP_CI_MARKERS = ("[skip ci]", "[ci skip]", "[no ci]", "[skip actions]", "[actions skip]")
_ACTION_ALIASES = {"synchronized": "synchronize"}  # Gitea's webhook spelling


@dataclass(frozen=True)
class TriggeringEvent:
    """The facts about an event that workflow filters look at.

    ``ref`` is the full ref (``refs/heads/main``, ``refs/tags/v1``); for pull requests
    ``base_ref`` is the target branch. ``changed_files`` are repository paths, None when they
    are unknown (then path filters do not hold a workflow back). ``commit_message`` is the
    head commit's message and ``title`` a pull request's title, both checked for skip markers.
    """

    name: str
    ref: str = ""
    action: str | None = None
    base_ref: str | None = None
    changed_files: tuple[str, ...] | None = None
    commit_message: str = ""
    title: str = ""
    deleted: bool = False  # a push that deleted the ref


def short_ref(ref: str, prefix: str) -> str | None:
    """``main`` for ``refs/heads/main`` with prefix ``refs/heads/``; None if it does not fit."""
    return ref[len(prefix):] if ref.startswith(prefix) else None


def skip_ci_requested(event: TriggeringEvent) -> bool:
    """Whether a push or pull request asks not to run workflows ([skip ci] and friends)."""
    if event.name != "push" and event.name not in PULL_REQUEST_EVENTS:
        return False
    text = f"{event.commit_message}\n{event.title}"
    return any(marker in text for marker in SKIP_CI_MARKERS)


def _push_matches(trigger: Trigger, event: TriggeringEvent) -> bool:
    if event.deleted:
        return False
    branch, tag = short_ref(event.ref, "refs/heads/"), short_ref(event.ref, "refs/tags/")
    has_branch_filter = trigger.branches is not None or trigger.branches_ignore is not None
    has_tag_filter = trigger.tags is not None or trigger.tags_ignore is not None
    if branch is not None:
        if has_branch_filter:
            if trigger.branches is not None and not trigger.branches.selects(branch):
                return False
            if trigger.branches_ignore is not None and trigger.branches_ignore.selects(branch):
                return False
        elif has_tag_filter:
            return False  # only tags were asked for
        return _paths_match(trigger, event)
    if tag is not None:
        if has_tag_filter:
            if trigger.tags is not None and not trigger.tags.selects(tag):
                return False
            if trigger.tags_ignore is not None and trigger.tags_ignore.selects(tag):
                return False
        elif has_branch_filter:
            return False  # only branches were asked for
        return True  # path filters are not evaluated for tags
    return not (has_branch_filter or has_tag_filter)


def _paths_match(trigger: Trigger, event: TriggeringEvent) -> bool:
    if event.changed_files is None:
        return True
    if trigger.paths is not None and not trigger.paths.selects_any(event.changed_files):
        return False
    if trigger.paths_ignore is not None and trigger.paths_ignore.selects_all(event.changed_files):
        return False
    return True


def _pull_request_matches(trigger: Trigger, event: TriggeringEvent) -> bool:
    action = _ACTION_ALIASES.get(event.action or "", event.action)
    if action not in trigger.types:
        return False
    base = event.base_ref or ""
    base = short_ref(base, "refs/heads/") or base
    if trigger.branches is not None and not trigger.branches.selects(base):
        return False
    if trigger.branches_ignore is not None and trigger.branches_ignore.selects(base):
        return False
    return _paths_match(trigger, event)


def trigger_matches(trigger: Trigger, event: TriggeringEvent) -> bool:
    """Whether one trigger's filters accept the event (the event names must be equal)."""
    if trigger.event != event.name:
        return False
    if event.name == "push":
        return _push_matches(trigger, event)
    if event.name in PULL_REQUEST_EVENTS:
        return _pull_request_matches(trigger, event)
    if trigger.types and event.action is not None:
        return event.action in trigger.types
    return True


def workflow_matches(workflow: Workflow, event: TriggeringEvent) -> bool:
    """Whether the workflow runs for the event: a trigger accepts it and no skip marker."""
    trigger = workflow.triggers.get(event.name)
    if trigger is None or skip_ci_requested(event):
        return False
    return trigger_matches(trigger, event)
