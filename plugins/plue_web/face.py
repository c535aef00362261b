"""``ctx.services["web"]``: what every page shares — the templates, markdown, the stylesheet,
the settings — built once per app.

Jinja2, markdown-it, nh3 and Pygments (about 7 MB per process) are imported by the first
page a process renders (``prepare``), not with the service or the app: the gunicorn master,
the daemons and scheduler child and a worker that serves only the API never hold them; a
worker that renders pages builds its own copy (docs/serving.md, Memory)."""

from __future__ import annotations

import datetime
import importlib.resources
import threading
import urllib.parse

import falcon

from plue_web import csrf, sessions
from plue_core.bounded_cache import BoundedCache

# Scripts only from this site, no inline script or style, no plugins, no framing; images may
# come from elsewhere (a README's badges), over https.
CONTENT_SECURITY_POLICY = ("default-src 'self'; script-src 'self'; style-src 'self'; "
                           "img-src 'self' data: https:; object-src 'none'; base-uri 'none'; "
                           "form-action 'self'; frame-ancestors 'none'")
SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
}

# 32 rendered diffs of up to 256 Ki characters: at most 8 Mi characters a process.
DIFF_CACHE_CHARACTERS = 256 * 1024


def _ago(moment) -> str:
    """``3 hours ago`` for a naive-UTC datetime or unix time."""
    if moment is None:
        return ""
    if isinstance(moment, (int, float)):
        moment = datetime.datetime.fromtimestamp(moment, datetime.timezone.utc)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=datetime.timezone.utc)
    seconds = int((datetime.datetime.now(datetime.timezone.utc) - moment).total_seconds())
    for unit, size in (("year", 31536000), ("month", 2592000), ("day", 86400), ("hour", 3600),
                       ("minute", 60)):
        if seconds >= size:
            count = seconds // size
            return f"{count} {unit}{'s' if count > 1 else ''} ago"
    return "just now"


def _size(count: int) -> str:
    for unit in ("B", "KiB", "MiB", "GiB"):
        if count < 1024 or unit == "GiB":
            return f"{count} {unit}" if unit == "B" else f"{count:.1f} {unit}"
        count /= 1024
    return str(count)


def _path_quote(path: str) -> str:
    return urllib.parse.quote(path, safe="/")


class WebFace:
    def __init__(self, ctx):
        self.ctx = ctx
        self.settings = ctx.section("web")
        self.base_url = ctx.config.base_url.rstrip("/")
        self.secret_key = ctx.secret_key
        self._rendering: tuple | None = None  # (templates, markdown, assets), by prepare()
        self._rendering_lock = threading.Lock()
        self.cookie_options = sessions.cookie_options(self.base_url)
        self.last_commits = BoundedCache(512)
        self.highlighted = BoundedCache(128)  # of files up to HIGHLIGHT_CACHE_BYTES
        self.history_totals = BoundedCache(1024)
        self.history_pages = BoundedCache(256)  # a page of a commit's history, its rows
        self.diffs = BoundedCache(32)  # rendered diffs up to DIFF_CACHE_CHARACTERS
        self.pull_commits = BoundedCache(256)
        self.comparisons = BoundedCache(256)  # (merge base, commits, count) of two tips

    def prepare(self) -> None:
        """Import the rendering libraries and build the templates, the Markdown renderer and
        the assets (once; the first page does it if the app did not)."""
        with self._rendering_lock:
            if self._rendering is not None:
                return
            import jinja2

            from plue_web import highlighting
            from plue_web.markdown import MarkdownRenderer

            templates = jinja2.Environment(
                loader=jinja2.PackageLoader("plue_web", "templates"),
                autoescape=True, trim_blocks=True, lstrip_blocks=True,
                undefined=jinja2.StrictUndefined)
            templates.filters.update(ago=_ago, size=_size, q=_path_quote,
                                     short=lambda sha: (sha or "")[:10])
            static = importlib.resources.files("plue_web") / "static"
            assets = {
                "style.css": ((static / "style.css").read_text() + "\n"
                              + highlighting.stylesheet(), "text/css; charset=utf-8"),
                "web.js": ((static / "web.js").read_text(), "text/javascript; charset=utf-8"),
            }
            self._rendering = (templates, MarkdownRenderer(), assets)

    def _built(self) -> tuple:
        if self._rendering is None:
            self.prepare()
        return self._rendering

    @property
    def templates(self):
        return self._built()[0]

    @property
    def markdown(self):
        return self._built()[1]

    @property
    def assets(self) -> dict:
        return self._built()[2]

    def diff_html(self, key: tuple, changes, style: str):
        """The rendered diff (pulls/diff.html's ``diff_files``, without line comments) of
        ``changes``, a callable reading them; remembered under ``key``, which must name
        commits by id (a commit's diff, a comparison of two commits, never changes). A large
        diff is rendered each time rather than held."""
        from plue_web import diff_view

        found = self.diffs.get((key, style))
        if found is None:
            read = changes()
            found = self.templates.get_template("pulls/diff.html").module.diff_files(
                diff_view.layout(read, style), sum(change.additions for change in read),
                sum(change.deletions for change in read), style)
            if len(found) <= DIFF_CACHE_CHARACTERS:
                self.diffs.put((key, style), found)
        return found

    @property
    def accounts(self):
        return self.ctx.services["accounts"]

    @property
    def hosting(self):
        return self.ctx.services["git_hosting"]

    @property
    def issues(self):
        return self.ctx.services.get("issues")

    @property
    def pulls(self):
        return self.ctx.services.get("pulls")

    @property
    def actions(self):
        return self.ctx.services.get("actions")

    @property
    def releases(self):
        return self.ctx.services.get("releases")

    @property
    def registration_open(self) -> bool:
        return bool(self.accounts.settings["open_registration"])

    def csrf_token(self, req) -> str:
        return csrf.token_for(self.secret_key, req.context.csrf_seed)

    def page(self, req, resp, template: str, *, status=falcon.HTTP_200, **values) -> None:
        """Render ``template`` as the response, with what every page shows (who is signed
        in, the CSRF token for its forms)."""
        identity = getattr(req.context, "identity", None)
        viewer = self.accounts.account_for(identity) if identity is not None else None
        resp.status = status
        resp.content_type = falcon.MEDIA_HTML
        resp.text = self.templates.get_template(template).render(
            viewer=viewer, csrf_token=self.csrf_token(req), csrf_field=csrf.FIELD,
            registration_open=self.registration_open, current_path=req.path,
            base_url=self.base_url, unread_notifications=self.unread_notifications(viewer, identity),
            **values)

    def unread_notifications(self, viewer, identity) -> int | None:
        """The header's count of the viewer's unread notification threads (one statement);
        None when nobody is signed in or the notifications plugin is disabled."""
        service = self.ctx.services.get("notifications")
        if viewer is None or service is None:
            return None
        return service.unread_count(identity)
