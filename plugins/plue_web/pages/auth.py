"""Signing in and out, signing up, and the password change a new account may be held to:
Gitea's ``/user/login``, ``/user/logout``, ``/user/sign_up`` and
``/user/settings/change_password``. Passwords are checked by the accounts service, with the
same login throttle as every API family."""

from __future__ import annotations

import falcon

from plue_core.errors import Invalid, NotFound, TooManyRequests
from plue_core.identity import current_identity

from plue_web import sessions
from plue_web.pages.base import CHANGE_PASSWORD, Page, safe_redirect


class SessionPages(Page):
    def sign_in(self, req, resp, user, target: str) -> None:
        """Start a session for ``user`` and send the browser on (to the password change first
        when the account must change its password)."""
        secret, _ = sessions.start(user, self.face.settings["session_ttl_seconds"])
        self.accounts.touch_last_login(user)
        resp.set_cookie(sessions.COOKIE, secret, max_age=self.face.settings["session_ttl_seconds"],
                        **self.face.cookie_options)
        raise falcon.HTTPSeeOther(CHANGE_PASSWORD if user.must_change_password else target)


class LoginPage(SessionPages):
    allowed_before_password_change = True

    def on_get(self, req, resp):
        if current_identity(req) is not None:
            raise falcon.HTTPSeeOther(safe_redirect(req.get_param("redirect_to")))
        self.render(req, resp, "user/login.html", login="", error="",
                    redirect_to=safe_redirect(req.get_param("redirect_to")))

    def on_post(self, req, resp):
        form = self.form(req)
        login, target = form.get("user_name", "").strip(), safe_redirect(form.get("redirect_to"))
        try:
            user = self.accounts.login_with_password(req, login, form.get("password", ""))
        except TooManyRequests as refused:
            resp.set_header("Retry-After", refused.headers.get("Retry-After", "60"))
            return self.render(req, resp, "user/login.html", status=falcon.HTTP_429,
                               login=login, error=refused.message, redirect_to=target)
        if user is None:
            return self.render(req, resp, "user/login.html", status=falcon.HTTP_401, login=login,
                               error="user name or password is incorrect", redirect_to=target)
        self.sign_in(req, resp, user, target)


class LogoutPage(Page):
    allowed_before_password_change = True

    def on_get(self, req, resp):
        self.render(req, resp, "user/logout.html")

    def on_post(self, req, resp):
        sessions.end(req.cookies.get(sessions.COOKIE))
        resp.unset_cookie(sessions.COOKIE, path="/")
        raise falcon.HTTPSeeOther("/")


class SignUpPage(SessionPages):
    def _require_open(self):
        if not self.face.registration_open:
            raise NotFound("registration is closed on this instance; ask an administrator")

    def on_get(self, req, resp):
        self._require_open()
        if current_identity(req) is not None:
            raise falcon.HTTPSeeOther("/")
        self.render(req, resp, "user/sign_up.html", values={}, error="")

    def on_post(self, req, resp):
        self._require_open()
        form = self.form(req)
        values = {name: form.get(name, "").strip() for name in ("user_name", "email")}
        try:
            if form.get("password", "") != form.get("retype", ""):
                raise Invalid("the two passwords do not match")
            user = self.accounts.create_user(username=values["user_name"], email=values["email"],
                                             password=form.get("password", ""),
                                             first_user_is_admin=True)
        except Invalid as invalid:
            return self.render(req, resp, "user/sign_up.html", status=falcon.HTTP_422,
                               values=values, error=invalid.message)
        self.sign_in(req, resp, user, "/")


class ChangePasswordPage(Page):
    allowed_before_password_change = True

    def on_get(self, req, resp):
        self.require_signed_in(req)
        self.render(req, resp, "user/change_password.html", error="", done=False,
                    forced=self.viewer(req).must_change_password)

    def on_post(self, req, resp):
        identity = self.require_signed_in(req)
        user = self.viewer(req)
        form = self.form(req)
        forced = user.must_change_password
        try:
            if not forced and self.accounts.login_with_password(
                    req, user.name, form.get("old_password", "")) is None:
                raise Invalid("the current password is incorrect")
            if form.get("password", "") != form.get("retype", ""):
                raise Invalid("the two new passwords do not match")
            self.accounts.set_password(user, form.get("password", ""))
        except (Invalid, TooManyRequests) as refused:
            return self.render(req, resp, "user/change_password.html",
                               status=falcon.HTTP_429 if isinstance(refused, TooManyRequests)
                               else falcon.HTTP_422, error=refused.message, done=False,
                               forced=forced)
        user.must_change_password = False
        user.save()
        # Other browsers signed in with the old password are signed out.
        sessions.end_all_of(identity.user_id, except_secret=req.cookies.get(sessions.COOKIE))
        if forced:
            raise falcon.HTTPSeeOther("/")
        self.render(req, resp, "user/change_password.html", error="", done=True, forced=False)
