"""Creating, editing, renaming, forking and deleting repositories: the row and the bare
repository on disk change together. Each disk step runs inside the database transaction and
is undone if the transaction fails, so a failure half-way leaves neither changed."""

from __future__ import annotations

import contextlib
import json
import re
import time

from plue_core import crash_points
from plue_core.accounts.models import Account
from plue_core.constraints import still_there, unique_write
from plue_core.db import is_sqlite, utcnow, write_transaction
from plue_core.errors import Conflict, Forbidden, Invalid, NotFound

from plue_git_hosting import (
    git_reading, git_writing, redirects, ref_updates, storage, topics, transaction_rows,
    watches,
)
from plue_git_hosting.events import RepositoryCreatedEvent, RepositoryDeletedEvent
from plue_git_hosting.git_reading import Person
from plue_git_hosting.models import Repository
from plue_git_hosting.ref_names import validate_ref_name
from plue_git_hosting.stars import STARS

_NAME = re.compile(r"^[-.\w]+$", re.ASCII)
_RESERVED = {".", "..", "-"}
_RESERVED_SUFFIXES = (".git", ".wiki", ".rss", ".atom")
# Columns an EditRepoOption field maps to (name differs only for the booleans below).
_EDIT_COLUMNS = {"private": "is_private", "template": "is_template"}
_DIRECT_EDITS = (
    "description", "website", "has_code", "has_issues", "has_wiki", "has_pull_requests",
    "has_projects", "has_releases", "has_packages", "has_actions", "projects_mode",
    "ignore_whitespace_conflicts", "allow_merge_commits", "allow_rebase", "allow_rebase_explicit",
    "allow_squash_merge", "allow_fast_forward_only_merge", "allow_rebase_update",
    "allow_merge_update", "allow_manual_merge", "autodetect_manual_merge",
    "default_delete_branch_after_merge", "default_merge_style", "default_update_style",
    "default_allow_maintainer_edit", "private", "template",
)


def validate_name(name: str) -> str:
    """Gitea's rules: letters, digits, '-', '_', '.'; at most 100; not reserved."""
    if not isinstance(name, str) or not name or len(name) > 100 or not _NAME.match(name):
        raise Invalid(f"name: repository name {name!r} is invalid: use 1-100 letters, digits, "
                      "'-', '_' or '.'")
    if name in _RESERVED or name.lower().endswith(_RESERVED_SUFFIXES):
        raise Invalid(f"name: repository name {name!r} is reserved")
    return name


def signature_of(account: Account, when: int | None = None) -> Person:
    """How Gitea signs a commit made for a user: display name and e-mail."""
    email = account.email or f"{account.name}@noreply.plue"
    return Person(account.full_name or account.name, email, int(when or time.time()), 0)


def _taken(owner: Account, name: str) -> str:
    return f"The repository with the same name already exists: {owner.name}/{name}"


def _ensure_free(owner: Account, name: str, except_id: int | None = None) -> None:
    query = Repository.select().where((Repository.owner == owner)
                                      & (Repository.lower_name == name.lower()))
    if except_id is not None:
        query = query.where(Repository.id != except_id)
    if query.exists():
        raise Conflict(_taken(owner, name))


def _ensure_under_creation_limit(hosting, owner: Account, creator: Account) -> None:
    """Gitea's repository creation limit: the owner's ``max_repo_creation``, or the site's
    ``max_creation_limit`` when that is -1; none for a site administrator creating or owning.
    Inside the creation's write transaction, with the owner's row locked on PostgreSQL
    (SQLite's write transaction holds the database), so two creations at once cannot both
    take the last place."""
    if creator.is_admin:
        return
    query = Account.select(Account.max_repo_creation, Account.is_admin).where(
        Account.id == owner.id)
    if not is_sqlite(Account._meta.database):
        query = query.for_update()
    row = query.first()
    limit = row.max_repo_creation if row.max_repo_creation >= 0 \
        else hosting.settings["max_creation_limit"]
    if row.is_admin or limit < 0:
        return
    if Repository.select().where(Repository.owner == owner.id).count() >= limit:
        # Gitea's fork answers 409 with this (its create has no case for it: a 500).
        raise Conflict(f"{owner.name} has already reached its limit of {limit} repositories")


