"""Comparing two branches and opening a pull request from the comparison, at Gitea's paths:
``/{owner}/{repo}/compare/{base}...{head}`` (the commits on ``head`` and not on ``base``, and
the diff from their merge base, as ``git diff base...head``; ``/compare/{head}`` compares with
the default branch), its ``POST`` (a new pull request, through ``ctx.services["pulls"]``),
and ``/{owner}/{repo}/compare?base=&head=&head_repo=`` (the pickers' form, which works
without JavaScript by redirecting to the comparison's own address).

``base`` and ``head`` may also be tags or commit ids of the repository, as in Gitea (the
``compare_url`` of a push's webhook payload is ``/compare/{before}...{after}``); a pull request
is offered only between two branches.

``head`` may be a branch of another repository, as in Gitea: ``{head_owner}:{branch}`` (that
user's fork) or ``{head_owner}/{head_repo}:{branch}``, of the repository's parent or one of
its forks that the viewer may read (404 otherwise) -- the pulls service reads it exactly as
the API reads a new pull request's ``head``, so the form's pull request is the API's."""

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
    quote = lambda name: urllib.parse.quote(name, safe="/:")  # noqa: E731
    return f"{repo_url}/compare/{quote(base)}...{quote(head)}"


class HeadChoice:
    """Where a comparison's head is: a repository (``repository`` or a fork) and a branch."""

    def __init__(self, face, repository, identity, head: str):
        if ":" not in head:
            self.repository, self.branch = repository, head
        elif face.pulls is None:
            raise NotFound(f"head {head!r}: comparing with another repository needs the pulls "
                           "plugin")
        else:
            self.repository, self.branch = face.pulls.resolve_head(repository, identity, head)
        self.is_fork = self.repository.id != repository.id


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
        """Open a pull request of ``head`` (``branch`` or a fork's ``owner/repo:branch``)
        into ``base``: the pulls service's rules (any reader may, as in Gitea's API), a 422
        with the form kept for a refused one."""
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
        identity = current_identity(req)
        chosen = HeadChoice(self.face, repository, identity, head)
        style = diff_view.style_of(req)
        values = self.common(req, repository)
        pulls = self.face.pulls if values["has_pulls"] else None
        head_branches, head_sha = self.head_branch(chosen)
        with self.hosting.reader(repository) as reader:
            branches = reader.branch_names()
            base_tip = self.commit_named(reader, repository, base)
            head_tip = (self.head_commit(reader, repository, chosen, head_sha) if head_sha
                        else self.commit_named(reader, repository, head))
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
        between_branches = base in branches and bool(head_sha)
        existing = pulls.open_pull_for(repository, chosen.branch, base,
                                       head_repository=chosen.repository) \
            if pulls and total and between_branches else None
        can_open = bool(pulls and total and existing is None and between_branches
                        and (chosen.is_fork or base != chosen.branch)
                        and identity is not None and not repository.is_archived)
        head_repositories = (pulls.head_repositories(repository, identity) if pulls
                             else [repository])
        self.face.page(req, resp, "pulls/compare.html", status=status, base=base, head=head,
                       head_branch=chosen.branch, head_repository=chosen.repository,
                       head_repositories=head_repositories, head_branches=head_branches,
                       branches=branches, related=merge_base is not None, commits=commits,
                       total=total, diff=diff,
                       existing=existing, can_open=can_open, title=title or (
                           commits[0]["summary"] if total == 1 else head),
                       body=body, error=error,
                       self_url=compare_url(values["repo_url"], base, head), **values)

    def head_branch(self, chosen: HeadChoice) -> tuple[list[str], str]:
        """The head repository's branches and the chosen one's tip; ``""`` for the tip when
        the head of the repository itself is no branch (a tag or a commit id: ``commit_named``
        reads it), 404 for another repository's."""
        with self.hosting.reader(chosen.repository) as reader:
            names = reader.branch_names()
            if chosen.branch in names:
                return names, reader.resolve(chosen.branch).commit.id.decode()
            if not chosen.is_fork:
                return names, ""
            raise NotFound(f"head branch {chosen.branch!r} does not exist in "
                           f"{chosen.repository.owner.name}/{chosen.repository.name}")

    @staticmethod
    def commit_named(reader, repository, name: str):
        """The branch, tag or commit ``name`` names, as Gitea resolves it (404 naming it)."""
        try:
            return reader.resolve(name).commit
        except NotFound:
            raise NotFound(f"no branch, tag or commit {name!r} in "
                           f"{repository.owner.name}/{repository.name}") from None

    def head_commit(self, reader, repository, chosen: HeadChoice, sha: str):
        """The head's tip read in the base repository: a fork's commits are copied in first
        (objects only, as opening the pull request does) when they are not there yet."""
        if chosen.is_fork:
            try:
                return reader.commit(sha)
            except NotFound:
                self.face.pulls.fetch_head(repository, chosen.repository, chosen.branch)
                with self.hosting.reader(repository) as fresh:
                    return fresh.commit(sha)
        return reader.commit(sha)


class CompareChoicePage(RepositoryPage):
    """``/compare?base=&head=&head_repo=``: the pickers post here (a GET form) and are sent
    on to ``/compare/{base}...{head}``; without parameters, the default branch with itself.
    ``head_repo`` (``owner/name``) chooses the head repository among the repository, its
    parent and its forks the viewer may read; a branch it lacks gives way to its default
    branch (the branch list was the previous repository's)."""

    def on_get(self, req, resp, owner, repo):
        repository = self.access(req, owner, repo).repository
        base = req.get_param("base") or repository.default_branch
        head = req.get_param("head") or base
        head_repo = (req.get_param("head_repo") or "").strip()
        if head_repo and head_repo.lower() != repository.full_name.lower():
            chosen = HeadChoice(self.face, repository, current_identity(req),
                                f"{head_repo}:{head}")
            if chosen.is_fork:
                with self.hosting.reader(chosen.repository) as reader:
                    if head not in reader.branch_names():
                        head = chosen.repository.default_branch
                fork = chosen.repository
                head = f"{fork.owner.name}/{fork.name}:{head}"
        raise falcon.HTTPSeeOther(compare_url(f"/{owner}/{repo}", base, head))
