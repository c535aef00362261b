"""Gitea's webhook event types, and which ``events`` of a hook select which of them.

The type is what ``X-Gitea-Event-Type`` says (``pull_request_review_approved``); the header
event (``X-Gitea-Event``, ``X-GitHub-Event``) is Gitea's coarser name for it
(``pull_request_approved``, ``issues`` for every issue event). A hook's ``events`` lists
types, plus Gitea's group names: ``issues`` selects every issue event, ``pull_request`` every
pull request event, ``pull_request_review`` the three review verdicts."""

from __future__ import annotations

ISSUE_TYPES = ("issues", "issue_assign", "issue_label", "issue_milestone", "issue_comment")
REVIEW_TYPES = ("pull_request_review_approved", "pull_request_review_rejected",
                "pull_request_review_comment")
PULL_TYPES = ("pull_request", "pull_request_assign", "pull_request_label",
              "pull_request_milestone", "pull_request_comment", "pull_request_sync",
              "pull_request_review_request", *REVIEW_TYPES)
BUILT_IN_TYPES = ("push", "create", "delete", "fork", "repository", *ISSUE_TYPES, *PULL_TYPES,
                  "status", "workflow_run", "workflow_job")
GROUPS = {"issues": ISSUE_TYPES, "pull_request": PULL_TYPES,
          "pull_request_review": REVIEW_TYPES,
          "issues_only": ("issues",), "pull_request_only": ("pull_request",)}
# Gitea's HookEventType.Event(): the header name of each type that is not its own.
HEADER_EVENTS = {
    "issue_assign": "issues", "issue_label": "issues", "issue_milestone": "issues",
    "pull_request_assign": "pull_request", "pull_request_label": "pull_request",
    "pull_request_milestone": "pull_request", "pull_request_sync": "pull_request",
    "pull_request_review_request": "pull_request",
    "pull_request_comment": "issue_comment",
    "pull_request_review_approved": "pull_request_approved",
    "pull_request_review_rejected": "pull_request_rejected",
    "pull_request_review_comment": "pull_request_comment",
}
# What Gitea's Hook.events shows for a chosen name (its EventsArray of the switches the name
# set): a group expands to its members, "pull_request" naming its reviews as the one switch
# "pull_request_review"; "issues_only"/"pull_request_only" show as the single type.
SHOWN = {"issues": ISSUE_TYPES, "issues_only": ("issues",),
         "pull_request": ("pull_request", "pull_request_assign", "pull_request_label",
                          "pull_request_milestone", "pull_request_comment",
                          "pull_request_review", "pull_request_review_request",
                          "pull_request_sync"),
         "pull_request_only": ("pull_request",)}
# Events that carry a branch, so a hook's branch_filter applies to them (Gitea's rule).
BRANCH_FILTERED = ("push", "create", "delete", *PULL_TYPES)


def header_event(event_type: str) -> str:
    return HEADER_EVENTS.get(event_type, event_type)


def selectable(extra_types: list[str]) -> set[str]:
    """Every name a hook's ``events`` may hold, the plugins' own event types included."""
    return {*BUILT_IN_TYPES, *GROUPS, *extra_types}


def shown(chosen: list[str]) -> list[str]:
    """Gitea's ``Hook.events`` for a hook that chose ``chosen``. Chosen again, the list
    selects the same events, but for Gitea's own ambiguity: ``issues_only`` shows as
    ``issues``, which chosen means every issue event (``pull_request_only`` likewise)."""
    return list(dict.fromkeys(name for chosen_name in chosen
                              for name in SHOWN.get(chosen_name, (chosen_name,))))


def selects(chosen: list[str], event_type: str) -> bool:
    """Whether a hook that chose ``chosen`` receives ``event_type``."""
    for name in chosen:
        if name == event_type or event_type in GROUPS.get(name, ()):
            return True
    return False