def may_create_in(accounts, identity, owner: Account) -> bool:
    """Users create in their own namespace; in an organization, owners, admins and writers
    (Gitea: teams that may create repositories); site administrators anywhere."""
    if identity.is_admin or owner.id == identity.user_id:
        return True
    return bool(owner.is_organization
                and accounts.org_permission(owner, identity.user_id) in ("owner", "admin", "write"))


def check_can_create_in(accounts, identity, owner: Account) -> None:
    """:func:`may_create_in`, or 403 (404 for an organization the caller may not see)."""
    if may_create_in(accounts, identity, owner):
        return
    if owner.is_organization:
        if accounts.is_org_member(owner, identity.user_id) or accounts.can_see_account(identity, owner):
            raise Forbidden(f"you may not create repositories in organization {owner.name!r}")
        raise NotFound(f"organization {owner.name!r} does not exist")
    raise Forbidden(f"you may not create repositories for {owner.name!r}")


@contextlib.contextmanager
def _purged_if_failed(hosting, path):
    """Yields ``create_directory(default_branch)``, which makes the new repository's git
    directory at ``path``; when anything in the block fails (the transaction's commit
    included), the directory it made is removed. One it did not make (already on disk) stays.
    The directory is marked uncommitted until the block (its transaction) ends: a process
    killed before then leaves a directory the next creation of the name removes."""
    created = []

    def create_directory(default_branch: str):
        git_repo = hosting.storage.create(path, default_branch)
        created.append(path)
        return git_repo

    try:
        yield create_directory
    except BaseException:
        if created:
            hosting.storage.purge(path)
        raise
    if created:
        (path / storage.UNCOMMITTED).unlink(missing_ok=True)


def create_repository(hosting, owner: Account, creator: Account, options: dict) -> Repository:
    """``CreateRepoOption`` in, a repository (and its bare git repository) out."""
    name = validate_name(options["name"])
    default_branch = validate_ref_name(options.get("default_branch") or
                                       hosting.settings["default_branch"], "default_branch")
    if options.get("object_format_name") == "sha256":
        raise Invalid("object_format_name: sha256 repositories are not supported; use sha1")
    for option in ("gitignores", "license"):
        if options.get(option):
            raise Invalid(f"{option}: no {option} templates are installed on this server")
    readme = options.get("readme") or ("Default" if options.get("auto_init") else "")
    if readme not in ("", "Default"):
        raise Invalid(f"readme: readme template {readme!r} does not exist (only 'Default')")
    path = hosting.storage.path(owner.name, name)
    # A concurrent create of the same name that passed _ensure_free too loses at the unique
    # index (before making a directory): the same 409.
    with _purged_if_failed(hosting, path) as create_directory, \
            unique_write(_taken(owner, name), Conflict):
        _ensure_free(owner, name)
        _ensure_under_creation_limit(hosting, owner, creator)
        redirects.forget(owner.id, name)
        repository = Repository.create(
            owner=owner, name=name, lower_name=name.lower(),
            description=options.get("description", ""), is_private=options.get("private", False),
            is_template=options.get("template", False), default_branch=default_branch)
        repository.owner = owner
        git_repo = create_directory(default_branch)
        with git_repo:
            if options.get("auto_init"):
                _initial_commit(git_repo, repository, creator, default_branch,
                                options.get("description", ""))
                ref_updates.sync_branches(repository, git_repo, creator.id)
                repository.is_empty = False
            repository.size = hosting.storage.disk_size(path)
            repository.save()
        watches.watch_new_repository(hosting, repository, creator.id)
        crash_points.reached("repository-create-before-commit")
        hosting.ctx.events.publish(RepositoryCreatedEvent(
            repository_id=repository.id, owner=owner.name, repository=name,
            creator_id=creator.id))
    return repository


def _initial_commit(git_repo, repository: Repository, creator: Account, branch: str,
                    description: str) -> None:
    readme = f"# {repository.name}\n\n{description}\n" if description else f"# {repository.name}\n"
    blob = git_writing.store_blob(git_repo, readme.encode())
    tree = git_writing.build_tree(git_repo, None, {"README.md": (git_writing.FILE_MODE, blob)})
    who = signature_of(creator)
    commit = git_writing.create_commit(git_repo, tree_id=tree, parents=[], author=who,
                                       committer=who, message="Initial commit")
    git_writing.update_ref(git_repo, git_reading.HEADS + branch.encode(), None, commit.id)


