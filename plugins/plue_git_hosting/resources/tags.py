"""Gitea's tag endpoints (tags live only in git: no rows to keep in step)."""

from __future__ import annotations

import falcon

from plue_core.errors import Conflict, NotFound
from plue_core.openapi import operation
from plue_core.pagination import Page
from plue_core.validation import load_body

from plue_git_hosting import branches, git_reading
from plue_git_hosting.resources.common import GitHostingResource
from plue_git_hosting.schemas.options import CreateTagOption
from plue_git_hosting.schemas.shapes.git_objects import TAG_SHAPE, tag_json

TAGS = ("repository",)


def _created(git_repo, sha: bytes) -> int:
    """Newest first, as Gitea lists tags: the tagger date, or the commit's."""
    from dulwich.objects import Tag

    obj = git_repo[sha]
    if isinstance(obj, Tag):
        return obj.tag_time
    commit = git_reading.peel_to_commit(git_repo, sha)
    return commit.commit_time if commit is not None else 0


class TagsResource(GitHostingResource):
    @operation("List a repository's tags", response=TAG_SHAPE, many=True, tags=TAGS,
               query=("page", "limit"), operation_id="repoListTags")
    def on_get(self, req, resp, owner, repo):
        repository = self.readable(req, owner, repo)
        page = Page.from_request(req, self.pagination)
        with self.hosting.open_git(repository) as git_repo:
            refs = git_repo.refs.as_dict(git_reading.TAGS)
            ordered = sorted(refs.items(), key=lambda item: (-_created(git_repo, item[1]), item[0]))
            page.set_headers(req, resp, len(ordered))
            chosen = ordered[page.offset:page.offset + page.limit]
            links = self.links(repository)
            resp.media = [tag_json(links, git_repo, name.decode(), sha) for name, sha in chosen]

    @operation("Create a tag (annotated when a message is given)", request=CreateTagOption,
               response=TAG_SHAPE, status=201, tags=TAGS, operation_id="repoCreateTag")
    def on_post(self, req, resp, owner, repo):
        repository = self.writable(req, owner, repo)
        options = load_body(req, CreateTagOption)
        doer = self.accounts.account_for(req.context.identity)
        sha = branches.create_tag(self.hosting, repository, doer, options["tag_name"],
                                  target=options["target"], message=options["message"])
        with self.hosting.open_git(repository) as git_repo:
            resp.media = tag_json(self.links(repository), git_repo, options["tag_name"], sha)
        resp.status = falcon.HTTP_201


class TagResource(GitHostingResource):
    @operation("Get a tag", response=TAG_SHAPE, tags=TAGS, operation_id="repoGetTag")
    def on_get(self, req, resp, owner, repo, tag):
        repository = self.readable(req, owner, repo)
        with self.hosting.open_git(repository) as git_repo:
            sha = git_repo.refs.as_dict().get(git_reading.TAGS + tag.encode())
            if sha is None:
                raise NotFound(f"tag {tag!r} does not exist in {repository.full_name}")
            resp.media = tag_json(self.links(repository), git_repo, tag, sha)

    @operation("Delete a tag", status=204, tags=TAGS, operation_id="repoDeleteTag")
    def on_delete(self, req, resp, owner, repo, tag):
        repository = self.writable(req, owner, repo)
        for refusal in self.hosting.ctx.plugins.hook.tag_deletion_refusal(
                ctx=self.hosting.ctx, repository=repository, tag=tag):
            if refusal:
                raise Conflict(refusal)
        doer = self.accounts.account_for(req.context.identity)
        branches.delete_tag(self.hosting, repository, doer, tag)
        resp.status = falcon.HTTP_204
