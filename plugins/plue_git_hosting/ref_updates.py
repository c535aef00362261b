"""After refs move on disk (a push, or an API write): bring the database in step and publish
one ``PushEvent`` per ref, all in one transaction."""

from __future__ import annotations

import contextlib
import dataclasses
import datetime
import functools
import logging
from typing import TYPE_CHECKING

from plue_core import transaction_memo
from plue_core.db import (CompiledSelect, CompiledWrite, create_row, database, update_row, utcnow,
                          write_transaction)

from plue_git_hosting import git_reading, history, permissions, transaction_rows
from plue_git_hosting.events import ZERO_SHA, PushEvent
from plue_git_hosting.models import Branch, Repository

if TYPE_CHECKING:
    from dulwich.repo import Repo
    from plue_core.accounts.models import Account
    from plue_git_hosting.service import GitHosting

log = logging.getLogger("plue.git_hosting.ref_updates")


@dataclasses.dataclass(frozen=True)
class RefUpdate:
    ref: bytes
    before: bytes | None  # None: the ref was created
    after: bytes | None   # None: the ref was deleted


def snapshot(repo: Repo) -> dict[bytes, bytes]:
    """Every ref except HEAD, peeled of nothing: what ``diff_refs`` compares."""
    return {ref: sha for ref, sha in repo.get_refs().items() if ref != b"HEAD"}


def diff_refs(before: dict[bytes, bytes], after: dict[bytes, bytes]) -> list[RefUpdate]:
    changed = []
    for ref in sorted(before.keys() | after.keys()):
        old, new = before.get(ref), after.get(ref)
        if old != new:
            changed.append(RefUpdate(ref, old, new))
    return changed


def branch_fields(commit) -> dict:
    author, committer = git_reading.author_of(commit), git_reading.committer_of(commit)
    return dict(
        commit_sha=commit.id.decode(), commit_message=git_reading.message_of(commit),
        author_name=author.name[:255], author_email=author.email[:255],
        committer_name=committer.name[:255], committer_email=committer.email[:255],
        commit_time=datetime.datetime.fromtimestamp(author.time, datetime.timezone.utc)
        .replace(tzinfo=None))


# A branch row moved to a new head: every push's, compiled once (its fields are fixed).
_BRANCH_FIELDS = (Branch.commit_sha, Branch.commit_message, Branch.author_name,
                  Branch.author_email, Branch.committer_name, Branch.committer_email,
                  Branch.commit_time, Branch.pusher, Branch.updated_at)
_MOVE_BRANCH = CompiledWrite(
    lambda repository_id, name, *values: Branch.update(dict(zip(_BRANCH_FIELDS, values))).where(
        (Branch.repository == repository_id) & (Branch.name == name)),
    int, str, *_BRANCH_FIELDS)


def _store_branch(repository: Repository, repo: Repo, name: str, sha: bytes | None,
                  pusher_id: int | None) -> None:
    commit = git_reading.peel_to_commit(repo, sha) if sha else None
    if commit is None:
        Branch.delete().where((Branch.repository == repository) & (Branch.name == name)).execute()
        return
    values = dict(branch_fields(commit), pusher=pusher_id, updated_at=utcnow())
    updated = _MOVE_BRANCH.execute(repository.id, name,
                                   *(values[field.name] for field in _BRANCH_FIELDS))
    if not updated:
        create_row(Branch, repository=repository, name=name, **values)


_KNOWN_HEADS = CompiledSelect(
    lambda repository_id: Branch.select(Branch.name, Branch.commit_sha)
    .where(Branch.repository == repository_id).tuples(), int)


def sync_branches(repository: Repository, repo: Repo, pusher_id: int | None = None) -> None:
    """Make the branch rows match ``refs/heads`` exactly (forks, repairs)."""
    on_disk = {name: repo.refs[git_reading.HEADS + name.encode()]
               for name in git_reading.branch_names(repo)}
    known = dict(_KNOWN_HEADS.rows(repository.id))
    for name in known.keys() - on_disk.keys():
        _store_branch(repository, repo, name, None, pusher_id)
    for name, sha in on_disk.items():
        if known.get(name) != sha.decode():
            _store_branch(repository, repo, name, sha, pusher_id)


