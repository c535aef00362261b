"""Gitea's notifications API: a user's threads (``/notifications``), one thread, the unread
count, and a repository's threads; Gitea's query parameters, read as Gitea reads them."""

from __future__ import annotations

import falcon

from plue_core.errors import BadRequest, Invalid
from plue_core.identity import require_identity
from plue_core.list_query import form_bool, form_strings
from plue_core.openapi import operation
from plue_core.pagination import Page
from plue_core.timestamps import parse_rfc3339

from plue_notifications.statuses import BY_NAME, SOURCES
from plue_notifications.schemas.shapes import NOTIFICATION_COUNT_SHAPE, NOTIFICATION_THREAD_SHAPE

TAGS = ("notification",)
LIST_QUERY = ("all", "status-types", "subject-type", "since", "before", "page", "limit")
READ_QUERY = ("last_read_at", "all", "status-types", "to-status")
def _status(text: str) -> str:
    """A status name as Gitea reads it (any case, spaces around), "" when it is none."""
    name = text.strip().lower()
    return name if name in BY_NAME else ""


def statuses(req, default: tuple[str, ...]) -> tuple[str, ...] | None:
    """``status-types`` (``default`` when absent) unless ``all`` is true; unknown values are
    skipped, and none known means every status (Gitea's statusStringsToNotificationStatuses)."""
    if form_bool(req, "all"):
        return None
    found = tuple(name for name in map(_status, form_strings(req, "status-types") or default)
                  if name)
    return found or None


def sources(req) -> tuple[str, ...] | None:
    """``subject-type``: unknown values skipped, none known means every kind (commits and
    repositories make no threads here, so asking for them alone finds none)."""
    found = tuple(value.lower() for value in form_strings(req, "subject-type")
                  if value.lower() in SOURCES)
    return found or None


def query_time(req, name: str):
    """``since`` / ``before``: RFC 3339, else 422 (Gitea's GetQueryBeforeSince)."""
    raw = req.get_param(name)
    if not raw:
        return None
    try:
        return parse_rfc3339(raw)
    except ValueError:
        raise Invalid(f"query parameter {name!r} must be an RFC 3339 date-time such as "
                      f"2024-01-31T12:00:00Z, got {raw!r}") from None


def last_read_at(req):
    """PUT's ``last_read_at``: RFC 3339, else 400 (Gitea's)."""
    raw = req.get_param("last_read_at")
    if not raw:
        return None
    try:
        return parse_rfc3339(raw)
    except ValueError:
        raise BadRequest(f"last_read_at must be an RFC 3339 date-time such as "
                         f"2024-01-31T12:00:00Z, got {raw!r}") from None


def to_status(req) -> str:
    return _status(req.get_param("to-status") or "") or "read"


class NotificationsApiResource:
    def __init__(self, ctx):
        self.ctx = ctx
        self.pagination = ctx.config.pagination

    @property
    def service(self):
        return self.ctx.services["notifications"]

    def caller(self, req):
        return require_identity(req, scope=("read" if req.method == "GET" else "write",
                                            "notification"))

    def repository_id(self, identity, owner, repo) -> int:
        """The repository's id, when the caller may read it (else 404)."""
        hosting = self.ctx.services["git_hosting"]
        return hosting.require_repository(identity, owner, repo).repository.id

    def list_threads(self, req, resp, identity, repository_id=None):
        where = self.service.thread_filter(
            identity, statuses=statuses(req, ("unread", "pinned")), sources=sources(req),
            since=query_time(req, "since"), before=query_time(req, "before"),
            repository_id=repository_id)
        page = Page.from_request(req, self.pagination)
        rows, total = self.service.page(where, page)
        page.set_headers(req, resp, total)
        resp.media = self.service.threads_json(rows, identity)

    def read_threads(self, req, resp, identity, repository_id=None):
        where = self.service.thread_filter(identity, statuses=statuses(req, ("unread",)),
                                           before=last_read_at(req), repository_id=repository_id)
        changed = self.service.mark_threads(where, to_status(req))
        resp.status = falcon.HTTP_205
        resp.media = self.service.threads_json(changed, identity)


class NotificationsResource(NotificationsApiResource):
    @operation("List users's notification threads", response=NOTIFICATION_THREAD_SHAPE,
               many=True, tags=TAGS, query=LIST_QUERY, operation_id="notifyGetList")
    def on_get(self, req, resp):
        self.list_threads(req, resp, self.caller(req))

    @operation("Mark notification threads as read, pinned or unread",
               response=NOTIFICATION_THREAD_SHAPE, many=True, status=205, tags=TAGS,
               query=READ_QUERY, operation_id="notifyReadList")
    def on_put(self, req, resp):
        self.read_threads(req, resp, self.caller(req))


class NewNotificationsResource(NotificationsApiResource):
    @operation("Check if unread notifications exist", response=NOTIFICATION_COUNT_SHAPE,
               tags=TAGS, operation_id="notifyNewAvailable")
    def on_get(self, req, resp):
        resp.media = NOTIFICATION_COUNT_SHAPE({"new": self.service.unread_count(self.caller(req))})


class ThreadResource(NotificationsApiResource):
    @operation("Get notification thread by ID", response=NOTIFICATION_THREAD_SHAPE, tags=TAGS,
               operation_id="notifyGetThread")
    def on_get(self, req, resp, thread_id):
        identity = self.caller(req)
        resp.media = self.service.thread_json(self.service.get_thread(identity, thread_id),
                                              identity)

    @operation("Mark notification thread as read by ID", response=NOTIFICATION_THREAD_SHAPE,
               status=205, tags=TAGS, query=("to-status",), operation_id="notifyReadThread")
    def on_patch(self, req, resp, thread_id):
        identity = self.caller(req)
        thread = self.service.mark_thread(identity, thread_id, to_status(req))
        resp.status = falcon.HTTP_205
        resp.media = self.service.thread_json(thread, identity)


class RepositoryNotificationsResource(NotificationsApiResource):
    @operation("List users's notification threads on a specific repo",
               response=NOTIFICATION_THREAD_SHAPE, many=True, tags=TAGS, query=LIST_QUERY,
               operation_id="notifyGetRepoList")
    def on_get(self, req, resp, owner, repo):
        identity = self.caller(req)
        self.list_threads(req, resp, identity, self.repository_id(identity, owner, repo))

    @operation("Mark notification threads as read, pinned or unread on a specific repo",
               response=NOTIFICATION_THREAD_SHAPE, many=True, status=205, tags=TAGS,
               query=READ_QUERY, operation_id="notifyReadRepoList")
    def on_put(self, req, resp, owner, repo):
        identity = self.caller(req)
        self.read_threads(req, resp, identity, self.repository_id(identity, owner, repo))
