"""Gitea's branch endpoints."""

from __future__ import annotations

import falcon

from plue_core.openapi import operation
from plue_core.pagination import paginate
from plue_core.validation import load_body

from plue_git_hosting import branches, ref_rules
from plue_git_hosting.resources.common import GitHostingResource
from plue_git_hosting.schemas.options import CreateBranchRepoOption
from plue_git_hosting.schemas.shapes.git_objects import BRANCH_SHAPE, branch_json
from plue_git_hosting.schemas.shapes.users import accounts_by_email

TAGS = ("repository",)


class BranchShapes(GitHostingResource):
    def branches_json(self, req, repository, rows) -> list[dict]:
        """Gitea's ``Branch`` for each row, protection included: the rules other plugins
        (pulls) answer for this viewer, asked once for the whole page."""
        emails = {r.author_email for r in rows} | {r.committer_email for r in rows}
        usernames = {email: account.name for email, account in accounts_by_email(emails).items()}
        can_write = self.memo(req).can(repository, "write")
        viewer = self.accounts.account_for(req.context.identity)
        rules = ref_rules.rules_for(self.hosting.ctx, repository, viewer) if rows else []
        links = self.links(repository)
        return [branch_json(links, row, usernames, can_write=can_write,
                            rule=ref_rules.deciding_rule(rules, f"refs/heads/{row.name}"))
                for row in rows]


class BranchesResource(BranchShapes):
    @operation("List a repository's branches", response=BRANCH_SHAPE, many=True, tags=TAGS,
               query=("page", "limit", "q"), operation_id="repoListBranches")
    def on_get(self, req, resp, owner, repo):
        repository = self.readable(req, owner, repo)
        query = branches.list_branches(repository, req.get_param("q") or "")
        rows = paginate(req, resp, query, self.pagination)
        resp.media = self.branches_json(req, repository, rows)

    @operation("Create a branch", request=CreateBranchRepoOption, response=BRANCH_SHAPE,
               status=201, tags=TAGS, operation_id="repoCreateBranch")
    def on_post(self, req, resp, owner, repo):
        repository = self.writable(req, owner, repo)
        options = load_body(req, CreateBranchRepoOption)
        doer = self.accounts.account_for(req.context.identity)
        row = branches.create_branch(self.hosting, repository, doer, options["new_branch_name"],
                                     old_branch=options["old_branch_name"],
                                     old_ref=options["old_ref_name"])
        resp.status = falcon.HTTP_201
        resp.media = self.branches_json(req, repository, [row])[0]


class BranchResource(BranchShapes):
    @operation("Get a branch", response=BRANCH_SHAPE, tags=TAGS, operation_id="repoGetBranch")
    def on_get(self, req, resp, owner, repo, branch):
        repository = self.readable(req, owner, repo)
        resp.media = self.branches_json(req, repository, [branches.get_branch(repository, branch)])[0]

    @operation("Delete a branch (never the default branch)", status=204, tags=TAGS,
               operation_id="repoDeleteBranch")
    def on_delete(self, req, resp, owner, repo, branch):
        repository = self.writable(req, owner, repo)
        doer = self.accounts.account_for(req.context.identity)
        branches.delete_branch(self.hosting, repository, doer, branch)
        resp.status = falcon.HTTP_204