def _event_commit(hosting: GitHosting, repository: Repository, commit) -> dict:
    author, committer = git_reading.author_of(commit), git_reading.committer_of(commit)
    return {
        "id": commit.id.decode(), "message": git_reading.message_of(commit),
        "url": f"{hosting.html_url(repository)}/commit/{commit.id.decode()}",
        "timestamp": committer.rfc3339_local(),
        "author": {"name": author.name, "email": author.email},
        "committer": {"name": committer.name, "email": committer.email},
    }


def _own_or_callers_transaction():
    """The caller's transaction when one is open — every caller's is: the push's, which also
    closes its journal entry — else one of its own. A savepoint inside the caller's would cost
    two round trips per push (``SAVEPOINT``, ``RELEASE``) and undo nothing that the caller's
    rollback, which any failure here reaches, does not."""
    return contextlib.nullcontext() if database.in_transaction() else write_transaction()


def record(hosting: GitHosting, repository: Repository, repo: Repo, updates: list[RefUpdate],
           *, pusher: Account | None, via: str, before_refs: dict[bytes, bytes] | None = None) -> None:
    """Update branch rows, emptiness, the default branch (the first pushed branch when the
    configured one does not exist, as Gitea does), size and time; then publish the events."""
    if not updates:
        return
    pusher_id = pusher.id if pusher is not None else None
    # The scope: what this change reads once (its repository row, the webhooks' audience)
    # is handed to every plugin hearing its events, and forgotten when it ends.
    with _own_or_callers_transaction(), transaction_memo.scope():
        # Fresh (another writer may have run), with its owner: one compiled read.
        repository = permissions.find_repository_by_id(repository.id)
        if repository is None:
            raise Repository.DoesNotExist("the repository was deleted during the push")
        # A full reconcile rather than only ``updates``: a bookkeeping failure earlier
        # (the refs moved, the rows did not) heals on the next write.
        sync_branches(repository, repo, pusher_id)
        branches = git_reading.branch_names(repo)
        changes: dict = {"is_empty": not branches, "updated_at": utcnow(),
                         "size": hosting.storage.disk_size(hosting.path_of(repository))}
        if branches and repository.default_branch not in branches:
            pushed = [u.ref[len(git_reading.HEADS):].decode() for u in updates
                      if u.ref.startswith(git_reading.HEADS) and u.after]
            new_default = pushed[0] if pushed else branches[0]
            repo.refs.set_symbolic_ref(b"HEAD", git_reading.HEADS + new_default.encode())
            changes["default_branch"] = new_default
        update_row(Repository, repository.id, **changes)
        for field, value in changes.items():
            setattr(repository, field, value)
        transaction_rows.remember(repository)  # every plugin hearing the events reads this one
        # A new ref lists what is on no branch that existed before the push and not on the
        # default branch after it (Gitea compares a new branch with the default branch).
        other_heads = [sha for ref, sha in (before_refs or {}).items()
                       if ref.startswith(git_reading.HEADS)]
        default_ref = git_reading.HEADS + repository.default_branch.encode()
        default_head = repo.refs.as_dict().get(default_ref)
        for update in updates:
            found, total = ([], 0)
            if update.after is not None and git_reading.peel_to_commit(repo, update.after):
                exclude = other_heads + ([default_head] if default_head and update.ref != default_ref else [])
                found, total = history.pushed_commits(
                    repo, update.before, update.after, exclude, PushEvent.REFERENCE_COMMITS,
                    git_executable=getattr(hosting.transport, "executable", None))
            commits = [_event_commit(hosting, repository, c) for c in found[:PushEvent.MAX_COMMITS]]
            hosting.ctx.events.publish(PushEvent(
                repository_id=repository.id, owner=repository.owner.name,
                repository=repository.name, ref=update.ref.decode(),
                before=(update.before or ZERO_SHA.encode()).decode(),
                after=(update.after or ZERO_SHA.encode()).decode(),
                commits=tuple(commits), total_commits=total,
                commit_messages=tuple((c.id.decode(), git_reading.message_of(c)) for c in found),
                pusher_id=pusher_id,
                pusher=pusher.name if pusher is not None else "",
                default_branch=repository.default_branch, private=repository.is_private, via=via))
    # Logged at the commit, which a caller's transaction makes later (the push's closes its
    # journal entry first): the timeline of bench/push_to_pickup.py marks it.
    database.after_commit(functools.partial(log.debug, "push to %s: recorded, committed",
                                            repository.full_name))
