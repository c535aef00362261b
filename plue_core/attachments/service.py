"""``ctx.services["attachments"]``: the one store of uploaded files. Its owners (releases,
issues) decide who may do what and call it to store, list, rename, count and delete files;
a file is written whole before its row exists and removed only after its row's deletion
commits, so neither ever stands without the other."""

from __future__ import annotations

import mimetypes
import pathlib
import posixpath

from plue_core.attachments.files import AttachmentFiles
from plue_core.attachments.models import Attachment
from plue_core.attachments.shapes import ATTACHMENT_SHAPE
from plue_core.content_disposition import content_disposition
from plue_core.db import CompiledIdsSelect, json_rows, rows_from_json, utcnow, write_transaction
from plue_core.errors import BadRequest, Invalid, NotFound, PayloadTooLarge

FORBIDDEN_TYPE = ("This file cannot be uploaded or modified due to a forbidden file extension "
                  "or type.")


def check_name(name: str, error=BadRequest) -> str:
    name = (name or "").strip()
    if not name:
        raise error("Could not determine name of attachment.")
    if "/" in name or name in (".", ".."):  # a path, not a file's name
        raise error(f"invalid attachment name {name!r}")
    return name


def type_allowed(name: str, allowed_types) -> bool:
    """Gitea's ``upload.Verify`` by name: an extension entry (".zip") matches the name's, a
    MIME entry ("image/png", "image/*") the type the name implies; none or "*/*" allows any."""
    allowed = [entry.strip().lower() for entry in allowed_types or () if entry.strip()]
    if not allowed:
        return True
    extension = posixpath.splitext(name)[1].lower()
    mime = (mimetypes.guess_type(name)[0] or "application/octet-stream").lower()
    for entry in allowed:
        if entry == "*/*" or entry == mime or (entry.startswith(".") and entry == extension):
            return True
        if entry.endswith("/*") and mime.startswith(entry[:-1]):
            return True
    return False


# Issue and comment bodies read their files on the issue list and GET (hot paths, issue 13):
# compiled once, as the labels and assignees of a page are.
_OF_ISSUES = CompiledIdsSelect(lambda ids: Attachment.select().where(
    Attachment.issue_id.in_(ids) & Attachment.comment_id.is_null()).order_by(Attachment.id))
_OF_COMMENTS = CompiledIdsSelect(lambda ids: Attachment.select().where(
    Attachment.comment_id.in_(ids)).order_by(Attachment.id))


def _grouped(rows, key: str) -> dict[int, list[Attachment]]:
    found: dict[int, list[Attachment]] = {}
    for attachment in rows:
        found.setdefault(getattr(attachment, key), []).append(attachment)
    return found


class AttachmentView:
    """Renders an issue's or comment's ``Attachment``: downloaded at ``/attachments/{uuid}``."""

    __slots__ = ("base_url",)

    def __init__(self, base_url: str):
        self.base_url = base_url

    def download_url(self, attachment) -> str:
        return f"{self.base_url}/attachments/{attachment.uuid}"


