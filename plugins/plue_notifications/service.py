"""``ctx.services["notifications"]``: a user's notification threads (listed, counted, read,
marked) and their bodies; the threads are written by ``fan_out`` after a change commits."""

from __future__ import annotations

import logging

from plue_core.db import is_sqlite, write_transaction
from plue_core.errors import Forbidden, NotFound

from plue_notifications import fan_out, threads
from plue_notifications import statuses as statuses_module
from plue_notifications.activities import Activity
from plue_notifications.schemas.shapes import NOTIFICATION_THREAD_SHAPE, ThreadView
from plue_notifications.threads import ThreadFilter

log = logging.getLogger(__name__)


class NotificationsService:
    def __init__(self, ctx):
        self.ctx = ctx
        self.base_url = ctx.config.base_url.rstrip("/")
        self._unread_counts: dict = {}  # caller shape -> its compiled count

    @property
    def hosting(self):
        return self.ctx.services["git_hosting"]

    # --- writing: after the change's commit ----------------------------------------------

    def notify_after_commit(self, activity: Activity) -> None:
        """Tell ``activity``'s people once the transaction announcing it commits (at once
        outside one); a rolled-back change tells nobody. A failure here is logged, never the
        change's: it has committed already."""
        self.ctx.db.after_commit(lambda: self._notify(activity))

    def _notify(self, activity: Activity) -> None:
        try:
            self._in_own_transaction(lambda: fan_out.notify(self.ctx, activity))
        except Exception:
            log.exception("notifications of %s were not written", activity)

    def _in_own_transaction(self, work) -> None:
        db = self.ctx.db
        if not db.in_transaction():
            with write_transaction(db):
                work()
            return
        # peewee calls commit callbacks with the committed transaction still on its stack
        # (it would make ours a savepoint, which PostgreSQL refuses outside a transaction):
        # begun and ended by hand.
        if is_sqlite(db):
            db.begin("IMMEDIATE")
        else:
            db.begin()
        try:
            work()
        except BaseException:
            db.rollback()
            raise
        db.commit()

    # --- reading -------------------------------------------------------------------------

    def thread_filter(self, identity, *, statuses=None, **filters) -> ThreadFilter:
        """The threads of ``identity``'s user in the repositories they may still read;
        ``statuses``: names (``unread``, ``read``, ``pinned``), None for every status."""
        return ThreadFilter(user_id=identity.user_id, visible=self._visible(identity),
                            statuses=statuses_module.codes(statuses), **filters)

    def _visible(self, identity):
        # The form whose organizations are a subquery: no statement of its own.
        return self.hosting.visible_ids_of_shape(*self.hosting.visibility_shape(identity))

    def page(self, where: ThreadFilter, page) -> tuple[list, int]:
        """One page of the matching threads and how many match."""
        return list(page.apply(threads.threads(where))), threads.count(where)

    def unread_count(self, identity) -> int:
        """The caller's unread threads (one statement, compiled once per caller shape)."""
        shape, _ = self.hosting.visibility_shape(identity)
        count = self._unread_counts.get(shape)
        if count is None:
            count = self._unread_counts[shape] = threads.unread_count_query(
                lambda user_id: self.hosting.visible_ids_of_shape(shape, user_id))
        return count.scalar(identity.user_id)

    def get_thread(self, identity, thread_id: int):
        """The thread, for its user or a site administrator (Gitea's 403 for anyone else)."""
        thread = threads.find_thread(thread_id, self._visible(identity))
        if thread is None:
            raise NotFound(f"notification thread {thread_id} does not exist")
        if thread.user_id != identity.user_id and not identity.is_admin:
            raise Forbidden(f"only user itself and admin are allowed to read/change this "
                            f"thread {thread_id}")
        return thread

    def mark_thread(self, identity, thread_id: int, status: str):
        """Give the caller's own thread the status named ``status``."""
        thread = self.get_thread(identity, thread_id)
        if thread.user_id != identity.user_id:
            raise Forbidden(f"only the user itself may change thread {thread_id}")
        return threads.set_thread_status(thread, statuses_module.BY_NAME[status])

    def mark_threads(self, where: ThreadFilter, status: str) -> list:
        """Give every matching thread the status named ``status``; the changed ones (two
        statements however many)."""
        return threads.set_status(where, statuses_module.BY_NAME[status])

    def threads_json(self, rows, identity) -> list[dict]:
        """Gitea's ``NotificationThread`` of each row: a few statements for the whole page
        (each repository once; the issues, their latest comments and merged states at once)."""
        return NOTIFICATION_THREAD_SHAPE.many(rows, self._view(rows, identity))

    def thread_json(self, row, identity) -> dict:
        return NOTIFICATION_THREAD_SHAPE(row, self._view([row], identity))

    def _view(self, rows, identity) -> ThreadView:
        hosting, issues = self.hosting, self.ctx.services["issues"]
        repositories, rendered = {}, {}
        for repository_id in {row.repository_id for row in rows}:
            repository = hosting.get_repository_by_id(repository_id)
            body = hosting.repository_json(repository, identity)
            body.pop("permissions", None)  # Gitea: "not correct and we should not report it"
            repositories[repository_id] = repository
            rendered[repository_id] = (body, hosting.api_url(repository),
                                       hosting.html_url(repository))
        found = issues.issues_by_ids({row.issue_id for row in rows})
        for issue in found.values():
            issue.repository = repositories[issue.repository_id]
        pulls = [issue for issue in found.values() if issue.is_pull]
        merged = set()
        if pulls:
            for answer in self.ctx.plugins.hook.issue_pull_request_meta(ctx=self.ctx,
                                                                        issues=pulls):
                merged |= {issue_id for issue_id, part in (answer or {}).items()
                           if part.get("merged")}
        return ThreadView(self.base_url, rendered, found, issues.latest_comment_ids(found),
                          merged)
