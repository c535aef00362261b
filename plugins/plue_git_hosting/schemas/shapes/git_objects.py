"""Gitea's shapes for git objects: Commit, FileCommitResponse, PayloadCommit, Branch, Tag,
Reference, GitTreeResponse, GitBlobResponse, AnnotatedTag (plue_core.shapes: each shape renders
and documents its body; the functions below gather what a body needs and call it)."""

from __future__ import annotations

import base64
from typing import TYPE_CHECKING, NamedTuple
from urllib.parse import quote

from plue_core.accounts.schemas.users import USER_SHAPE
from plue_core.shapes import Shape, array, boolean, integer, obj, string, time
from plue_core.timestamps import ZERO_TIME
from plue_git_hosting import diffstat, git_reading
from plue_git_hosting.git_reading import Person
from plue_git_hosting.schemas.shapes import Links, rfc3339

if TYPE_CHECKING:
    from dulwich.objects import Commit, Tag
    from dulwich.repo import Repo

UNSIGNED = {"verified": False, "reason": "gpg.error.not_signed_commit", "signature": "",
            "signer": None, "payload": ""}

VERIFICATION_SHAPE = Shape("PayloadCommitVerification", [
    boolean("verified"), string("reason"), string("signature"),
    obj("signer", nullable=True), string("payload"),
])
# What every commit of Plue carries: Plue does not check signatures.
UNSIGNED_FIELD = {"const": UNSIGNED, "shape": VERIFICATION_SHAPE}


class CommitMeta(NamedTuple):
    url: str
    sha: str
    created: str


COMMIT_META_SHAPE = Shape("CommitMeta", [string("url"), string("sha"), time("created")])

# ``date`` in the committer's own offset (``Commit``) or in UTC (``FileCommitResponse``).
COMMIT_USER_SHAPE = Shape("CommitUser", [
    string("name"), string("email"),
    time("date", lambda person, local: person.rfc3339_local() if local else person.rfc3339_utc()),
])


def commit_user(person: Person, *, local: bool = False) -> dict:
    return COMMIT_USER_SHAPE(person, local)


def _sha(value: bytes | str) -> str:
    return value.decode() if isinstance(value, bytes) else value


def _parents(links: Links, commit: Commit) -> list[dict]:
    return [COMMIT_META_SHAPE(CommitMeta(f"{links.api}/git/commits/{_sha(p)}", _sha(p), ZERO_TIME))
            for p in commit.parents]


class _CommitParts:
    """A commit as its shapes read it, parsed once."""

    __slots__ = ("links", "commit", "sha", "author", "committer", "local")

    def __init__(self, links: Links, commit: Commit, *, local: bool):
        self.links, self.commit, self.local = links, commit, local
        self.sha = _sha(commit.id)
        self.author = git_reading.author_of(commit)
        self.committer = git_reading.committer_of(commit)

    @property
    def created(self) -> str:
        return self.committer.rfc3339_local() if self.local else self.committer.rfc3339_utc()

    @property
    def url(self) -> str:
        return f"{self.links.api}/git/commits/{self.sha}"

    @property
    def html_url(self) -> str:
        return f"{self.links.html}/commit/{self.sha}"

    def tree(self) -> dict:
        tree = _sha(self.commit.tree)
        return COMMIT_META_SHAPE(CommitMeta(f"{self.links.api}/git/trees/{tree}", tree, self.created))


FILE_COMMIT_SHAPE = Shape("FileCommitResponse", [
    string("url"),
    string("sha"),
    time("created"),
    string("html_url"),
    obj("author", lambda c, _: commit_user(c.author), shape=COMMIT_USER_SHAPE),
    obj("committer", lambda c, _: commit_user(c.committer), shape=COMMIT_USER_SHAPE),
    array("parents", lambda c, _: _parents(c.links, c.commit), items=COMMIT_META_SHAPE),
    string("message", lambda c, _: git_reading.message_of(c.commit)),
    obj("tree", lambda c, _: c.tree(), shape=COMMIT_META_SHAPE),
])


def file_commit_response(links: Links, commit: Commit) -> dict:
    """``FileCommitResponse``: the commit a contents write made."""
    return FILE_COMMIT_SHAPE(_CommitParts(links, commit, local=False))


