"""``ctx.services["git_hosting"]``: what other plugins (issues, pulls, actions) may ask of
git_hosting without importing its internals, and what its own modules share."""

from __future__ import annotations

import contextlib
import dataclasses
import pathlib
import shutil
from typing import TYPE_CHECKING, Iterator

import peewee

from plue_core.accounts.models import Account
from plue_core.db import write_transaction
from plue_core.errors import NotFound, ServiceUnavailable, StartupError
from plue_core.validation import load_data

from plue_git_hosting import (
    archives, branches, collaborators, git_reading, languages, permissions, pushes, ref_journal,
    ref_updates, repositories, repository_lists, transaction_rows, watches, wikis,
)
from plue_git_hosting import collaborators as collaborators_module  # a method is named so
from plue_git_hosting.models import Branch, Collaborator, Repository
from plue_git_hosting.open_repositories import OpenRepositories
from plue_git_hosting.remembered_objects import open_repository as open_remembering
from plue_git_hosting.reading import RepositoryReader
from plue_git_hosting.schemas.options import (
    AddCollaboratorOption, CreateRepoOption, EditRepoOption)
from plue_git_hosting.schemas.shapes import Links
from plue_git_hosting.schemas.shapes.git_objects import commit_json
from plue_git_hosting.schemas.shapes.repository import repository_json
from plue_git_hosting.schemas.shapes.users import accounts_by_email
from plue_git_hosting.storage import RepositoryStorage
from plue_git_hosting.transport import (
    DUPLEX_SERVICES, DuplexCommand, GitBinaryTransport, choose_transport, lowered_priority,
)

if TYPE_CHECKING:
    from dulwich.repo import Repo


