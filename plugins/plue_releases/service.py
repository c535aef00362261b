"""``ctx.services["releases"]``: a repository's releases and their files, as Gitea keeps them.
The repository, its tags and who may do what come from git_hosting's service only; the files
are kept by the one attachment store (``ctx.services["attachments"]``)."""

from __future__ import annotations

import peewee

from plue_core.accounts.models import Account
from plue_core.db import utcnow, write_transaction
from plue_core.errors import Conflict, Invalid, NotFound

from plue_releases.events import ReleaseEvent
from plue_releases.models import Release
from plue_releases.schemas.shapes import RELEASE_SHAPE, ReleaseView


class ReleasesService:
    def __init__(self, ctx):
        self.ctx = ctx
        self.settings = ctx.section("releases")

    @property
    def hosting(self):
        # Looked up late: services are collected from every plugin before any is published.
        return self.ctx.services["git_hosting"]

    @property
    def accounts(self):
        return self.ctx.services["accounts"]

    @property
    def store(self):
        return self.ctx.services["attachments"]

    # --- access ---------------------------------------------------------------------------

    def access(self, identity, owner: str, repo: str, needed: str = "read"):
        """The repository and the caller's level when they have ``needed`` (404 when they may
        not read it or its releases are switched off, 403 below ``needed``, 423 for a write to
        an archived repository)."""
        access = self.hosting.require_repository(identity, owner, repo, needed,
                                                 writes=needed != "read", to="manage releases")
        if not access.repository.has_releases:
            raise NotFound(f"{access.repository.full_name} has no releases")
        return access

    # --- reading ----------------------------------------------------------------------------

    def _visible(self, access):
        """The releases of the repository the caller may see: drafts only for those who may
        publish them."""
        query = Release.select(Release.id).where(Release.repository == access.repository.id)
        if not access.allows("write"):
            query = query.where(~Release.is_draft)
        return query

    @staticmethod
    def _with_publisher(query):
        return (query.select(Release, Account)
                .join(Account, peewee.JOIN.LEFT_OUTER, on=(Release.publisher == Account.id),
                      attr="publisher"))

    def _query(self, access):
        return self._with_publisher(self._visible(access))

    def list_releases(self, access, page, *, draft: bool | None = None,
                      prerelease: bool | None = None) -> tuple[list[Release], int]:
        """A page of the releases, newest first, and how many there are (counted without
        the publishers' join)."""
        query = self._visible(access)
        if draft is not None:
            query = query.where(Release.is_draft == draft)
        if prerelease is not None:
            query = query.where(Release.is_prerelease == prerelease)
        total = query.count()
        ordered = query.order_by(Release.created_at.desc(), Release.id.desc())
        return list(page.apply(self._with_publisher(ordered))), total

    def get(self, access, release_id: int) -> Release:
        found = self._query(access).where(Release.id == release_id).first()
        if found is None:
            raise NotFound(f"release {release_id} does not exist in {access.repository.full_name}")
        return found

    def by_tag(self, access, tag: str) -> Release:
        found = self._query(access).where(Release.tag_name == tag).first()
        if found is None:
            raise NotFound(f"no release of tag {tag!r} in {access.repository.full_name}")
        return found

    def latest(self, access) -> Release:
        """The newest release that is neither a draft nor a prerelease (Gitea's rule)."""
        found = (self._query(access).where(~Release.is_draft & ~Release.is_prerelease)
                 .order_by(Release.created_at.desc(), Release.id.desc()).first())
        if found is None:
            raise NotFound(f"{access.repository.full_name} has no published release")
        return found

    def view(self, repository, identity, releases) -> ReleaseView:
        """The view rendering ``releases`` of ``repository`` for ``identity``: their files read
        in one query."""
        by_id = {release.id: release for release in releases}
        attachments = self.store.of_releases(by_id)
        for files in attachments.values():
            for attachment in files:
                attachment.release = by_id[attachment.release_id]
        return ReleaseView(self.hosting.api_url(repository), self.hosting.html_url(repository),
                           lambda account: self.accounts.user_json(account, identity), attachments)

    def release_json(self, repository, release, identity=None) -> dict:
        """Gitea's ``Release`` (webhook payloads render it with no viewer)."""
        return RELEASE_SHAPE(release, self.view(repository, identity, [release]))

    def releases_json(self, repository, releases, identity) -> list[dict]:
        return RELEASE_SHAPE.many(releases, self.view(repository, identity, releases))

    # --- writing ----------------------------------------------------------------------------

    def _tag_commit(self, repository, doer, release, message: str = "") -> tuple[str, bool]:
        """The commit of the release's tag, creating the tag at its target when it does not
        exist yet; and whether it was created."""
        sha = self.hosting.tag_commit(repository, release.tag_name)
        if sha is not None:
            return sha, False
        self.hosting.create_tag(repository, doer, release.tag_name,
                                target=release.target or repository.default_branch,
                                message=message)
        return self.hosting.tag_commit(repository, release.tag_name), True

    def _publish(self, action: str, repository, release, doer, body: dict | None = None) -> None:
        self.ctx.events.publish(ReleaseEvent(action=action, repository_id=repository.id,
                                             release_id=release.id,
                                             sender_id=doer.id if doer is not None else None,
                                             body=body))

    def create(self, access, doer, options: dict) -> Release:
        """Gitea's ``CreateRelease``: 409 when the tag has a release; a published release's
        tag is created at ``target_commitish`` (the default branch) unless it exists; a
        draft's waits for its publication."""
        repository = access.repository
        if repository.is_empty:
            raise Invalid("repo is empty")
        tag = options["tag_name"]
        if not tag:
            raise Invalid("tag name cannot be empty")
        if Release.select().where((Release.repository == repository.id)
                                  & (Release.tag_name == tag)).exists():
            raise Conflict(f"release {tag!r} already exists")
        release = Release(repository=repository.id, publisher=doer, tag_name=tag,
                          target=options["target_commitish"] or repository.default_branch,
                          title=options["name"] or "", note=options["body"] or "",
                          is_draft=options["draft"], is_prerelease=options["prerelease"],
                          created_at=utcnow())
        if not release.is_draft:
            release.sha1, _ = self._tag_commit(repository, doer, release,
                                               options["tag_message"] or "")
        try:
            with write_transaction():
                release.save(force_insert=True)
                if not release.is_draft:
                    self.hosting.adjust_counter(repository.id, "num_releases", 1)
                    self._publish("published", repository, release, doer)
        except peewee.IntegrityError:
            raise Conflict(f"release {tag!r} already exists") from None
        return release

    def edit(self, access, doer, release: Release, options: dict) -> Release:
        """Gitea's ``EditRelease``: a text field given empty keeps its value; publishing a
        draft creates its tag and makes now its publication time."""
        repository = access.repository
        was_draft, old_tag = release.is_draft, release.tag_name
        for field, column in (("tag_name", "tag_name"), ("target_commitish", "target"),
                              ("name", "title"), ("body", "note")):
            if options.get(field):
                setattr(release, column, options[field])
        for field, column in (("draft", "is_draft"), ("prerelease", "is_prerelease")):
            if options.get(field) is not None:
                setattr(release, column, options[field])
        if release.tag_name != old_tag and Release.select().where(
                (Release.repository == repository.id) & (Release.tag_name == release.tag_name)
                & (Release.id != release.id)).exists():
            raise Conflict(f"release {release.tag_name!r} already exists")
        created = False
        if not release.is_draft:
            release.sha1, created = self._tag_commit(repository, doer, release)
            if was_draft:
                release.created_at = utcnow()
        else:
            release.sha1 = ""
        with write_transaction():
            release.save()
            delta = int(not release.is_draft) - int(not was_draft)
            if delta:
                self.hosting.adjust_counter(repository.id, "num_releases", delta)
            if not release.is_draft:
                self._publish("published" if created else "updated", repository, release, doer)
        return release

    def delete(self, access, doer, release: Release) -> None:
        """Gitea's ``DeleteReleaseByID`` without its tag: the release and its files go, the
        tag stays in git."""
        repository = access.repository
        body = None if release.is_draft else self.release_json(repository, release)
        with write_transaction():
            self._forget([release])
            if not release.is_draft:
                self.hosting.adjust_counter(repository.id, "num_releases", -1)
                self._publish("deleted", repository, release, doer, body)

    def _forget(self, releases) -> None:
        """Delete these release rows and their attachments; their files go after the commit."""
        ids = [release.id for release in releases]
        if not ids:
            return
        self.store.delete_of(release_ids=ids)
        Release.delete().where(Release.id.in_(ids)).execute()

    # --- what git_hosting tells ---------------------------------------------------------------

    def has_release(self, repository_id: int, tag: str) -> bool:
        """Whether a release (a draft too) is attached to ``tag``."""
        return Release.select(Release.id).where((Release.repository == repository_id)
                                                & (Release.tag_name == tag)).exists()

    def tag_deleted(self, repository_id: int, tag: str) -> None:
        """A push deleted a tag: its release becomes a draft, as Gitea's (notes and files
        kept; publishing it again creates the tag anew). The tags API refuses instead
        (``tag_deletion_refusal``)."""
        with write_transaction():
            published = (Release.update(is_draft=True, sha1="")
                         .where((Release.repository == repository_id)
                                & (Release.tag_name == tag) & (Release.is_draft == False))  # noqa: E712
                         .execute())
            if published:
                self.hosting.adjust_counter(repository_id, "num_releases", -published)

    def repository_deleted(self, repository_id: int) -> None:
        self._forget(list(Release.select(Release.id).where(Release.repository == repository_id)))

    # --- attachments --------------------------------------------------------------------------

    def attachments(self, release: Release) -> list:
        found = self.store.of_releases([release.id]).get(release.id, [])
        for attachment in found:
            attachment.release = release
        return found

    def attachment(self, release: Release, attachment_id: int):
        found = self.store.get(attachment_id)
        if found is None or found.release_id != release.id:
            raise NotFound(f"release {release.id} has no attachment {attachment_id}")
        found.release = release
        return found

    def attachments_json(self, access, identity, attachments) -> list[dict]:
        return self.store.attachments_json(attachments, self.view(access.repository, identity, []))

    def attachment_json(self, access, identity, attachment) -> dict:
        return self.store.attachment_json(attachment, self.view(access.repository, identity, []))

    def upload(self, release: Release, doer, name: str, stream, length: int | None = None):
        """Store ``stream`` as file ``name`` of ``release`` (400 without a name, 413 over
        ``max_attachment_size``; any type, as Gitea's ``[repository.release]`` default)."""
        attachment = self.store.store(
            {"repository_id": release.repository_id, "release_id": release.id},
            doer.id if doer is not None else None, name, stream,
            max_bytes=self.settings["max_attachment_size"], length=length)
        attachment.release = release
        return attachment

    def rename(self, attachment, name: str | None):
        return self.store.rename(attachment, name)

    def delete_attachment(self, attachment) -> None:
        self.store.delete([attachment])

    # --- downloads ------------------------------------------------------------------------------

    def download_by_name(self, access, tag: str, name: str):
        release = self.by_tag(access, tag)
        found = self.store.of_release_named(release.id, name)
        if found is None:
            raise NotFound(f"release {tag!r} has no file {name!r}")
        return self.store.counted(found)

    def readable(self, identity, attachment) -> bool:
        """Whether ``identity`` may download the release file ``attachment``
        (``/attachments/{uuid}``): it reads the repository's releases, and a draft's only
        with write access."""
        release = Release.get_or_none(Release.id == attachment.release_id)
        repository = (self.hosting.get_repository_by_id(release.repository_id)
                      if release is not None else None)
        return (repository is not None and repository.has_releases
                and self.hosting.allows(identity, repository, "read")
                and (not release.is_draft or self.hosting.allows(identity, repository, "write")))
