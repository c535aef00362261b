"""Gitea's six wiki operations under ``/api/v1/repos/{owner}/{repo}/wiki``. Gitea reads the
page name from the URL still escaped (``100%25+Free``): so do we, from the raw request URI."""

from __future__ import annotations

import urllib.parse

import falcon

from plue_core.identity import current_identity, require_identity
from plue_core.list_query import form_int
from plue_core.openapi import operation
from plue_core.validation import load_body

from plue_wiki import page_names
from plue_wiki.schemas.options import CreateWikiPageOptions
from plue_wiki.schemas.shapes import WIKI_COMMIT_LIST, WIKI_PAGE, WIKI_PAGE_META

REPO = "/api/v1/repos/{owner}/{repo}"
TAGS = ("repository",)


def raw_page_name(req, decoded: str) -> str:
    """The last segment of the request's path as the client sent it (``RAW_URI``, which
    gunicorn and Falcon's test client set), else the decoded one escaped again."""
    raw = req.env.get("RAW_URI") or req.env.get("REQUEST_URI")
    if raw:
        return urllib.parse.urlsplit(raw).path.rsplit("/", 1)[-1]
    return urllib.parse.quote(decoded, safe="")


class WikiApiResource:
    def __init__(self, ctx):
        self.ctx = ctx

    @property
    def service(self):
        return self.ctx.services["wiki"]

    def read_access(self, req, owner: str, repo: str):
        identity = current_identity(req)
        if identity is not None:  # a token without the repository scope is 403, even to read
            identity = require_identity(req, scope=("read", "repository"))
        return self.service.access(identity, owner, repo)

    def write_access(self, req, owner: str, repo: str):
        """A signed-in caller with ``write:repository`` who may write to the repository:
        the access and the account."""
        identity = require_identity(req, scope=("write", "repository"))
        access = self.service.access(identity, owner, repo, "write")
        return access, self.service.hosting.accounts.account_for(identity)

    def render_page(self, resp, repository, web_path: str) -> None:
        resp.media = WIKI_PAGE(self.service.page(repository, web_path))


class WikiPagesResource(WikiApiResource):
    @operation("Get all wiki pages", response=WIKI_PAGE_META, many=True, tags=TAGS,
               query=("page", "limit"), operation_id="repoGetWikiPages")
    def on_get(self, req, resp, owner, repo):
        access = self.read_access(req, owner, repo)
        bodies, total = self.service.list_pages(access.repository, form_int(req, "page"),
                                                form_int(req, "limit"))
        # Gitea sets only the count here (SetTotalCountHeader), no Link.
        resp.set_header("X-Total-Count", str(total))
        resp.append_header("Access-Control-Expose-Headers", "X-Total-Count")
        resp.media = WIKI_PAGE_META.many(bodies)


class NewWikiPageResource(WikiApiResource):
    @operation("Create a wiki page", request=CreateWikiPageOptions, response=WIKI_PAGE,
               status=201, tags=TAGS, operation_id="repoCreateWikiPage")
    def on_post(self, req, resp, owner, repo):
        access, doer = self.write_access(req, owner, repo)
        options = load_body(req, CreateWikiPageOptions)
        web_path = self.service.create(access.repository, doer, options["title"] or "",
                                       options["content_base64"] or "", options["message"] or "")
        self.render_page(resp, access.repository, web_path)
        resp.status = falcon.HTTP_201


class WikiPageResource(WikiApiResource):
    @operation("Get a wiki page", response=WIKI_PAGE, tags=TAGS, operation_id="repoGetWikiPage")
    def on_get(self, req, resp, owner, repo, page_name):
        access = self.read_access(req, owner, repo)
        web_path = page_names.web_path_from_request(raw_page_name(req, page_name))
        self.render_page(resp, access.repository, web_path)

    @operation("Edit a wiki page", request=CreateWikiPageOptions, response=WIKI_PAGE, tags=TAGS,
               operation_id="repoEditWikiPage")
    def on_patch(self, req, resp, owner, repo, page_name):
        access, doer = self.write_access(req, owner, repo)
        options = load_body(req, CreateWikiPageOptions)
        web_path = self.service.edit(
            access.repository, doer, page_names.web_path_from_request(raw_page_name(req, page_name)),
            options["title"] or "", options["content_base64"] or "", options["message"] or "")
        self.render_page(resp, access.repository, web_path)

    @operation("Delete a wiki page", status=204, tags=TAGS, operation_id="repoDeleteWikiPage")
    def on_delete(self, req, resp, owner, repo, page_name):
        access, doer = self.write_access(req, owner, repo)
        self.service.delete(access.repository, doer,
                            page_names.web_path_from_request(raw_page_name(req, page_name)))
        resp.status = falcon.HTTP_204


class WikiRevisionsResource(WikiApiResource):
    @operation("Get revisions of a wiki page", response=WIKI_COMMIT_LIST, tags=TAGS,
               query=("page",), operation_id="repoGetWikiPageRevisions")
    def on_get(self, req, resp, owner, repo, page_name):
        access = self.read_access(req, owner, repo)
        web_path = page_names.web_path_from_request(raw_page_name(req, page_name))
        commits, total = self.service.revisions(access.repository, web_path, form_int(req, "page"))
        resp.set_header("X-Total-Count", str(total))
        resp.append_header("Access-Control-Expose-Headers", "X-Total-Count")
        resp.media = WIKI_COMMIT_LIST({"commits": commits, "count": total})


