"""A repository's wiki in the browser at Gitea's URLs: ``/{owner}/{repo}/wiki`` (Home),
``/wiki/{page}`` (a page, its markdown rendered with the sidebar and footer),
``/wiki/_pages`` (every page), ``/wiki/{page}?action=_revision`` (a page's history), and for
writers the forms ``/wiki/_new`` and ``/wiki/{page}?action=_edit``. Pages, history and
writes are the wiki plugin's service (the API's rules and answers); a repository whose wiki
unit is off has none (404)."""

from __future__ import annotations

import base64
import urllib.parse

import falcon

from plue_core.errors import BadRequest, NotFound

from plue_web.pages.base import Paging
from plue_web.pages.repository import RepositoryPage

REVISIONS_PER_PAGE = 50  # the wiki service's page of a page's revisions


def _text(body_base64: str) -> str:
    return base64.b64decode(body_base64).decode("utf-8", "replace") if body_base64 else ""


def _raw_last_segment(req, decoded: str) -> str:
    """The page name as the browser sent it, still escaped (Gitea reads it so)."""
    raw = req.env.get("RAW_URI") or req.env.get("REQUEST_URI")
    if raw:
        return urllib.parse.urlsplit(raw).path.rsplit("/", 1)[-1]
    return urllib.parse.quote(decoded, safe="")


def _base64(text: str) -> str:
    return base64.b64encode(text.replace("\r\n", "\n").encode()).decode()


def _commit_row(commit) -> dict:
    return {"sha": commit.id.decode(),
            "summary": commit.message.decode("utf-8", "replace").split("\n", 1)[0],
            "author": commit.author.decode("utf-8", "replace").split(" <", 1)[0],
            "when": commit.author_time}


class WikiPageBase(RepositoryPage):
    @property
    def wiki(self):
        return self.face.ctx.services["wiki"]

    def wiki_access(self, req, owner: str, repo: str):
        repository = self.access(req, owner, repo).repository
        if not repository.has_wiki:
            raise NotFound(f"{repository.full_name} has no wiki")
        return repository

    def writer(self, req, owner: str, repo: str):
        """A signed-in caller who may write the wiki (the API's 404, 403 and 423): the
        repository and the account."""
        identity = self.require_signed_in(req)
        repository = self.wiki.access(identity, owner, repo, "write").repository
        return repository, self.accounts.account_for(identity)

    def render_markdown(self, values: dict, text: str) -> str:
        return self.face.markdown.render(text, repository_url=values["repo_url"],
                                         src_base=f"{values['repo_url']}/wiki",
                                         raw_base=f"{values['repo_url']}/wiki/raw")


class WikiHomePage(WikiPageBase):
    def on_get(self, req, resp, owner, repo):
        repository = self.wiki_access(req, owner, repo)
        values = self.common(req, repository, wiki_tab=True)
        try:
            body = self.wiki.page(repository, "Home")
        except NotFound:
            # No wiki yet, or no Home: Gitea shows the list of pages (empty for a new wiki).
            return WikiPagesPage.show(self, req, resp, repository, values)
        self.show_page(req, resp, repository, values, "Home", body)

    def show_page(self, req, resp, repository, values, web_path, body) -> None:
        self.render(req, resp, "repo/wiki_page.html", title=body["title"], web_path=web_path,
                    content=self.render_markdown(values, _text(body["content_base64"])),
                    sidebar=self.render_markdown(values, _text(body["sidebar"])),
                    footer=self.render_markdown(values, _text(body["footer"])),
                    last=_commit_row(body["last_commit"]), commit_count=body["commit_count"],
                    **values)


class WikiNamedPage(WikiHomePage):
    def on_get(self, req, resp, owner, repo, page):
        repository = self.wiki_access(req, owner, repo)
        values = self.common(req, repository, wiki_tab=True)
        web_path = self.wiki.web_path_from_request(_raw_last_segment(req, page))
        if req.get_param("action") == "_revision":
            return self.show_history(req, resp, repository, values, web_path)
        body = self.wiki.page(repository, web_path)
        if req.get_param("action") == "_edit":
            self.writer(req, owner, repo)
            return self.render(req, resp, "repo/wiki_edit.html", error="", web_path=web_path,
                               form={"title": body["title"], "content": _text(body["content_base64"]),
                                     "message": ""}, **values)
        self.show_page(req, resp, repository, values, web_path, body)

    def on_post(self, req, resp, owner, repo, page):
        repository, doer = self.writer(req, owner, repo)
        web_path = self.wiki.web_path_from_request(_raw_last_segment(req, page))
        form = self.form(req)
        fields = {key: form.get(key, "") for key in ("title", "content", "message")}
        try:
            saved = self.wiki.edit(repository, doer, web_path, fields["title"],
                                   _base64(fields["content"]), fields["message"])
        except BadRequest as refused:
            return self.render(req, resp, "repo/wiki_edit.html", status=falcon.HTTP_400,
                               error=refused.message, web_path=web_path, form=fields,
                               **self.common(req, repository, wiki_tab=True))
        raise falcon.HTTPSeeOther(f"/{repository.owner.name}/{repository.name}/wiki/{saved}")

    def show_history(self, req, resp, repository, values, web_path) -> None:
        page = self.page_number(req)
        commits, total = self.wiki.revisions(repository, web_path, page)
        self.render(req, resp, "repo/wiki_history.html", web_path=web_path,
                    title=self.wiki.title_of(web_path), commits=[_commit_row(c) for c in commits],
                    paging=Paging(page, REVISIONS_PER_PAGE, total), **values)


class WikiPagesPage(WikiPageBase):
    def on_get(self, req, resp, owner, repo):
        repository = self.wiki_access(req, owner, repo)
        self.show(req, resp, repository, self.common(req, repository, wiki_tab=True))

    def show(self, req, resp, repository, values) -> None:
        try:
            bodies, _total = self.wiki.list_pages(repository, 1, 10 ** 6)
        except NotFound:  # no wiki yet
            bodies = []
        rows = [{"title": body["title"], "sub_url": body["sub_url"],
                 **_commit_row(body["last_commit"])} for body in bodies]
        self.render(req, resp, "repo/wiki_pages.html", pages=rows, **values)


class NewWikiPage(WikiPageBase):
    def on_get(self, req, resp, owner, repo):
        repository, _doer = self.writer(req, owner, repo)
        self.render(req, resp, "repo/wiki_edit.html", error="", web_path="",
                    form={"title": "", "content": "", "message": ""},
                    **self.common(req, repository, wiki_tab=True))

    def on_post(self, req, resp, owner, repo):
        repository, doer = self.writer(req, owner, repo)
        form = self.form(req)
        fields = {key: form.get(key, "") for key in ("title", "content", "message")}
        try:
            saved = self.wiki.create(repository, doer, fields["title"], _base64(fields["content"]),
                                     fields["message"])
        except BadRequest as refused:
            return self.render(req, resp, "repo/wiki_edit.html", status=falcon.HTTP_400,
                               error=refused.message, web_path="", form=fields,
                               **self.common(req, repository, wiki_tab=True))
        raise falcon.HTTPSeeOther(f"/{repository.owner.name}/{repository.name}/wiki/{saved}")