class GitHosting:
    def __init__(self, ctx):
        self.ctx = ctx
        self.settings = ctx.section("git_hosting")
        self.base_url = ctx.config.base_url.rstrip("/")
        root = pathlib.Path(self.settings["repos_dir"] or ctx.config.data_path / "repos")
        self.storage = RepositoryStorage(root.absolute())
        self.open_repositories = OpenRepositories(open_remembering)
        self.transport = choose_transport(self.settings)

    @property
    def accounts(self):
        # Looked up late: services are collected from every plugin before any is published.
        return self.ctx.services["accounts"]

    # --- where things are ---------------------------------------------------------------

    def path_of(self, repository: Repository) -> pathlib.Path:
        return self.storage.path(repository.owner.name, repository.name)

    def html_url(self, repository: Repository) -> str:
        return f"{self.base_url}/{repository.owner.name}/{repository.name}"

    def api_url(self, repository: Repository) -> str:
        return f"{self.base_url}/api/v1/repos/{repository.owner.name}/{repository.name}"

    def clone_url(self, repository: Repository) -> str:
        return f"{self.html_url(repository)}.git"

    def ssh_url(self, owner_name: str, repo_name: str) -> str:
        """The SSH clone URL when the ``ssh`` plugin is enabled (its service composes it as
        Gitea does), else "" as Gitea without SSH."""
        ssh = self.ctx.services.get("ssh")
        return ssh.clone_url(owner_name, repo_name) if ssh is not None else ""

    # --- git over other transports (SSH): the same pushes as smart HTTP ------------------

    def duplex_command(self, repository: Repository, service: str, git_protocol: str = "", *,
                       pusher=None, lock_fd: int | None = None) -> DuplexCommand:
        """The git process serving ``service`` (``git-upload-pack``, ``git-receive-pack``,
        ``git-upload-archive``) for ``repository`` over one full-duplex stream, with the same
        policy as smart HTTP: for receive-pack the protected-branch rules of ``pusher`` (an
        Account, None for a key that is no user) and the write lock ``lock_fd`` of a
        :meth:`receiving_push`. Raises StartupError when the transport is dulwich."""
        if service not in DUPLEX_SERVICES:
            raise ValueError(f"not a git service: {service!r}")
        if not isinstance(self.transport, GitBinaryTransport):
            raise StartupError("git over SSH needs the git binary: git_hosting.transport is "
                               f"{self.transport.name!r}; install git or set it to 'auto' or 'git'")
        policy = (pushes.push_policy(self, repository, pusher) if service == "git-receive-pack"
                  else pushes.base_policy(self))
        return self.transport.duplex_command(self.path_of(repository), service, git_protocol,
                                             dataclasses.replace(policy, lock_fd=lock_fd))

    def receiving_push(self, repository: Repository, pusher, *, via: str) -> pushes.ReceivingPush:
        """The bookkeeping around a receive-pack (write lock, crash journal, recording the
        refs that moved as branch rows and push events): see ``pushes.ReceivingPush``."""
        return pushes.ReceivingPush(self, repository, pusher, via=via)

    # --- lookups other plugins use -----------------------------------------------------

    # A lookup the service only exposes is the module's function named as an attribute; a
    # method adds something of the service (docs/plugins.md, "Services";
    # tests/core/test_service_members.py).

    # The repository row (owner joined), by owner and name, whoever may see it; None when
    # absent. Access is require_repository's.
    find_repository = staticmethod(permissions.find_repository)

    def get_repository_by_id(self, repository_id: int) -> Repository | None:
        """The repository row by id (owner joined), whoever may see it; None when absent.
        Inside a change's ``transaction_memo`` scope (a push's, a runner's claim): read once
        for all who hear its events (a push's is the row it recorded)."""
        found = transaction_rows.recall(repository_id)
        if found is None:
            found = permissions.find_repository_by_id(repository_id)
            if found is not None:
                transaction_rows.remember(found)  # only while a scope is open
        return found

    # --- access: the one check every plugin and face uses (``permissions``) ------------

    def require_repository(self, identity, owner_name: str, repo_name: str, needed: str = "read",
                           *, writes: bool = False, to: str = "", memo=None,
                           follow_redirect: bool = False,
                           branch_count: bool = False) -> permissions.RepositoryAccess:
        """The repository ``owner_name/repo_name`` and ``identity``'s level on it (None:
        anonymous), when they have ``needed`` (read, write or admin). Raises NotFound when it
        is absent or they may not read it (one answer: a private repository does not exist
        for outsiders), Forbidden below ``needed``, Locked (423) when the action ``writes``
        and the repository is archived. ``to`` says in the 403 what the level is needed for;
        ``memo``: a request's RequestPermissions, if any. A renamed repository's old name
        (one the caller may read) raises ``plue_core.errors.Moved`` (307 to the new path, as
        Gitea's ``RedirectToRepo``), or with ``follow_redirect`` answers for the repository
        itself (as Gitea's SSH ``serv``). ``branch_count``: the repository's branches counted
        in the same statement (``repository.branch_count``), for a request that renders its
        ``Repository`` body (``repository_json``)."""
        memo = memo or permissions.RequestPermissions(self.accounts, identity)
        return permissions.require_repository(memo, owner_name, repo_name, needed, writes=writes,
                                              to=to, follow_redirect=follow_redirect,
                                              branch_count=branch_count)

    def granted_permissions(self, grants: dict[int, str]) -> permissions.GrantedPermissions:
        """The ``memo`` for ``require_repository`` of a credential that is no user (an SSH
        deploy key): ``grants`` maps repository ids to ``read`` or ``write``; elsewhere it
        gets what anonymous callers get. Pass ``identity=None`` with it."""
        return permissions.GrantedPermissions(self.accounts, grants)

    def permission(self, identity, repository: Repository) -> str:
        """``none``, ``read``, ``write`` or ``admin`` of ``identity`` (None: anonymous)."""
        return permissions.resolve(self.accounts, identity, repository)

    def allows(self, identity, repository: Repository, needed: str) -> bool:
        """Whether ``identity`` has at least ``needed`` on a repository already found."""
        return permissions.at_least(self.permission(identity, repository), needed)

    def readers_among(self, repository_id: int, user_ids) -> set[int]:
        """Which of ``user_ids`` may read ``repository_id`` (one statement): whom a change
        may be told about (notifications)."""
        return permissions.readers_among(self.accounts, repository_id, user_ids)

    # The users watching a repository, by id (one statement): whom a change to it concerns.
    watcher_ids = staticmethod(watches.watcher_ids)

    def visible_repository_ids(self, identity):
        """A subquery of the ids of every repository ``identity`` may read (None: anonymous),
        for filtering other plugins' rows in SQL; the same rule as :meth:`permission`."""
        query = Repository.select(Repository.id).join(Account)
        condition = permissions.visible_condition(self.accounts, identity)
        return query if condition is None else query.where(condition)

    # The compiled form of ``visible_repository_ids``: ``visibility_shape(identity)`` is the
    # (shape, user id) its SQL depends on; ``visible_ids_of_shape(shape, user_id)`` builds the
    # subquery for that shape, ``user_id`` being a placeholder of a ``CompiledSelect``.
    visibility_shape = staticmethod(permissions.visibility_shape)

    def visible_ids_of_shape(self, shape: str, user_id):
        """See :func:`plue_git_hosting.permissions.visible_ids_of_shape`."""
        return permissions.visible_ids_of_shape(self.accounts, shape, user_id)

    @contextlib.contextmanager
    def open_git(self, repository: Repository) -> Iterator[Repo]:
        """The bare repository for reading, this thread's until the block ends: kept open
        across requests (:mod:`plue_git_hosting.open_repositories`), so never closed by
        the caller."""
        with self.open_repositories.using(
                self.storage.path_text(repository.owner.name, repository.name)) as repo:
            if repo is None:
                raise NotFound(f"repository {repository.full_name} has no data on disk")
            yield repo

    def close(self) -> None:
        """At shutdown: close the repositories kept open for reading."""
        self.open_repositories.close()

    # --- the wiki beside each repository (``wikis``): what a page is, the wiki plugin says ---

    def open_wiki(self, repository: Repository):
        """``with hosting.open_wiki(repository) as repo``: its wiki's bare repository (dulwich),
        None while it has none; pages are files on branch ``wikis.BRANCH``."""
        return wikis.reading(self, repository)

    def commit_to_wiki(self, repository: Repository, doer: Account, message: str, change) -> bytes:
        """One commit by ``doer`` on the wiki (created by its first): see
        :func:`plue_git_hosting.wikis.commit_files`."""
        return wikis.commit_files(self, repository, doer, message, change)

    def archive(self, repository: Repository, name: str,
                paths: tuple[str, ...] = ()) -> archives.Archive:
        """``{ref}.zip`` or ``{ref}.tar.gz`` of ``repository``: the download a tag's
        ``zipball_url`` / ``tarball_url`` names (only ``paths`` when given), streamed from ``git archive``
        (:mod:`plue_git_hosting.archives`). NotFound for an unknown ref,
        ``archives.UnknownFormat`` (400) for another suffix; ServiceUnavailable without git."""
        with self.open_git(repository) as repo:
            return archives.archive(repo, self.path_of(repository), repository.name, name,
                                    self._git_binary().stream, paths)

    def languages(self, repository: Repository) -> dict[str, int]:
        """Bytes of code per language at the tip of the default branch, Gitea's
        ``repoGetLanguages`` (:mod:`plue_git_hosting.languages`); ``{}`` while it has none."""
        with self.open_git(repository) as repo:
            tip = git_reading.branch_commit(repo, repository.default_branch)
            return languages.language_bytes(repo, str(self.path_of(repository)),
                                            tip.id if tip is not None else None)

    def _git_binary(self) -> GitBinaryTransport:
        # Archives need git itself, even when clones are served by dulwich.
        if isinstance(self.transport, GitBinaryTransport):
            return self.transport
        executable = shutil.which(self.settings["git_binary"] or "git")
        if executable is None:
            raise ServiceUnavailable("archives need the git binary, which is not installed")
        return GitBinaryTransport(executable, lowered_priority(self.settings["git_niceness"]))

    def branch_tips(self, repository: Repository, names=None) -> dict[str, str]:
        """Branch name -> sha of ``repository`` (``names``: only those that exist), from its
        refs without opening it (:func:`plue_git_hosting.git_reading.branch_tips`)."""
        return git_reading.branch_tips(self.path_of(repository), names)

    @contextlib.contextmanager
    def reader(self, repository: Repository) -> Iterator[RepositoryReader]:
        """Refs, trees, blobs, history and diffs of ``repository`` for a face that shows code
        (the web pages), read with git_hosting's own readers; closed on exit."""
        with self.open_git(repository) as repo:
            yield RepositoryReader(repository, repo)

    def list_repositories(self, identity, **filters) -> tuple[list[Repository], int]:
        """A page of the repositories ``identity`` may see, and their count (see
        :func:`plue_git_hosting.repository_lists.list_repositories` for the filters)."""
        return repository_lists.list_repositories(self.accounts, identity, **filters)

    def repository_ids(self, identity, *, mine: bool = False):
        """A subquery of the ids of the repositories :meth:`list_repositories` lists (with
        ``mine``: those ``identity`` owns, collaborates on or reaches through an org)."""
        return repository_lists.repository_ids(self.accounts, identity, mine=mine)

    def recent_pushes(self, repository_ids, limit: int = 20) -> list[Branch]:
        """The branches of ``repository_ids`` (a subquery) most recently moved, newest first,
        with their pusher and repository (owner joined): each branch's last push (the columns
        a feed shows)."""
        owner = Account.alias("owner")
        pusher = Account.alias("pusher")
        return list(Branch.select(Branch.id, Branch.name, Branch.commit_sha, Branch.commit_message,
                                  Branch.updated_at, Branch.repository, Branch.pusher,
                                  Repository.id, Repository.name, Repository.owner, owner.id,
                                  owner.name, pusher.id, pusher.name)
                    .join(Repository, on=(Branch.repository == Repository.id))
                    .join(owner, on=(Repository.owner == owner.id), attr="owner")
                    .switch(Branch)
                    .join(pusher, peewee.JOIN.LEFT_OUTER, on=(Branch.pusher == pusher.id),
                          attr="pusher")
                    .where(Branch.repository.in_(repository_ids))
                    .order_by(Branch.updated_at.desc(), Branch.id.desc()).limit(limit))

    def write_lock(self, repository: Repository):
        """Hold while changing the repository's refs (other plugins merging pulls, too)."""
        return self.storage.write_lock(repository.id)

    # ``(kind, commit)`` of a branch, tag or commit id in an open dulwich ``Repo``, as Gitea
    # resolves it (404 naming the ref when nothing matches).
    resolve_commit = staticmethod(git_reading.resolve_commit)

    def journal_ref_change(self, repository: Repository, pusher) -> int:
        """Call holding :meth:`write_lock`, before moving refs yourself (a merge): commits a
        journal entry, so that if the process dies before :meth:`record_ref_updates`, the
        change is still recorded and published, once (``ref_journal``). Pass the returned id
        to ``record_ref_updates``, or to :meth:`discard_ref_change` after putting refs back."""
        ref_journal.replay_pending(self, repository)
        with self.open_git(repository) as repo:
            return ref_journal.open_entry(repository, pusher, "api", ref_updates.snapshot(repo))

    def discard_ref_change(self, journal_entry: int) -> None:
        """The refs were put back: the entry of :meth:`journal_ref_change` has nothing to record."""
        ref_journal.discard_entry(journal_entry)

    def record_ref_updates(self, repository, repo, updates, *, pusher, via="api", before_refs=None,
                           journal_entry: int | None = None):
        """Call after moving refs yourself (a merge): DB rows and push events follow, and the
        ``journal_entry`` of :meth:`journal_ref_change` is closed, in one transaction."""
        with write_transaction():
            ref_updates.record(self, repository, repo, updates, pusher=pusher, via=via,
                               before_refs=before_refs)
            if journal_entry is not None:
                ref_journal.close_entry(journal_entry)

    def fork_of(self, repository: Repository, owner) -> Repository | None:
        """``owner``'s fork of ``repository`` (owner joined), if they have one."""
        return (Repository.select(Repository, Account).join(Account)
                .where((Repository.fork_parent == repository.id) & (Repository.owner == owner.id))
                .first())

    def repository_json(self, repository: Repository, identity, *,
                        branch_count: int | None = None) -> dict:
        """Gitea's ``Repository`` as ``identity`` sees it (pull requests embed their base and
        head repositories). ``branch_count``: already read (``require_repository``'s), else
        counted here."""
        return repository_json(self, repository, permissions.RequestPermissions(self.accounts, identity),
                               branch_count=branch_count)

    def commits_json(self, repository: Repository, repo: Repo, commits, identity, *,
                     stat: bool = True, files: bool = True, verification: bool = True) -> list[dict]:
        """Gitea's ``Commit`` for each dulwich commit of ``repo`` (authors matched to users by
        e-mail in one query)."""
        emails = set()
        for commit in commits:
            emails.add(git_reading.author_of(commit).email)
            emails.add(git_reading.committer_of(commit).email)
        users = accounts_by_email(emails)
        links = Links(self, repository)

        def render_user(account):
            return self.accounts.user_json(account, identity)

        return [commit_json(links, repo, commit, users, render_user, stat=stat, files=files,
                            verification=verification) for commit in commits]

    def delete_branch(self, repository: Repository, doer, name: str) -> None:
        """Delete a branch as the API does (never the default branch; refs, rows and the push
        event together)."""
        branches.delete_branch(self, repository, doer, name)

    def create_tag(self, repository: Repository, doer, name: str, *, target: str = "",
                   message: str = "") -> bytes:
        """Create a tag as the API's ``POST /tags`` does (annotated when there is a message;
        the ref change recorded and published): a release's tag."""
        return branches.create_tag(self, repository, doer, name, target=target, message=message)

    def tag_commit(self, repository: Repository, name: str) -> str | None:
        """The commit id tag ``name`` points at (peeled), or None when there is no such tag."""
        with self.open_git(repository) as repo:
            sha = repo.refs.as_dict(git_reading.TAGS).get(name.encode())
            commit = git_reading.peel_to_commit(repo, sha) if sha is not None else None
            return commit.id.decode() if commit is not None else None

    def adjust_counter(self, repository_id: int, field: str, delta: int) -> None:
        """Issues and pulls keep ``num_open_issues`` / ``num_open_pulls`` / ``num_releases``."""
        if field not in ("num_open_issues", "num_open_pulls", "num_releases", "num_stars",
                         "num_watches"):
            raise ValueError(f"{field} is not a repository counter")
        column = getattr(Repository, field)
        Repository.update({column: column + delta}).where(Repository.id == repository_id).execute()
        transaction_rows.forget(repository_id)

    # --- settings a face changes (the web pages): the API's rules and functions; the caller
    # checks the access (``require_repository(..., "admin", writes=...)``) first ------------

    def create_repository(self, identity, owner: Account, options: dict) -> Repository:
        """As the API's ``POST /user/repos`` and ``/orgs/{org}/repos``: ``CreateRepoOption``
        (a 422 names the field), who may create in ``owner`` (403; 404 for an organization
        the caller cannot see), 409 for a name taken."""
        options = load_data(options, CreateRepoOption)
        repositories.check_can_create_in(self.accounts, identity, owner)
        return repositories.create_repository(self, owner, self.accounts.account_for(identity),
                                              options)

    def repository_owners_for(self, identity) -> list[Account]:
        """Where ``identity`` may create repositories: itself, then the organizations it
        belongs to that let it (``check_can_create_in``), by name."""
        user = self.accounts.account_for(identity)
        org_ids = list(self.accounts.org_ids_of_user(user.id))
        orgs = Account.select().where(Account.id.in_(org_ids)).order_by(Account.lower_name) \
            if org_ids else []
        return [user] + [org for org in orgs if self.accounts.org_permission(org, user.id)
                         in ("owner", "admin", "write")]

    def edit_repository(self, repository: Repository, changes: dict) -> Repository:
        """``EditRepoOption`` (validated here: a 422 names the field), as the API's PATCH."""
        return repositories.edit_repository(self, repository, load_data(changes, EditRepoOption))

    def collaborators(self, repository: Repository) -> list[tuple[Account, str]]:
        """The collaborators and their permission (read, write or admin), by name."""
        rows = (Collaborator.select(Collaborator, Account).join(Account)
                .where(Collaborator.repository == repository.id).order_by(Account.lower_name))
        return [(row.user, row.permission) for row in rows]

    def add_collaborator(self, repository: Repository, username: str, permission: str) -> None:
        """Add or change a collaborator, as the API's PUT (422: unknown user, bad permission,
        the owner)."""
        options = load_data({"permission": permission}, AddCollaboratorOption)
        user = collaborators.find_user_or_422(self.accounts, username)
        collaborators.add_collaborator(repository, user, options["permission"])

    def remove_collaborator(self, repository: Repository, username: str) -> None:
        collaborators.remove_collaborator(
            repository, collaborators.find_user_or_422(self.accounts, username))

    # Who may be assigned to its issues (its writers, as ``/assignees``), by name:
    # ``assignable_users(repository, limit=100)``.
    assignable_users = staticmethod(collaborators_module.assignable_users)
