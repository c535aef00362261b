"""``ctx.services["wiki"]``: Gitea's wiki of a repository, kept in git_hosting's
``<name>.wiki.git`` (read through ``open_wiki``, written through ``commit_to_wiki``): one
markdown file per page on ``master``, every change a commit by the person who made it."""

from __future__ import annotations

import base64
import binascii
import json

from plue_core.db import write_transaction
from plue_core.errors import BadRequest, NotFound

from plue_wiki import page_names, pages
from plue_wiki.events import WikiEvent
from plue_wiki.schemas.shapes import base64_text

SIDEBAR, FOOTER = "_Sidebar", "_Footer"


class WikiService:
    def __init__(self, ctx):
        self.ctx = ctx

    @property
    def hosting(self):
        return self.ctx.services["git_hosting"]

    def access(self, identity, owner: str, repo: str, needed: str = "read"):
        """The repository and the caller's level (404 when they may not read it or its wiki
        unit is off, as Gitea's mustEnableWiki; 403 below ``needed``; 423 for a write to an
        archived repository)."""
        access = self.hosting.require_repository(identity, owner, repo, needed,
                                                 writes=needed != "read", to="edit the wiki")
        if not access.repository.has_wiki:
            raise NotFound(f"{access.repository.full_name} has no wiki")
        return access

    # Gitea's page names (``page_names``), for a face that builds its own URLs.
    web_path_from_request = staticmethod(page_names.web_path_from_request)
    title_of = staticmethod(page_names.title_of)

    def html_url(self, repository, web_path: str) -> str:
        return f"{self.hosting.html_url(repository)}/wiki/{web_path}"

    # --- reading ------------------------------------------------------------------------

    def list_pages(self, repository, page: int, limit: int) -> tuple[list[dict], int]:
        """Gitea's ListWikiPages: one page of ``WikiPageMetaData`` bodies and the count of
        the root's entries. A ``limit`` of 1 or less is Gitea's default (30)."""
        with self.hosting.open_wiki(repository) as repo:
            tip = self._tip(repo)
            limit = limit if limit > 1 else self.ctx.config.pagination["default_limit"]
            found, total = pages.listing(repo, tip, (max(page, 1) - 1) * limit, limit)
            return [self._meta(repository, repo, tip, page_file) for page_file in found], total

    def page(self, repository, web_path: str) -> dict:
        """Gitea's ``WikiPage`` (404 when the wiki or the page does not exist)."""
        with self.hosting.open_wiki(repository) as repo:
            tip = self._tip(repo)
            found = self._find(repo, tip, web_path)
            body = self._meta(repository, repo, tip, found)
            body["content_base64"] = base64_text(pages.content(repo, found.blob))
            body["commit_count"] = pages.commit_count(repo, tip, found.path)
            for key, name in (("sidebar", SIDEBAR), ("footer", FOOTER)):
                extra = pages.find(repo, tip.tree, name)
                body[key] = base64_text(pages.content(repo, extra.blob)) if extra else ""
            return body

    def revisions(self, repository, web_path: str, page: int) -> tuple[list, int]:
        """The commits that changed the page, ``REVISIONS_PER_PAGE`` a page, and their count."""
        with self.hosting.open_wiki(repository) as repo:
            tip = self._tip(repo)
            found = self._find(repo, tip, web_path or "Home")
            skip = (max(page, 1) - 1) * pages.REVISIONS_PER_PAGE
            commits = pages.history(repo, tip, found.path, skip=skip,
                                    limit=pages.REVISIONS_PER_PAGE)
            return commits, pages.commit_count(repo, tip, found.path)

    def _tip(self, repo):
        tip = pages.tip(repo)
        if tip is None:
            raise NotFound("the wiki has no pages")
        return tip

    def _find(self, repo, tip, web_path: str) -> pages.PageFile:
        found = pages.find(repo, tip.tree, web_path)
        if found is None:
            raise NotFound(f"wiki page {page_names.title_of(web_path)!r} does not exist")
        return found

    def _meta(self, repository, repo, tip, page_file: pages.PageFile) -> dict:
        return {"title": page_names.title_of(page_file.web_path),
                "html_url": self.html_url(repository, page_file.web_path),
                "sub_url": page_file.web_path,
                "last_commit": pages.last_commit(repo, tip, page_file.path)}

    # --- writing ------------------------------------------------------------------------

    def create(self, repository, doer, title: str, content_base64: str, message: str) -> str:
        """Gitea's AddWikiPage: 400 for an empty or reserved title, bad base64 or a page that
        exists. Returns the new page's web path."""
        if not title.strip():
            raise BadRequest("emptyTitle")
        web_path = page_names.web_path_from_title(title)
        content = _decoded(content_base64)
        page_names.check_not_reserved(web_path)

        def add(repo, tree_id):
            path = page_names.git_path(web_path)
            if tree_id is not None and _exists(repo, tree_id, web_path):
                raise BadRequest(f"wiki page already exists [title: {path}]")
            return {path: content}

        message = message or f"Add {_quoted(title)}"
        self.hosting.commit_to_wiki(repository, doer, message, add)
        self._publish("created", repository, doer, web_path, message)
        return web_path

    def edit(self, repository, doer, web_path: str, title: str, content_base64: str,
             message: str) -> str:
        """Gitea's EditWikiPage: the page's content (and its name, when ``title`` is given)
        replaced in one commit; a page that did not exist is created, as Gitea does. Returns
        the page's web path."""
        new_path = page_names.web_path_from_title(title) if title.strip() else web_path
        content = _decoded(content_base64)
        page_names.check_not_reserved(new_path)

        def replace(repo, tree_id):
            changes = {}
            if tree_id is not None:
                old = pages.find(repo, tree_id, web_path)
                if old is not None:
                    changes[old.path] = None
            changes[page_names.git_path(new_path)] = content
            return changes

        message = message or f"Update {_quoted(new_path)}"
        self.hosting.commit_to_wiki(repository, doer, message, replace)
        self._publish("edited", repository, doer, new_path, message)
        return new_path

    def delete(self, repository, doer, web_path: str) -> None:
        """Gitea's DeleteWikiPage: 404 when the page does not exist."""
        def remove(repo, tree_id):
            found = pages.find(repo, tree_id, web_path) if tree_id is not None else None
            if found is None:
                raise NotFound(f"wiki page {page_names.title_of(web_path)!r} does not exist")
            return {found.path: None}

        self.hosting.commit_to_wiki(repository, doer, f"Delete page {_quoted(web_path)}", remove)
        self._publish("deleted", repository, doer, web_path, "")

    def _publish(self, action: str, repository, doer, web_path: str, comment: str) -> None:
        """Gitea's wiki notifications (its ``wiki`` webhook), once the commit is in; in a
        transaction of their own, so what listeners write commits together."""
        with write_transaction():
            self.ctx.events.publish(WikiEvent(action=action, repository_id=repository.id,
                                              page=web_path, comment=comment, sender_id=doer.id))


def _exists(repo, tree_id: bytes, web_path: str) -> bool:
    """Gitea's prepareGitPath: the page's file, escaped or not, is in the tree."""
    return pages.find(repo, tree_id, web_path) is not None


def _quoted(text: str) -> str:
    """Go's %q, as Gitea's commit messages quote a title."""
    return json.dumps(text, ensure_ascii=False)


def _decoded(content_base64: str) -> bytes:
    try:
        return base64.b64decode(content_base64 or "", validate=True)
    except (binascii.Error, ValueError):
        raise BadRequest("invalid base64 encoding of content") from None
