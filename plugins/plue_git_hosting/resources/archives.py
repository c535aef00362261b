"""``GET /{owner}/{repo}/archive/{ref}.zip|.tar.gz``: the archive a tag's ``zipball_url`` /
``tarball_url`` names (archives.py), to whoever may read the repository."""

from __future__ import annotations

from plue_core.content_disposition import content_disposition
from plue_core.errors import NotFound

from plue_git_hosting import archives, git_reading
from plue_git_hosting.resources.common import GitHostingResource


class ArchiveResource(GitHostingResource):
    def on_get(self, req, resp, owner, repo, archive):
        repository = self.readable(req, owner, repo)
        named = archives.split_name(archive)
        if named is None:
            raise NotFound(f"no archive {archive!r}: ask for <ref>.zip or <ref>.tar.gz")
        ref, suffix = named
        with self.hosting.open_git(repository) as git_repo:
            _, commit = git_reading.resolve_commit(git_repo, ref)
            body = archives.write_archive(git_repo, commit, repository.name, suffix)
        resp.content_type = archives.FORMATS[suffix]
        resp.set_header("Content-Disposition", content_disposition(
            "attachment", f"{repository.name}-{ref.replace('/', '-')}{suffix}"))
        size = body.seek(0, 2)
        body.seek(0)
        resp.set_stream(body, size)