def edit_repository(hosting, repository: Repository, changes: dict) -> Repository:
    """``EditRepoOption``: only the fields present change; a rename moves the directory."""
    updates: dict = {}
    for field in _DIRECT_EDITS:
        if field in changes and changes[field] is not None:
            updates[_EDIT_COLUMNS.get(field, field)] = changes[field]
    if "archived" in changes and changes["archived"] != repository.is_archived:
        updates["is_archived"] = changes["archived"]
        updates["archived_at"] = utcnow() if changes["archived"] else None
    units = repository.units
    for unit in ("internal_tracker", "external_tracker", "external_wiki"):
        if unit in changes:
            units[unit] = changes[unit]
    if units != repository.units:
        updates["unit_config"] = json.dumps(units)
    new_name = changes.get("name")
    renaming = new_name is not None and new_name != repository.name
    if renaming:
        validate_name(new_name)
    old_path = hosting.path_of(repository)
    moved = False
    # A rename moves the wiki too: its writes wait (they re-read the row, so the new path).
    wiki_lock = hosting.storage.wiki_write_lock(repository.id) if renaming \
        else contextlib.nullcontext()
    with hosting.storage.write_lock(repository.id), wiki_lock:
        try:
            with write_transaction():
                if "default_branch" in changes:
                    updates["default_branch"] = _set_default_branch(
                        hosting, repository, old_path, changes["default_branch"])
                if renaming:
                    if new_name.lower() != repository.lower_name:
                        try:
                            _ensure_free(repository.owner, new_name, except_id=repository.id)
                        except Conflict as exc:
                            raise Invalid(f"name: {exc.message}") from None
                    updates.update(name=new_name, lower_name=new_name.lower())
                    redirects.record_rename(repository, repository.name, new_name)
                if updates:
                    updates["updated_at"] = utcnow()
                    Repository.update(**updates).where(Repository.id == repository.id).execute()
                    transaction_rows.forget(repository.id)
                if updates.get("is_private") and not repository.is_private:
                    # As Gitea's MakeRepoPrivate: its stars and watches are dropped.
                    STARS.clear(repository.id)
                    watches.WATCHES.clear(repository.id)
                if renaming and new_name.lower() != repository.lower_name:
                    hosting.storage.move_with_wiki(
                        old_path, hosting.storage.path(repository.owner.name, new_name))
                    moved = True
        except BaseException:
            if moved:
                hosting.storage.move_with_wiki(
                    hosting.storage.path(repository.owner.name, new_name), old_path)
            raise
    fresh = Repository.get_by_id(repository.id)
    fresh.owner = repository.owner
    return fresh


def _set_default_branch(hosting, repository: Repository, path, branch: str) -> str:
    validate_ref_name(branch, "default_branch")
    with hosting.storage.open(path) as git_repo:
        if not repository.is_empty and git_reading.branch_commit(git_repo, branch) is None:
            raise NotFound(f"default_branch: branch {branch!r} does not exist")
        git_repo.refs.set_symbolic_ref(b"HEAD", git_reading.HEADS + branch.encode())
    return branch


def delete_repository(hosting, repository: Repository) -> None:
    """Rows first, inside a transaction; the directory is moved aside in it and removed only
    after the commit (moved back if the commit fails)."""
    path = hosting.path_of(repository)
    trashed = []
    with hosting.storage.write_lock(repository.id), hosting.storage.wiki_write_lock(repository.id):
        try:
            with write_transaction():
                if not still_there(Repository, repository.id):  # a concurrent deletion won
                    raise NotFound(f"repository {repository.full_name} does not exist")
                hosting.ctx.events.publish(RepositoryDeletedEvent(
                    repository_id=repository.id, owner=repository.owner.name,
                    repository=repository.name))
                _delete_row(repository)
                trashed = _trash_directories(hosting, path, repository.id)
        except BaseException:
            for home, trashed_path in trashed:
                hosting.storage.move(trashed_path, home)
            raise
    for _home, trashed_path in trashed:
        hosting.storage.purge(trashed_path)


