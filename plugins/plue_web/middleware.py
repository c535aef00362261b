"""The web's middleware: who is signed in (the session cookie, for pages only — the APIs never
read it, so a cookie can never drive an API call), the CSRF check on every state-changing
page request, ``must_change_password``, the security headers, and errors as HTML pages."""

from __future__ import annotations

import falcon

from plue_core import families
from plue_core.errors import NotFound

from plue_web import csrf, sessions
from plue_web.face import SECURITY_HEADERS
from plue_web.pages.base import CHANGE_PASSWORD, Page

_SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def _wants_html(req) -> bool:
    return req.client_prefers([falcon.MEDIA_JSON, falcon.MEDIA_HTML]) == falcon.MEDIA_HTML


class WebMiddleware:
    def __init__(self, face):
        self.face = face

    def process_resource(self, req, resp, resource, params):
        if not isinstance(resource, Page):
            return
        if families.family_of_request(req) is not families.DEFAULT:
            # /api/... and the other families' paths are never pages, even when a page's
            # pattern (/{owner}/{repo}) matches them: they answer in their own shape.
            raise NotFound("Not Found")
        req.context.web_session = None
        secret = req.cookies.get(sessions.COOKIE)
        if req.context.identity is None and secret:
            row = sessions.find(secret)
            if row is not None:
                req.context.web_session = row
                req.context.identity = sessions.identity_of(row)
        if req.context.web_session is not None:
            req.context.csrf_seed = secret
        else:
            seed = req.cookies.get(csrf.ANONYMOUS_COOKIE)
            if not seed or len(seed) > 64:
                seed = csrf.new_seed()
                resp.set_cookie(csrf.ANONYMOUS_COOKIE, seed, **self.face.cookie_options)
            req.context.csrf_seed = seed
        if req.method not in _SAFE_METHODS:
            sent = req.get_header(csrf.HEADER) or resource.form(req).get(csrf.FIELD)
            csrf.check(self.face.secret_key, req.context.csrf_seed, sent)
        row = req.context.web_session
        if row is not None and row.user.must_change_password \
                and getattr(resource, "allowed_before_password_change", False) is False:
            raise falcon.HTTPSeeOther(CHANGE_PASSWORD)

    def process_response(self, req, resp, resource, req_succeeded):
        is_page = isinstance(resource, Page) and families.family_of_request(req) is families.DEFAULT
        unrouted_browser = (resource is None and families.family_of_request(req) is families.DEFAULT
                            and resp.status_code == 404 and _wants_html(req))
        if not (is_page or unrouted_browser):
            return
        for name, value in SECURITY_HEADERS.items():
            if resp.get_header(name) is None:  # a raw file sets a stricter policy of its own
                resp.set_header(name, value)
        if resp.status_code >= 400 and resp.content_type != falcon.MEDIA_HTML:
            body = resp.media if isinstance(resp.media, dict) else {}
            message = body.get("message") or body.get("error") or "error"
            if not hasattr(req.context, "csrf_seed"):
                req.context.csrf_seed = req.cookies.get(csrf.ANONYMOUS_COOKIE) or csrf.new_seed()
            status = resp.status
            resp.media = None
            self.face.page(req, resp, "error.html", status=status, code=resp.status_code,
                           message=message)