class AttachmentsService:
    def __init__(self, ctx):
        self.ctx = ctx
        self.settings = ctx.section("attachment")
        root = self.settings["path"] or ctx.config.data_path / "attachments"
        self.files = AttachmentFiles(pathlib.Path(root).absolute())
        self.view = AttachmentView(ctx.config.base_url.rstrip("/"))

    # --- reading ------------------------------------------------------------------------------

    @staticmethod
    def of_releases(release_ids) -> dict[int, list[Attachment]]:
        """Each release's files, by release id, in upload order (one query)."""
        ids = list(release_ids)
        if not ids:
            return {}
        return _grouped(Attachment.select().where(Attachment.release_id.in_(ids))
                        .order_by(Attachment.id), "release_id")

    @staticmethod
    def of_issues(issue_ids) -> dict[int, list[Attachment]]:
        """Each issue's own files (not its comments'), by issue id (one query)."""
        return _grouped(_OF_ISSUES.rows(ids=issue_ids), "issue_id")

    @staticmethod
    def issue_files_column(issue_id):
        """The files of the issue ``issue_id`` (an outer read's column), in the order
        :meth:`of_issues` gives them: the issue GET reads them with the issue, one round trip
        fewer on PostgreSQL (issue 13). :meth:`files_from_column` reads the value back."""
        return json_rows(Attachment.select().where((Attachment.issue_id == issue_id)
                                                   & Attachment.comment_id.is_null())
                         .order_by(Attachment.id), Attachment)

    @staticmethod
    def files_from_column(value) -> list[Attachment]:
        return rows_from_json(value, Attachment)

    @staticmethod
    def of_comments(comment_ids) -> dict[int, list[Attachment]]:
        return _grouped(_OF_COMMENTS.rows(ids=comment_ids), "comment_id")

    @staticmethod
    def get(attachment_id: int) -> Attachment | None:
        return Attachment.get_or_none(Attachment.id == attachment_id)

    @staticmethod
    def of_release_named(release_id: int, name: str) -> Attachment | None:
        """The first file of the release called ``name`` (a release's download by name)."""
        return (Attachment.select().where((Attachment.release_id == release_id)
                                          & (Attachment.name == name))
                .order_by(Attachment.id).first())

    # --- bodies -------------------------------------------------------------------------------

    def download_url(self, attachment) -> str:
        return self.view.download_url(attachment)

    def attachment_json(self, attachment, view=None) -> dict:
        """Gitea's ``Attachment``; ``view`` decides its download URL (by default
        ``/attachments/{uuid}``)."""
        return ATTACHMENT_SHAPE(attachment, view or self.view)

    def attachments_json(self, attachments, view=None) -> list[dict]:
        return ATTACHMENT_SHAPE.many(list(attachments), view or self.view)

    # --- writing ------------------------------------------------------------------------------

    def issue_limits(self) -> tuple[int, list]:
        """What an issue or comment may attach: bytes and allowed types (``[attachment]``)."""
        return self.settings["max_size"] * 1024 * 1024, self.settings["allowed_types"]

    def store(self, owner: dict, uploader_id: int | None, name: str, stream, *,
              max_bytes: int, allowed_types=(), length: int | None = None) -> Attachment:
        """Store ``stream`` as file ``name`` of ``owner`` (``repository_id`` and
        ``release_id``, or ``issue_id`` and ``comment_id``): 400 without a name, 422 for a
        type ``allowed_types`` refuses, 413 over ``max_bytes``. The file is whole on disk
        before its row is written; a failed write removes it."""
        name = check_name(name)
        if not type_allowed(name, allowed_types):
            raise Invalid(FORBIDDEN_TYPE)
        if length is not None and length > max_bytes:
            raise PayloadTooLarge(f"the file is {length} bytes; the limit is {max_bytes}")
        uuid, size = self.files.store(stream, max_bytes)
        try:
            with write_transaction():
                return Attachment.create(uuid=uuid, uploader_id=uploader_id, name=name,
                                         size=size, created_at=utcnow(), **owner)
        except BaseException:
            self.files.remove([uuid])
            raise

    @staticmethod
    def rename(attachment: Attachment, name: str | None, allowed_types=()) -> Attachment:
        """A new name when one is given (422 for a path or a type ``allowed_types`` refuses)."""
        if name:
            name = check_name(name, Invalid)
            if not type_allowed(name, allowed_types):
                raise Invalid(FORBIDDEN_TYPE)
            attachment.name = name
            Attachment.update(name=name).where(Attachment.id == attachment.id).execute()
        return attachment

    def delete(self, attachments) -> None:
        """Delete these rows; their files go when the transaction commits."""
        ids = [attachment.id for attachment in attachments]
        if ids:
            with write_transaction():
                Attachment.delete().where(Attachment.id.in_(ids)).execute()
                self.files.remove_after_commit(a.uuid for a in attachments)

    def delete_of(self, *, release_ids=(), issue_ids=(), comment_ids=(),
                  repository_id: int | None = None) -> None:
        """Delete every file of these releases, issues (their comments' too), comments or
        repository, inside the caller's transaction; the files go after its commit."""
        condition = None
        for column, ids in ((Attachment.release_id, release_ids),
                            (Attachment.issue_id, issue_ids),
                            (Attachment.comment_id, comment_ids)):
            ids = list(ids)
            if ids:
                part = column.in_(ids)
                condition = part if condition is None else condition | part
        if repository_id is not None:
            part = Attachment.repository_id == repository_id
            condition = part if condition is None else condition | part
        if condition is None:
            return
        uuids = [uuid for (uuid,) in Attachment.select(Attachment.uuid).where(condition).tuples()]
        if uuids:
            Attachment.delete().where(Attachment.uuid.in_(uuids)).execute()
            self.files.remove_after_commit(uuids)

    # --- downloads ----------------------------------------------------------------------------

    @staticmethod
    def counted(attachment: Attachment) -> Attachment:
        Attachment.update(download_count=Attachment.download_count + 1).where(
            Attachment.id == attachment.id).execute()
        return attachment

    def download(self, identity, uuid: str) -> Attachment:
        """The file ``uuid`` when the plugin owning it lets ``identity`` read it (the hook
        ``attachment_readable``); 404 the same way otherwise. The download is counted."""
        found = Attachment.get_or_none(Attachment.uuid == uuid)
        if found is None or not self.ctx.plugins.hook.attachment_readable(
                ctx=self.ctx, identity=identity, attachment=found):
            raise NotFound(f"attachment {uuid} does not exist")
        return self.counted(found)

    def send(self, resp, attachment: Attachment) -> None:
        """Answer with the file's bytes, as a download named as the attachment."""
        try:
            file = self.files.open(attachment.uuid)
        except FileNotFoundError:
            raise NotFound(f"the file of attachment {attachment.name!r} is missing") from None
        resp.content_type = "application/octet-stream"
        resp.set_header("Content-Disposition", content_disposition("attachment", attachment.name))
        resp.set_stream(file, attachment.size)