REPO_COMMIT_SHAPE = Shape("RepoCommit", [
    string("url"),
    obj("author", lambda c, _: commit_user(c.author, local=True), shape=COMMIT_USER_SHAPE),
    obj("committer", lambda c, _: commit_user(c.committer, local=True), shape=COMMIT_USER_SHAPE),
    string("message", lambda c, _: git_reading.message_of(c.commit)),
    obj("tree", lambda c, _: c.tree(), shape=COMMIT_META_SHAPE),
    obj("verification", lambda c, verification: dict(UNSIGNED) if verification else None,
        shape=VERIFICATION_SHAPE, nullable=True),
])
class AffectedFile(NamedTuple):
    filename: str
    status: str


class CommitStats(NamedTuple):
    total: int
    additions: int
    deletions: int


AFFECTED_FILE_SHAPE = Shape("CommitAffectedFiles", [string("filename"), string("status")])
COMMIT_STATS_SHAPE = Shape("CommitStats", [integer("total"), integer("additions"),
                                           integer("deletions")])


class _CommitView:
    __slots__ = ("users_by_email", "render_user", "files", "stats", "verification")

    def __init__(self, users_by_email, render_user, files, stats, verification):
        self.users_by_email, self.render_user = users_by_email, render_user
        self.files, self.stats, self.verification = files, stats, verification

    def user(self, person: Person) -> dict | None:
        account = self.users_by_email.get(person.email.lower())
        return self.render_user(account) if account else None


COMMIT_SHAPE = Shape("Commit", [
    string("url"),
    string("sha"),
    time("created"),
    string("html_url"),
    obj("commit", lambda c, v: REPO_COMMIT_SHAPE(c, v.verification), shape=REPO_COMMIT_SHAPE),
    obj("author", lambda c, v: v.user(c.author), shape=USER_SHAPE, nullable=True),
    obj("committer", lambda c, v: v.user(c.committer), shape=USER_SHAPE, nullable=True),
    array("parents", lambda c, _: _parents(c.links, c.commit), items=COMMIT_META_SHAPE),
    array("files", lambda c, v: v.files, items=AFFECTED_FILE_SHAPE, nullable=True),
    obj("stats", lambda c, v: v.stats, shape=COMMIT_STATS_SHAPE, nullable=True),
])


def commit_json(links: Links, repo: Repo, commit: Commit, users_by_email: dict, render_user, *,
                stat: bool = True, files: bool = True, verification: bool = True) -> dict:
    """Gitea's ``Commit`` (``/git/commits/{sha}``, ``/commits``). ``users_by_email`` maps
    lower-cased e-mails to accounts, looked up once per page; ``render_user`` turns one into
    Gitea's ``User``."""
    changed = stats = None
    if files or stat:
        changes = diffstat.changed_files(repo, commit)
        if files:
            changed = [AFFECTED_FILE_SHAPE(AffectedFile(path, status))
                       for status, path, _old, _new in changes]
        if stat:
            additions, deletions = diffstat.line_counts(repo, changes)
            stats = COMMIT_STATS_SHAPE(CommitStats(additions + deletions, additions, deletions))
    view = _CommitView(users_by_email, render_user, changed, stats, verification)
    return COMMIT_SHAPE(_CommitParts(links, commit, local=True), view)


PAYLOAD_USER_SHAPE = Shape("PayloadUser", [
    string("name", lambda person, _: person[0]), string("email", lambda person, _: person[1]),
    string("username", lambda person, usernames: usernames.get(person[1].lower(), "")),
])

# From the branch row (no git read).
PAYLOAD_COMMIT_SHAPE = Shape("PayloadCommit", [
    string("id", "commit_sha"),
    string("message", "commit_message"),
    string("url", lambda row, v: f"{v[0].html}/commit/{row.commit_sha}"),
    obj("author", lambda row, v: PAYLOAD_USER_SHAPE((row.author_name, row.author_email), v[1]),
        shape=PAYLOAD_USER_SHAPE),
    obj("committer",
        lambda row, v: PAYLOAD_USER_SHAPE((row.committer_name, row.committer_email), v[1]),
        shape=PAYLOAD_USER_SHAPE),
    time("timestamp", lambda row, _: rfc3339(row.commit_time)),
    array("added", const=[], items="string"),
    array("removed", const=[], items="string"),
    array("modified", const=[], items="string"),
    obj("verification", **UNSIGNED_FIELD),
])


