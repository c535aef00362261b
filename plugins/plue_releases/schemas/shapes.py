"""Gitea's ``Release`` body, with its files as the one ``Attachment`` body of
``plue_core.attachments``. It renders with a :class:`ReleaseView`: the repository's URLs, the
publishers' bodies and each release's files (a release's file downloads by tag and name)."""

from __future__ import annotations

from urllib.parse import quote

from plue_core.accounts.models import Account
from plue_core.accounts.schemas.users import USER_SHAPE
from plue_core.attachments.shapes import ATTACHMENT_SHAPE
from plue_core.shapes import Shape, array, boolean, integer, obj, string, time
from plue_core.timestamps import rfc3339


# What Go's url.PathEscape leaves as it is besides letters, digits and "-_.~".
SEGMENT_SAFE = "$&+:=@"


def ghost() -> Account:
    """Gitea's stand-in for a deleted publisher."""
    return Account(id=-1, name="Ghost", full_name="", email="", visibility="public")


class ReleaseView:
    """What a body needs besides its row: the repository's API and web URLs, the caller (whose
    view of a ``User`` it is), and each release's attachments (release id -> rows)."""

    __slots__ = ("api", "html", "user_json", "attachments")

    def __init__(self, api: str, html: str, user_json, attachments: dict | None = None):
        self.api = api
        self.html = html
        self.user_json = user_json
        self.attachments = attachments or {}

    def tag(self, release) -> str:
        return quote(release.tag_name, safe=SEGMENT_SAFE + "/")  # Go's PathEscapeSegments

    def download_url(self, attachment) -> str:
        # Gitea's for a release's file: by tag and name, as a browser downloads it.
        return (f"{self.html}/releases/download/{self.tag(attachment.release)}/"
                f"{quote(attachment.name, safe=SEGMENT_SAFE)}")


def _author(release, view: ReleaseView) -> dict:
    return view.user_json(release.publisher if release.publisher_id is not None else ghost())


RELEASE_SHAPE = Shape("Release", [
    integer("id"),
    string("tag_name"),
    string("target_commitish", "target"),
    string("name", "title"),
    string("body", "note"),
    string("url", lambda r, view: f"{view.api}/releases/{r.id}"),
    string("html_url", lambda r, view: f"{view.html}/releases/tag/{view.tag(r)}"),
    string("tarball_url", lambda r, view: f"{view.html}/archive/{view.tag(r)}.tar.gz"),
    string("zipball_url", lambda r, view: f"{view.html}/archive/{view.tag(r)}.zip"),
    string("upload_url", lambda r, view: f"{view.api}/releases/{r.id}/assets"),
    boolean("draft", "is_draft"),
    boolean("prerelease", "is_prerelease"),
    time("created_at", lambda r, _: rfc3339(r.created_at)),
    time("published_at", lambda r, _: rfc3339(r.created_at)),
    obj("author", _author, shape=USER_SHAPE),
    array("assets", lambda r, view: ATTACHMENT_SHAPE.many(view.attachments.get(r.id, ()), view),
          items=ATTACHMENT_SHAPE),
])
