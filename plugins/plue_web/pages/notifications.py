"""The signed-in user's notifications page (``/notifications``, Gitea's URL): their unread and
pinned threads (``?all=1``: every one), newest first, with "mark read" for one thread or
all; the threads, their order and who may see them are the notifications plugin's."""

from __future__ import annotations

import falcon

from plue_core.pagination import Page as ListPage

from plue_web.pages.base import Page, Paging, row_id


class NotificationsPage(Page):
    def on_get(self, req, resp):
        identity = self.require_signed_in(req)
        service = self.face.ctx.services["notifications"]
        every = req.get_param("all") == "1"
        page = ListPage(self.page_number(req), self.page_size)
        rows, total = service.page(
            service.thread_filter(identity, statuses=None if every else ("unread", "pinned")),
            page)
        threads = service.threads_json(rows, identity)
        self.render(req, resp, "notifications.html", threads=threads, every=every,
                    paging=Paging(page.page, page.limit, total),
                    base="/notifications?" + ("all=1&" if every else ""))


class MarkReadPage(Page):
    """POST ``thread``: that thread read; without it, every unread thread read."""

    def on_post(self, req, resp):
        identity = self.require_signed_in(req)
        service = self.face.ctx.services["notifications"]
        thread = self.form(req).get("thread")
        if thread:
            service.mark_thread(identity, row_id(thread), "read")
        else:
            service.mark_threads(service.thread_filter(identity, statuses=("unread",)), "read")
        raise falcon.HTTPSeeOther("/notifications")