def payload_commit_from_branch(links: Links, row, usernames: dict) -> dict:
    """Gitea's ``PayloadCommit`` for a branch head; ``usernames`` maps lower-cased e-mails."""
    return PAYLOAD_COMMIT_SHAPE(row, (links, usernames))


class _BranchView:
    __slots__ = ("links", "usernames", "can_write", "rule")

    def __init__(self, links, usernames, can_write, rule):
        self.links, self.usernames, self.can_write, self.rule = links, usernames, can_write, rule


# ``rule`` is the protection rule that decides for this branch (None: unprotected). Gitea: the
# rule's allowlists refine, never widen, what write access gives.
BRANCH_SHAPE = Shape("Branch", [
    string("name"),
    obj("commit", lambda row, v: payload_commit_from_branch(v.links, row, v.usernames),
        shape=PAYLOAD_COMMIT_SHAPE),
    boolean("protected", lambda row, v: v.rule is not None),
    integer("required_approvals",
            lambda row, v: int(v.rule.get("required_approvals") or 0) if v.rule else 0),
    boolean("enable_status_check",
            lambda row, v: bool(v.rule.get("enable_status_check")) if v.rule else False),
    array("status_check_contexts",
          lambda row, v: list(v.rule.get("status_check_contexts") or []) if v.rule else [],
          items="string"),
    boolean("user_can_push",
            lambda row, v: v.can_write and (v.rule is None or bool(v.rule["can_push"]))),
    boolean("user_can_merge",
            lambda row, v: v.can_write and (v.rule is None or bool(v.rule.get("can_merge", True)))),
    string("effective_branch_protection_name",
           lambda row, v: v.rule["rule_name"] if v.rule else ""),
])


def branch_json(links: Links, row, usernames: dict, *, can_write: bool,
                rule: dict | None = None) -> dict:
    """Gitea's ``Branch`` for a viewer who may (``can_write``) or may not write the repository;
    ``rule`` is the protection rule that decides for this branch (see ``ref_rules``), as
    another plugin answered ``protected_ref_rules`` for this viewer, or None."""
    return BRANCH_SHAPE(row, _BranchView(links, usernames, can_write, rule))


class TagParts(NamedTuple):
    name: str
    message: str
    id: str
    commit: CommitMeta
    quoted: str
    links: Links


TAG_SHAPE = Shape("Tag", [
    string("name"),
    string("message"),
    string("id"),
    obj("commit", lambda tag, _: COMMIT_META_SHAPE(tag.commit), shape=COMMIT_META_SHAPE),
    string("zipball_url", lambda tag, _: f"{tag.links.html}/archive/{tag.quoted}.zip"),
    string("tarball_url", lambda tag, _: f"{tag.links.html}/archive/{tag.quoted}.tar.gz"),
])


def tag_json(links: Links, repo: Repo, name: str, sha: bytes) -> dict:
    """Gitea's ``Tag``; ``id`` is the tag object for an annotated tag, the commit otherwise."""
    from dulwich.objects import Tag

    obj_ = repo[sha]
    message, created = "", ZERO_TIME
    commit = git_reading.peel_to_commit(repo, sha)
    if isinstance(obj_, Tag):
        message = git_reading.message_of(obj_).strip()
        created = git_reading.parse_person(obj_.tagger, obj_.tag_time, obj_.tag_timezone).rfc3339_local()
    elif commit is not None:
        message = git_reading.message_of(commit).strip()
        created = git_reading.committer_of(commit).rfc3339_local()
    commit_sha = _sha(commit.id) if commit is not None else _sha(sha)
    meta = CommitMeta(f"{links.api}/git/commits/{commit_sha}", commit_sha, created)
    return TAG_SHAPE(TagParts(name, message, _sha(sha), meta, quote(name, safe=""), links))


class GitObject(NamedTuple):
    type: str
    sha: str
    url: str


