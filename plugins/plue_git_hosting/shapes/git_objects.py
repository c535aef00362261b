"""Gitea's shapes for git objects: Commit, FileCommitResponse, PayloadCommit, Branch, Tag,
Reference, GitTreeResponse, GitBlobResponse."""

from __future__ import annotations

import base64
from urllib.parse import quote

from dulwich.objects import Commit, Tag
from dulwich.repo import Repo

from plue_core.timestamps import ZERO_TIME
from plue_git_hosting import diffstat, git_reading
from plue_git_hosting.git_reading import Person
from plue_git_hosting.shapes import Links, rfc3339

UNSIGNED = {"verified": False, "reason": "gpg.error.not_signed_commit", "signature": "",
            "signer": None, "payload": ""}


def commit_user(person: Person, *, local: bool = False) -> dict:
    return {"name": person.name, "email": person.email,
            "date": person.rfc3339_local() if local else person.rfc3339_utc()}


def _sha(value: bytes | str) -> str:
    return value.decode() if isinstance(value, bytes) else value


def file_commit_response(links: Links, commit: Commit) -> dict:
    """``FileCommitResponse``: the commit a contents write made."""
    sha = _sha(commit.id)
    committer = git_reading.committer_of(commit)
    return {
        "url": f"{links.api}/git/commits/{sha}",
        "sha": sha,
        "created": committer.rfc3339_utc(),
        "html_url": f"{links.html}/commit/{sha}",
        "author": commit_user(git_reading.author_of(commit)),
        "committer": commit_user(committer),
        "parents": [{"url": f"{links.api}/git/commits/{_sha(p)}", "sha": _sha(p),
                     "created": ZERO_TIME} for p in commit.parents],
        "message": git_reading.message_of(commit),
        "tree": {"url": f"{links.api}/git/trees/{_sha(commit.tree)}", "sha": _sha(commit.tree),
                 "created": committer.rfc3339_utc()},
    }


def commit_json(links: Links, repo: Repo, commit: Commit, users_by_email: dict, render_user, *,
                stat: bool = True, files: bool = True, verification: bool = True) -> dict:
    """Gitea's ``Commit`` (``/git/commits/{sha}``, ``/commits``). ``users_by_email`` maps
    lower-cased e-mails to accounts, looked up once per page; ``render_user`` turns one into
    Gitea's ``User``."""
    sha = _sha(commit.id)
    author, committer = git_reading.author_of(commit), git_reading.committer_of(commit)
    author_account = users_by_email.get(author.email.lower())
    committer_account = users_by_email.get(committer.email.lower())
    body = {
        "url": f"{links.api}/git/commits/{sha}",
        "sha": sha,
        "created": committer.rfc3339_local(),
        "html_url": f"{links.html}/commit/{sha}",
        "commit": {
            "url": f"{links.api}/git/commits/{sha}",
            "author": commit_user(author, local=True),
            "committer": commit_user(committer, local=True),
            "message": git_reading.message_of(commit),
            "tree": {"url": f"{links.api}/git/trees/{_sha(commit.tree)}", "sha": _sha(commit.tree),
                     "created": committer.rfc3339_local()},
            "verification": dict(UNSIGNED) if verification else None,
        },
        "author": render_user(author_account) if author_account else None,
        "committer": render_user(committer_account) if committer_account else None,
        "parents": [{"url": f"{links.api}/git/commits/{_sha(p)}", "sha": _sha(p),
                     "created": ZERO_TIME} for p in commit.parents],
        "files": None,
        "stats": None,
    }
    if files or stat:
        changes = diffstat.changed_files(repo, commit)
        if files:
            body["files"] = [{"filename": path, "status": status}
                             for status, path, _old, _new in changes]
        if stat:
            additions, deletions = diffstat.line_counts(repo, changes)
            body["stats"] = {"total": additions + deletions, "additions": additions,
                             "deletions": deletions}
    return body


