"""Branches and tags through the API: refs moved with compare-and-swap under the repository
lock; the branch rows and push events follow (see ``repository_writes``)."""

from __future__ import annotations

from plue_core.errors import Conflict, Forbidden, NotFound

from plue_git_hosting import git_reading, git_writing
from plue_git_hosting.models import Branch, Repository
from plue_git_hosting.ref_names import validate_ref_name
from plue_git_hosting.repositories import signature_of
from plue_git_hosting.repository_writes import changing_refs


def list_branches(repository: Repository, q: str = ""):
    """The repository's branch rows by name, those whose name contains ``q`` when given."""
    query = Branch.select().where(Branch.repository == repository).order_by(Branch.name)
    if q := q.strip():
        query = query.where(Branch.name.contains(q))
    return query


def get_branch(repository: Repository, name: str) -> Branch:
    row = Branch.get_or_none((Branch.repository == repository) & (Branch.name == name))
    if row is None:
        raise NotFound(f"branch {name!r} does not exist in {repository.full_name}")
    return row


def create_branch(hosting, repository: Repository, doer, name: str, *, old_branch: str = "",
                  old_ref: str = "") -> Branch:
    """From ``old_ref`` (branch, tag or commit), else ``old_branch``, else the default branch."""
    validate_ref_name(name)
    if repository.is_empty:
        raise NotFound(f"repository {repository.full_name} is empty: push a commit first")
    with changing_refs(hosting, repository, doer) as git_repo:
        if old_ref:
            _kind, commit = git_reading.resolve_commit(git_repo, old_ref)
        else:
            source = old_branch or repository.default_branch
            commit = git_reading.branch_commit(git_repo, source)
            if commit is None:
                raise NotFound(f"old branch {source!r} does not exist")
        ref = git_reading.HEADS + name.encode()
        if ref in git_repo.refs:
            raise Conflict(f"branch {name!r} already exists")
        _check_no_prefix_clash(git_repo, ref)
        git_writing.update_ref(git_repo, ref, None, commit.id)
    return get_branch(repository, name)


def _check_no_prefix_clash(git_repo, ref: bytes) -> None:
    """``a`` and ``a/b`` cannot both be branches (loose refs are files and directories)."""
    for existing in git_repo.refs.keys():
        if existing.startswith(ref + b"/") or ref.startswith(existing + b"/"):
            raise Conflict(f"{ref.decode()} clashes with existing {existing.decode()}")


def delete_branch(hosting, repository: Repository, doer, name: str) -> None:
    if name == repository.default_branch:
        raise Forbidden("can not delete default branch")
    _delete_ref(hosting, repository, doer, git_reading.HEADS, "branch", name)


def create_tag(hosting, repository: Repository, doer, name: str, *, target: str = "",
               message: str = "") -> bytes:
    """A lightweight tag, or an annotated one (tagger: the caller) when there is a message.
    Returns the new ref's sha."""
    validate_ref_name(name, "tag name")
    if repository.is_empty:
        raise NotFound(f"repository {repository.full_name} is empty: push a commit first")
    with changing_refs(hosting, repository, doer) as git_repo:
        _kind, commit = git_reading.resolve_commit(git_repo, target or repository.default_branch)
        ref = git_reading.TAGS + name.encode()
        if ref in git_repo.refs:
            raise Conflict(f"tag {name!r} already exists")
        _check_no_prefix_clash(git_repo, ref)
        sha = commit.id
        if message.strip():
            sha = git_writing.create_annotated_tag(git_repo, name=name, target=commit,
                                                   tagger=signature_of(doer), message=message).id
        git_writing.update_ref(git_repo, ref, None, sha)
    return sha


def delete_tag(hosting, repository: Repository, doer, name: str) -> None:
    _delete_ref(hosting, repository, doer, git_reading.TAGS, "tag", name)


def _delete_ref(hosting, repository: Repository, doer, prefix: bytes, kind: str,
                name: str) -> None:
    """Delete the ref ``prefix + name`` (404 naming the ``kind`` when there is none)."""
    with changing_refs(hosting, repository, doer) as git_repo:
        ref = prefix + name.encode()
        sha = git_repo.refs.as_dict().get(ref)
        if sha is None:
            raise NotFound(f"{kind} {name!r} does not exist in {repository.full_name}")
        git_writing.update_ref(git_repo, ref, sha, None)