GIT_OBJECT_SHAPE = Shape("GitObject", [string("type"), string("sha"), string("url")])
REFERENCE_SHAPE = Shape("Reference", [
    string("ref", lambda ref, _: ref[0]),
    string("url", lambda ref, links: f"{links.api}/git/{ref[0]}"),
    obj("object", lambda ref, _: GIT_OBJECT_SHAPE(ref[1]), shape=GIT_OBJECT_SHAPE),
])

_PLURALS = {"commit": "commits", "tag": "tags", "tree": "trees", "blob": "blobs"}


def reference_json(links: Links, repo: Repo, ref: bytes, sha: bytes) -> dict:
    kind = "commit"
    try:
        kind = {1: "commit", 2: "tree", 3: "blob", 4: "tag"}[repo[sha].type_num]
    except KeyError:
        pass
    target = GitObject(kind, _sha(sha), f"{links.api}/git/{_PLURALS[kind]}/{_sha(sha)}")
    return REFERENCE_SHAPE((ref.decode(), target), links)


# ``data`` None when the blob is over the size limit (Gitea then sends the metadata only).
GIT_BLOB_SHAPE = Shape("GitBlobResponse", [
    string("content", lambda blob, _: base64.b64encode(blob[1]).decode() if blob[1] is not None
           else None, nullable=True),
    string("encoding", lambda blob, _: "base64" if blob[1] is not None else None, nullable=True),
    string("url", lambda blob, links: f"{links.api}/git/blobs/{blob[0]}"),
    string("sha", lambda blob, _: blob[0]),
    integer("size", lambda blob, _: blob[2]),
])


def blob_json(links: Links, sha: bytes, data: bytes | None, size: int) -> dict:
    """``GitBlobResponse``."""
    return GIT_BLOB_SHAPE((_sha(sha), data, size), links)


class GitEntry(NamedTuple):
    path: str
    mode: str
    type: str
    size: int
    sha: str
    url: str


GIT_ENTRY_SHAPE = Shape("GitEntry", [string("path"), string("mode"), string("type"),
                                     integer("size"), string("sha"), string("url")])


class GitTree(NamedTuple):
    sha: str
    url: str
    tree: list
    truncated: bool
    page: int
    total_count: int


GIT_TREE_SHAPE = Shape("GitTreeResponse", [
    string("sha"), string("url"),
    array("tree", lambda tree, _: GIT_ENTRY_SHAPE.many(tree.tree), items=GIT_ENTRY_SHAPE),
    boolean("truncated"), integer("page"), integer("total_count"),
])

ANNOTATED_TAG_OBJECT_SHAPE = Shape("AnnotatedTagObject", [string("type"), string("url"),
                                                          string("sha")])  # Gitea's order
ANNOTATED_TAG_SHAPE = Shape("AnnotatedTag", [
    string("tag", lambda tag, _: tag.name.decode()),
    string("sha", lambda tag, _: tag.id.decode()),
    string("url", lambda tag, links: f"{links.api}/git/tags/{tag.id.decode()}"),
    string("message", lambda tag, _: git_reading.message_of(tag)),
    obj("tagger", lambda tag, _: commit_user(
        git_reading.parse_person(tag.tagger, tag.tag_time, tag.tag_timezone), local=True),
        shape=COMMIT_USER_SHAPE),
    obj("object", lambda tag, links: _tag_target(links, tag), shape=ANNOTATED_TAG_OBJECT_SHAPE),
    obj("verification", **UNSIGNED_FIELD),
])


def _tag_target(links: Links, tag: Tag) -> dict:
    from dulwich.objects import Blob, Commit, Tag, Tree

    target_type, target = tag.object
    kind = {Commit: "commit", Tree: "tree", Blob: "blob", Tag: "tag"}.get(target_type, "commit")
    return ANNOTATED_TAG_OBJECT_SHAPE(
        GitObject(kind, target.decode(), f"{links.api}/git/{kind}s/{target.decode()}"))


def annotated_tag_json(links: Links, tag: Tag) -> dict:
    """Gitea's ``AnnotatedTag`` (``/git/tags/{sha}``)."""
    return ANNOTATED_TAG_SHAPE(tag, links)


COMPARE_SHAPE = Shape("Compare", [
    integer("total_commits", lambda compare, _: compare[0]),
    array("commits", lambda compare, _: compare[1], items=COMMIT_SHAPE),
])
