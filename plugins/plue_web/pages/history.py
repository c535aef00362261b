"""A repository's history: ``/commits/{branch|tag|commit}/{ref}/{path}`` (paged),
``/commit/{sha}`` (message, parents, the diff with per-file stats), ``/branches``, ``/tags``."""

from __future__ import annotations

from plue_web import diff_view
from plue_web.pages.base import Paging
from plue_web.pages.code import locate
from plue_web.pages.repository import RepositoryPage, commit_row


class CommitsPage(RepositoryPage):
    def on_get(self, req, resp, owner, repo, kind, rest):
        repository = self.access(req, owner, repo).repository
        values = self.common(req, repository)
        page = self.page_number(req)
        with self.hosting.reader(repository) as reader:
            location, at = locate(reader, values["repo_url"], kind, rest)
            # A commit's history never changes: its length is counted once.
            key = (repository.id, at.commit.id, location.path)
            total = self.face.history_totals.get(key)
            rows = self.face.history_pages.get((key, page, self.page_size))
            if rows is None or total is None:  # and so is each of its pages
                commits, counted = reader.history(at, path=location.path,
                                                  offset=(page - 1) * self.page_size,
                                                  limit=self.page_size, count=total is None)
                if total is None:
                    total = counted
                    self.face.history_totals.put(key, total)
                rows = [commit_row(reader, commit) for commit in commits]
                self.face.history_pages.put((key, page, self.page_size), rows)
            branches = reader.branch_names()
        self.render(req, resp, "repo/commits.html", location=location, commits=rows,
                    branches=branches, paging=Paging(page, self.page_size, total), **values)


class CommitPage(RepositoryPage):
    def on_get(self, req, resp, owner, repo, sha):
        repository = self.access(req, owner, repo).repository
        values = self.common(req, repository)
        style = diff_view.style_of(req)
        with self.hosting.reader(repository) as reader:
            commit = reader.commit(sha)
            author, committer = reader.author_of(commit), reader.committer_of(commit)
            # A commit's diff never changes: read and rendered once per commit and view.
            diff = self.face.diff_html((repository.id, commit.id), lambda: reader.changes(commit),
                                       style)
        message = reader.message_of(commit)
        summary, _, body = message.partition("\n")
        self.render(req, resp, "repo/commit.html", sha=commit.id.decode(), summary=summary,
                    body=body.strip(), author=author, committer=committer,
                    parents=[parent.decode() for parent in commit.parents], diff=diff,
                    **values)


class BranchesPage(RepositoryPage):
    def on_get(self, req, resp, owner, repo):
        repository = self.access(req, owner, repo).repository
        values = self.common(req, repository)
        with self.hosting.reader(repository) as reader:
            tips = reader.branches()
            default = next((tip.commit for tip in tips
                            if tip.name == repository.default_branch), None)
            # How far each branch is ahead of the default one: a pull request's worth.
            rows = [{"name": tip.name, **commit_row(reader, tip.commit),
                     "ahead": reader.commits_between(default, tip.commit, 0)[1]
                     if default is not None and tip.name != repository.default_branch else 0}
                    for tip in tips]
        rows.sort(key=lambda row: (row["name"] != repository.default_branch, -row["when"]))
        self.render(req, resp, "repo/branches.html", branches=rows, **values)


class TagsPage(RepositoryPage):
    def on_get(self, req, resp, owner, repo):
        repository = self.access(req, owner, repo).repository
        values = self.common(req, repository)
        with self.hosting.reader(repository) as reader:
            rows = [{"name": tip.name, "annotation": tip.annotation,
                     **commit_row(reader, tip.commit)} for tip in reader.tags()]
        rows.sort(key=lambda row: -row["when"])
        self.render(req, resp, "repo/tags.html", tags=rows, **values)
