"""A repository's history: ``/commits/{branch|tag|commit}/{ref}/{path}`` (paged),
``/commit/{sha}`` (message, parents, the diff with per-file stats), ``/branches``, ``/tags``."""

from __future__ import annotations

from plue_web.pages.base import Paging
from plue_web.pages.code import locate
from plue_web.pages.repository import RepositoryPage


def _commit_row(reader, commit) -> dict:
    author = reader.author_of(commit)
    message = reader.message_of(commit)
    return {"sha": commit.id.decode(), "summary": message.split("\n", 1)[0],
            "author": author.name, "when": commit.commit_time}


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
            commits, counted = reader.history(at, path=location.path,
                                              offset=(page - 1) * self.page_size,
                                              limit=self.page_size, count=total is None)
            if total is None:
                total = counted
                self.face.history_totals.put(key, total)
            rows = [_commit_row(reader, commit) for commit in commits]
            branches = reader.branch_names()
        self.render(req, resp, "repo/commits.html", location=location, commits=rows,
                    branches=branches, paging=Paging(page, self.page_size, total), **values)


class CommitPage(RepositoryPage):
    def on_get(self, req, resp, owner, repo, sha):
        repository = self.access(req, owner, repo).repository
        values = self.common(req, repository)
        with self.hosting.reader(repository) as reader:
            commit = reader.commit(sha)
            author, committer = reader.author_of(commit), reader.committer_of(commit)
            changes = reader.changes(commit)
        message = reader.message_of(commit)
        summary, _, body = message.partition("\n")
        self.render(req, resp, "repo/commit.html", sha=commit.id.decode(), summary=summary,
                    body=body.strip(), author=author, committer=committer,
                    parents=[parent.decode() for parent in commit.parents], changes=changes,
                    additions=sum(change.additions for change in changes),
                    deletions=sum(change.deletions for change in changes), **values)


class BranchesPage(RepositoryPage):
    def on_get(self, req, resp, owner, repo):
        repository = self.access(req, owner, repo).repository
        values = self.common(req, repository)
        with self.hosting.reader(repository) as reader:
            rows = [{"name": tip.name, **_commit_row(reader, tip.commit)}
                    for tip in reader.branches()]
        rows.sort(key=lambda row: (row["name"] != repository.default_branch, -row["when"]))
        self.render(req, resp, "repo/branches.html", branches=rows, **values)


class TagsPage(RepositoryPage):
    def on_get(self, req, resp, owner, repo):
        repository = self.access(req, owner, repo).repository
        values = self.common(req, repository)
        with self.hosting.reader(repository) as reader:
            rows = [{"name": tip.name, "annotation": tip.annotation,
                     **_commit_row(reader, tip.commit)} for tip in reader.tags()]
        rows.sort(key=lambda row: -row["when"])
        self.render(req, resp, "repo/tags.html", tags=rows, **values)