def payload_commit_from_branch(links: Links, row, usernames: dict) -> dict:
    """Gitea's ``PayloadCommit`` for a branch head, from the branch row (no git read)."""
    return {
        "id": row.commit_sha,
        "message": row.commit_message,
        "url": f"{links.html}/commit/{row.commit_sha}",
        "author": {"name": row.author_name, "email": row.author_email,
                   "username": usernames.get(row.author_email.lower(), "")},
        "committer": {"name": row.committer_name, "email": row.committer_email,
                      "username": usernames.get(row.committer_email.lower(), "")},
        "timestamp": rfc3339(row.commit_time),
        "added": [], "removed": [], "modified": [],
        "verification": dict(UNSIGNED),
    }


def branch_json(links: Links, row, usernames: dict, *, can_write: bool,
                rule: dict | None = None) -> dict:
    """Gitea's ``Branch`` for a viewer who may (``can_write``) or may not write the repository;
    ``rule`` is the protection rule that decides for this branch (see ``ref_rules``), as
    another plugin answered ``protected_ref_rules`` for this viewer, or None."""
    if rule is None:
        return {
            "name": row.name,
            "commit": payload_commit_from_branch(links, row, usernames),
            "protected": False,
            "required_approvals": 0,
            "enable_status_check": False,
            "status_check_contexts": [],
            "user_can_push": can_write,
            "user_can_merge": can_write,
            "effective_branch_protection_name": "",
        }
    return {
        "name": row.name,
        "commit": payload_commit_from_branch(links, row, usernames),
        "protected": True,
        "required_approvals": int(rule.get("required_approvals") or 0),
        "enable_status_check": bool(rule.get("enable_status_check")),
        "status_check_contexts": list(rule.get("status_check_contexts") or []),
        # Gitea: the rule's allowlists refine, never widen, what write access gives.
        "user_can_push": can_write and bool(rule["can_push"]),
        "user_can_merge": can_write and bool(rule.get("can_merge", True)),
        "effective_branch_protection_name": rule["rule_name"],
    }


def tag_json(links: Links, repo: Repo, name: str, sha: bytes) -> dict:
    """Gitea's ``Tag``; ``id`` is the tag object for an annotated tag, the commit otherwise."""
    obj = repo[sha]
    message, created = "", ZERO_TIME
    commit = git_reading.peel_to_commit(repo, sha)
    if isinstance(obj, Tag):
        message = git_reading.message_of(obj).strip()
        created = git_reading.parse_person(obj.tagger, obj.tag_time, obj.tag_timezone).rfc3339_local()
    elif commit is not None:
        message = git_reading.message_of(commit).strip()
        created = git_reading.committer_of(commit).rfc3339_local()
    commit_sha = _sha(commit.id) if commit is not None else _sha(sha)
    quoted = quote(name, safe="")
    return {
        "name": name,
        "message": message,
        "id": _sha(sha),
        "commit": {"url": f"{links.api}/git/commits/{commit_sha}", "sha": commit_sha,
                   "created": created},
        "zipball_url": f"{links.html}/archive/{quoted}.zip",
        "tarball_url": f"{links.html}/archive/{quoted}.tar.gz",
    }


def reference_json(links: Links, repo: Repo, ref: bytes, sha: bytes) -> dict:
    kind = "commit"
    try:
        kind = {1: "commit", 2: "tree", 3: "blob", 4: "tag"}[repo[sha].type_num]
    except KeyError:
        pass
    plural = {"commit": "commits", "tag": "tags", "tree": "trees", "blob": "blobs"}[kind]
    name = ref.decode()
    return {"ref": name, "url": f"{links.api}/git/{name}",
            "object": {"type": kind, "sha": _sha(sha), "url": f"{links.api}/git/{plural}/{_sha(sha)}"}}


def blob_json(links: Links, sha: bytes, data: bytes | None, size: int) -> dict:
    """``GitBlobResponse``; ``data`` None when the blob is over the size limit (Gitea then
    sends the metadata without content)."""
    return {
        "content": base64.b64encode(data).decode() if data is not None else None,
        "encoding": "base64" if data is not None else None,
        "url": f"{links.api}/git/blobs/{_sha(sha)}",
        "sha": _sha(sha),
        "size": size,
    }
