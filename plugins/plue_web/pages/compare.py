"""Comparing two branches and opening a pull request from the comparison, at Gitea's paths:
``/{owner}/{repo}/compare/{base}...{head}`` (the commits on ``head`` and not on ``base``, and
the diff from their merge base, as ``git diff base...head``; ``/compare/{head}`` compares with
the default branch), its ``POST`` (a new pull request, through ``ctx.services["pulls"]``),
and ``/{owner}/{repo}/compare?base=&head=`` (the branch picker's form, which works without
JavaScript by redirecting to the comparison's own address)."""

from __future__ import annotations

import urllib.parse

import falcon

from plue_core.errors import Invalid, NotFound
from plue_core.identity import current_identity

from plue_web import diff_view
from plue_web.pages.history import commit_row
from plue_web.pages.repository import RepositoryPage

# Past this many commits a comparison lists only the newest (Gitea's API also stops at 250).
MAX_COMMITS = 250


def compare_url(repo_url: str, base: str, head: str) -> str:
    quote = lambda name: urllib.parse.quote(name, safe="/")  # noqa: E731
    return f"{repo_url}/compare/{quote(base)}...{quote(head)}"


class ComparePage(RepositoryPage):
    def split_basehead(self, repository, basehead: str) -> tuple[str, str]:
        base, dots, head = basehead.partition("...")
        if not dots:
            return repository.default_branch, basehead
        if not base or not head:
            raise NotFound(f"compare: {basehead!r} is not base...head")
        return base, head

    def on_get(self, req, resp, owner, repo, basehead):
        repository = self.access(req, owner, repo).repository
        self.show(req, resp, repository, basehead, title="", body="", error="")

    def on_post(self, req, resp, owner, repo, basehead):
        """Open a pull request of ``head`` into ``base``: the pulls service's rules (any
        reader may, as in Gitea's API), a 422 with the form kept for a refused one."""
        identity = self.require_signed_in(req)
        pulls = self.face.pulls
        if pulls is None:
            raise NotFound("pull requests are not available on this site")
        access = self.face.issues.access(identity, owner, repo)
        access.require_unit(True)
        access.require_not_archived()
        base, head = self.split_basehead(access.repository, basehead)
        form = self.form(req)
        title, body = form.get("title", "").strip(), form.get("body", "")
        try:
            if not title:
                raise Invalid("title: a pull request needs a title")
            pull = pulls.create_pull(access, self.accounts.account_for(identity),
                                     {"base": base, "head": head, "title": title, "body": body})
        except Invalid as invalid:
            return self.show(req, resp, access.repository, basehead, title=title, body=body,
                             error=invalid.message, status=falcon.HTTP_422)
        pulls.refresh(pull)
        raise falcon.HTTPSeeOther(f"/{owner}/{repo}/pulls/{pull.issue.number}")

    def show(self, req, resp, repository, basehead: str, *, title: str, body: str, error: str,
             status=falcon.HTTP_200):
        base, head = self.split_basehead(repository, basehead)
        style = diff_view.style_of(req)
        values = self.common(req, repository)
        pulls = self.face.pulls if values["has_pulls"] else None
        with self.hosting.reader(repository) as reader:
            branches = reader.branch_names()
            for role, name in (("base", base), ("head", head)):
                if name not in branches:
                    raise NotFound(f"{role} branch {name!r} does not exist in "
                                   f"{repository.owner.name}/{repository.name}")
            base_tip, head_tip = reader.resolve(base).commit, reader.resolve(head).commit
            # Two commits' comparison never changes: walked, read and rendered once.
            key = (repository.id, base_tip.id, head_tip.id)
            walked = self.face.comparisons.get(key)
            if walked is None:
                merge_base = reader.merge_base(base_tip, head_tip)
                commits, total = [], 0
                if merge_base is not None:
                    found, total = reader.commits_between(base_tip, head_tip, MAX_COMMITS)
                    commits = [commit_row(reader, commit) for commit in found]
                walked = (merge_base.id.decode() if merge_base is not None else None,
                          commits, total)
                self.face.comparisons.put(key, walked)
            merge_base, commits, total = walked
            diff = self.face.diff_html(("none",), list, style)
            if merge_base is not None:
                ends = (merge_base, head_tip.id.decode())
                diff = self.face.diff_html((repository.id, *ends),
                                           lambda: reader.compare(*ends), style)
        existing = pulls.open_pull_for(repository, head, base) if pulls and total else None
        can_open = bool(pulls and total and existing is None and base != head
                        and current_identity(req) is not None and not repository.is_archived)
        self.face.page(req, resp, "pulls/compare.html", status=status, base=base, head=head,
                       branches=branches, related=merge_base is not None, commits=commits,
                       total=total, diff=diff,
                       existing=existing, can_open=can_open, title=title or (
                           commits[0]["summary"] if total == 1 else head),
                       body=body, error=error,
                       self_url=compare_url(values["repo_url"], base, head), **values)


class CompareChoicePage(RepositoryPage):
    """``/compare?base=&head=``: the branch picker posts here (a GET form) and is sent on to
    ``/compare/{base}...{head}``; without parameters, the default branch with itself."""

    def on_get(self, req, resp, owner, repo):
        repository = self.access(req, owner, repo).repository
        base = req.get_param("base") or repository.default_branch
        head = req.get_param("head") or base
        raise falcon.HTTPSeeOther(compare_url(f"/{owner}/{repo}", base, head))
