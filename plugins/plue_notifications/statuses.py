"""A thread's status and kind, as Gitea stores them (its NotificationStatus values) and as its
API names them (``status-types``, ``to-status``, ``subject-type``)."""

UNREAD, READ, PINNED = 1, 2, 3
BY_NAME = {"unread": UNREAD, "read": READ, "pinned": PINNED}
# Gitea's NotificationSource, as its ``subject-type`` query names it; only issues and pull
# requests make threads here.
ISSUE, PULL = "issue", "pull"
SOURCES = ("issue", "pull", "commit", "repository")


def codes(names) -> tuple[int, ...] | None:
    """The stored statuses of these names (None: every status)."""
    return None if names is None else tuple(BY_NAME[name] for name in names)
