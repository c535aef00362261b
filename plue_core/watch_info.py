"""Gitea's ``WatchInfo``, one component for its two uses: a caller's watch of a repository
(git_hosting: always subscribed, not watching is a 404) and their subscription to an issue
(issues: ``ignored`` the opposite of ``subscribed``). Rendered from a dict of
``subscribed``, ``created_at`` (the repository's or issue's creation, as Gitea's), ``url``
(where the subscription is managed) and ``repository_url``."""

from __future__ import annotations

from plue_core.shapes import Shape, boolean, obj, string, time
from plue_core.timestamps import rfc3339

WATCH_INFO_SHAPE = Shape("WatchInfo", [
    boolean("subscribed", lambda info, _: info["subscribed"]),
    boolean("ignored", lambda info, _: not info["subscribed"]),
    obj("reason", const=None, nullable=True),
    time("created_at", lambda info, _: rfc3339(info["created_at"])),
    string("url", lambda info, _: info["url"]),
    string("repository_url", lambda info, _: info["repository_url"]),
], description="Gitea's WatchInfo")


def watch_info(subscribed: bool, created_at, url: str, repository_url: str) -> dict:
    return WATCH_INFO_SHAPE({"subscribed": subscribed, "created_at": created_at, "url": url,
                             "repository_url": repository_url})
