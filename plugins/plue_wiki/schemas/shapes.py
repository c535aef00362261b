"""Gitea's wiki bodies: ``WikiCommit``, ``WikiPageMetaData``, ``WikiPage`` and
``WikiCommitList`` (modules/structs/repo_wiki.go; ``commiter`` is spelt as Gitea spells it)."""

from __future__ import annotations

import base64
import datetime
import re

from plue_core.shapes import Shape, array, integer, item, nested, obj, string

_PERSON = re.compile(rb"^(.*?)\s*<([^>]*)>\s*$")


def _person(line: bytes, when: int) -> dict:
    """Gitea's ``CommitUser`` of a commit's author or committer line (date in UTC)."""
    match = _PERSON.match(line)
    name, email = (match.group(1), match.group(2)) if match else (line, b"")
    date = datetime.datetime.fromtimestamp(when, datetime.timezone.utc)
    return {"name": name.decode("utf-8", "replace"), "email": email.decode("utf-8", "replace"),
            "date": date.strftime("%Y-%m-%dT%H:%M:%SZ")}


# The person objects are Gitea's CommitUser, which git_hosting declares for its Commit body:
# described here without naming it, as a plugin may not declare another's component.
WIKI_COMMIT = Shape("WikiCommit", [
    string("sha", lambda commit, view: commit.id.decode()),
    obj("author", lambda commit, view: _person(commit.author, commit.author_time),
        description="CommitUser: name, email, date"),
    obj("commiter", lambda commit, view: _person(commit.committer, commit.commit_time),
        description="CommitUser: name, email, date"),
    string("message", lambda commit, view: commit.message.decode("utf-8", "replace")),
])

_META_FIELDS = [
    string("title", item("title")),
    string("html_url", item("html_url")),
    string("sub_url", item("sub_url")),
    nested(obj, "last_commit", item("last_commit"), shape=WIKI_COMMIT),
]

WIKI_PAGE_META = Shape("WikiPageMetaData", _META_FIELDS)

WIKI_PAGE = Shape("WikiPage", _META_FIELDS + [
    string("content_base64", item("content_base64")),
    integer("commit_count", item("commit_count")),
    string("sidebar", item("sidebar")),
    string("footer", item("footer")),
])

WIKI_COMMIT_LIST = Shape("WikiCommitList", [
    nested(array, "commits", item("commits"), items=WIKI_COMMIT),
    integer("count", item("count")),
])


def base64_text(data: bytes | None) -> str:
    """Gitea's content fields: base64, "" for a file it does not send (absent, too large)."""
    return base64.b64encode(data).decode() if data is not None else ""