def _trash_directories(hosting, path, repository_id: int) -> list:
    """Move the repository's directory and its wiki's to the trash: ``(home, trashed)`` each."""
    trashed = []
    for home in (path, hosting.storage.wiki_path_of(path)):
        if home.exists():
            trashed.append((home, hosting.storage.move_to_trash(home, repository_id)))
    return trashed


def _delete_row(repository: Repository) -> None:
    """The row, its parent's fork count, its topics' counts, and (as Gitea does) its forks
    become ordinary repositories. Branch, collaborator and watch rows go by cascade."""
    if repository.fork_parent_id:
        Repository.update(num_forks=Repository.num_forks - 1).where(
            Repository.id == repository.fork_parent_id).execute()
    Repository.update(is_fork=False, fork_parent=None).where(
        Repository.fork_parent == repository.id).execute()
    topics.forget_repository(repository.id)
    STARS.forget_repository(repository.id)  # its starrers' counts; watches go by cascade
    Repository.delete().where(Repository.id == repository.id).execute()
    transaction_rows.forget_all()  # its forks' rows changed too


def fork_repository(hosting, source: Repository, owner: Account, creator: Account,
                    name: str | None) -> Repository:
    """A real git fork: objects shared by hard links, branches and tags copied, ``fork``
    and ``parent`` set; the fork keeps the source's privacy."""
    name = validate_name(name or source.name)
    if owner.id == source.owner_id and name.lower() == source.lower_name:
        raise Conflict(f"cannot fork {source.full_name} onto itself; choose another name")
    source_path = hosting.path_of(source)
    path = hosting.storage.path(owner.name, name)
    with _purged_if_failed(hosting, path) as create_directory, \
            unique_write(_taken(owner, name), Conflict):
        _ensure_free(owner, name)
        _ensure_under_creation_limit(hosting, owner, creator)
        redirects.forget(owner.id, name)
        fork = Repository.create(
            owner=owner, name=name, lower_name=name.lower(), description=source.description,
            website=source.website, is_private=source.is_private, is_fork=True,
            fork_parent=source, default_branch=source.default_branch,
            is_empty=source.is_empty)
        fork.owner = owner
        git_repo = create_directory(source.default_branch)
        with git_repo, hosting.storage.open(source_path) as source_repo:
            # Refs first, objects second: a push landing meanwhile only adds objects
            # nothing in the fork points at, never a ref to a missing object.
            refs = ref_updates.snapshot(source_repo)
            hosting.storage.copy_objects(source_path, path)
            for ref, sha in refs.items():
                if ref.startswith((git_reading.HEADS, git_reading.TAGS)):
                    git_repo.refs[ref] = sha
            ref_updates.sync_branches(fork, git_repo, creator.id)
            fork.size = hosting.storage.disk_size(path)
            fork.save()
        Repository.update(num_forks=Repository.num_forks + 1).where(
            Repository.id == source.id).execute()
        transaction_rows.forget(source.id)
        watches.watch_new_repository(hosting, fork, creator.id)
        hosting.ctx.events.publish(RepositoryCreatedEvent(
            repository_id=fork.id, owner=owner.name, repository=name,
            creator_id=creator.id, fork_of=source.id))
        crash_points.reached("repository-create-before-commit")
    return fork


def owned_repository_names(account: Account, limit: int = 10) -> tuple[list[str], int]:
    query = Repository.select(Repository.name).where(Repository.owner == account)
    names = [f"{account.name}/{row.name}" for row in query.order_by(Repository.lower_name).limit(limit)]
    return names, query.count()


def delete_repositories_of(hosting, account_id: int) -> None:
    """An account is being deleted (inside the accounts plugin's transaction): its
    repositories go with it. Directories move to the trash now and are purged by the
    ``tidy_trash`` job, which puts them back if the deletion rolled back."""
    owned = list(Repository.select(Repository, Account).join(Account)
                 .where(Repository.owner == account_id))
    for repository in owned:
        hosting.ctx.events.publish(RepositoryDeletedEvent(
            repository_id=repository.id, owner=repository.owner.name, repository=repository.name))
        _delete_row(repository)
        _trash_directories(hosting, hosting.path_of(repository), repository.id)
