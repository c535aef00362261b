"""The contents API: reading files and directories at a ref, and changing files by making a
real commit on the bare repository (create, update, upload, rename, delete; several at once)."""

from __future__ import annotations

import base64
import binascii
import dataclasses
from typing import TYPE_CHECKING

from plue_core.errors import Conflict, Invalid, NotFound, PayloadTooLarge
from plue_core.timestamps import parse_rfc3339, unix_seconds
from plue_git_hosting import git_reading, git_writing
from plue_git_hosting.git_reading import Person
from plue_git_hosting.ref_names import validate_ref_name
from plue_git_hosting.repositories import signature_of
from plue_git_hosting.repository_writes import changing_refs

if TYPE_CHECKING:
    from dulwich.objects import Commit

# The issue asks for 409 on a stale sha (GitHub's answer); Gitea itself answers 422.
STALE_SHA_ERROR = Conflict


def validate_tree_path(path: str, what: str = "path") -> str:
    """Refuse what must never reach a tree: NUL, absolute paths, ``..``/``.``/empty parts and
    anything inside ``.git`` (case-insensitive, as git refuses it)."""
    if not isinstance(path, str) or path == "":
        raise Invalid(f"{what}: a file path is required")
    if "\x00" in path:
        raise Invalid(f"{what}: {path!r} contains a NUL byte")
    if path.startswith("/") or path.startswith("\\"):
        raise Invalid(f"{what}: {path!r} is absolute; give a path inside the repository")
    for part in path.split("/"):
        if part in ("", ".", ".."):
            raise Invalid(f"{what}: {path!r} contains an empty, '.' or '..' component")
        if part.lower() == ".git":
            raise Invalid(f"{what}: {path!r} points into .git, which a repository cannot contain")
    if len(path.encode()) > 4096:
        raise Invalid(f"{what}: path is longer than 4096 bytes")
    return path


@dataclasses.dataclass(frozen=True)
class FileChange:
    operation: str  # create | update | upload | rename | delete
    path: str
    content: bytes | None = None
    sha: str = ""
    from_path: str = ""


def decode_content(text: str, max_size: int, path: str) -> bytes:
    try:
        data = base64.b64decode(text or "", validate=True)
    except (binascii.Error, ValueError):
        raise Invalid(f"content of {path!r} is not valid base64") from None
    if len(data) > max_size:
        raise PayloadTooLarge(f"{path!r} is {len(data)} bytes; the limit is {max_size} bytes")
    return data


def _parse_date(text: str, what: str) -> int | None:
    if not text:
        return None
    try:
        return unix_seconds(parse_rfc3339(text))
    except ValueError:
        raise Invalid(f"dates.{what}: {text!r} is not an RFC 3339 date") from None


def identities(options: dict, doer) -> tuple[Person, Person]:
    """Gitea's rule: neither given -> both the caller; only one given -> both that one."""
    author = options.get("author") or {}
    committer = options.get("committer") or {}
    author_given = bool(author.get("name") or author.get("email"))
    committer_given = bool(committer.get("name") or committer.get("email"))
    git_writing.check_identity(author, "author")
    git_writing.check_identity(committer, "committer")
    fallback = signature_of(doer)

    def person(given: dict) -> Person:
        return Person(given.get("name") or fallback.name, given.get("email") or fallback.email,
                      fallback.time, 0)

    if not author_given and not committer_given:
        a = c = fallback
    elif author_given and not committer_given:
        a = c = person(author)
    elif committer_given and not author_given:
        a = c = person(committer)
    else:
        a, c = person(author), person(committer)
    dates = options.get("dates") or {}
    if (when := _parse_date(dates.get("author", ""), "author")) is not None:
        a = dataclasses.replace(a, time=when)
    if (when := _parse_date(dates.get("committer", ""), "committer")) is not None:
        c = dataclasses.replace(c, time=when)
    return a, c


def default_message(changes: list[FileChange]) -> str:
    """Gitea's: "Add a, b" / "Update c" / "Delete d", one line per kind."""
    groups = {"Add": [], "Update": [], "Delete": []}
    for change in changes:
        verb = {"create": "Add", "delete": "Delete"}.get(change.operation, "Update")
        groups[verb].append(change.path)
    return "\n".join(f"{verb} {', '.join(paths)}" for verb, paths in groups.items() if paths)


def _plan(git_repo, base_tree: bytes | None, change: FileChange, edits: dict) -> None:
    """Check one change against the base tree and add its tree edits."""
    def current(path: str):
        if base_tree is None:
            return None
        entry = git_reading.lookup_path(git_repo, base_tree, path)
        if entry is not None and entry.kind == "dir":
            raise Invalid(f"{path!r} is a directory, not a file")
        return entry

    path = validate_tree_path(change.path)
    existing = current(path)
    if change.operation == "create":
        if existing is not None:
            raise Invalid(f"repository file already exists [path: {path}]")
    elif change.operation in ("update", "rename", "delete"):
        source_path = validate_tree_path(change.from_path, "from_path") if change.from_path else path
        source = current(source_path) if source_path != path else existing
        if source is None:
            raise NotFound(f"repository file does not exist [path: {source_path}]")
        if not change.sha:
            raise Invalid(f"sha: the blob sha of {source_path!r} is required to "
                          f"{change.operation} it")
        if change.sha != source.sha.decode():
            raise STALE_SHA_ERROR(f"sha does not match [given: {change.sha}, expected: "
                                  f"{source.sha.decode()}]: {source_path!r} changed meanwhile")
        if source_path != path:
            if existing is not None:
                raise Invalid(f"repository file already exists [path: {path}]")
            edits[source_path] = None
        existing = source
    if change.operation == "delete":
        edits[path] = None
        return
    blob = git_writing.store_blob(git_repo, change.content or b"")
    # An update keeps the file's mode (an executable stays executable).
    mode = existing.mode if existing is not None and existing.kind == "file" else git_writing.FILE_MODE
    edits[path] = (mode, blob)


def change_files(hosting, repository, doer, options: dict, changes: list[FileChange]) -> tuple[Commit, str]:
    """Apply ``changes`` as one commit on ``options['branch']`` (default branch) or on a new
    branch ``new_branch`` started from it. Returns the commit and the branch it is on."""
    base_branch = options.get("branch") or repository.default_branch
    target = options.get("new_branch") or base_branch
    validate_ref_name(target)
    with changing_refs(hosting, repository, doer) as git_repo:
        base = git_reading.branch_commit(git_repo, base_branch)
        if base is None and not git_reading.is_empty(git_repo):
            raise NotFound(f"branch {base_branch!r} does not exist")
        if any(c.operation == "delete" for c in changes) and base is None:
            raise NotFound("repository file does not exist: the repository is empty")
        target_ref = git_reading.HEADS + target.encode()
        old_target = git_repo.refs.as_dict().get(target_ref)
        if target != base_branch and old_target is not None and not options.get("force_push"):
            raise Invalid(f"branch already exists [name: {target}]")
        edits: dict = {}
        for change in changes:
            _plan(git_repo, base.tree if base is not None else None, change, edits)
        tree = git_writing.build_tree(git_repo, base.tree if base is not None else None, edits)
        author, committer = identities(options, doer)
        message = (options.get("message") or "").strip() or default_message(changes)
        if options.get("signoff"):
            message += f"\n\nSigned-off-by: {committer.name} <{committer.email}>"
        commit = git_writing.create_commit(git_repo, tree_id=tree,
                                           parents=[base.id] if base is not None else [],
                                           author=author, committer=committer, message=message)
        git_writing.update_ref(git_repo, target_ref, old_target, commit.id)
    return commit, target
