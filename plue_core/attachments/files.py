"""Attachment bytes on disk: ``<root>/<u[0]>/<u[1]>/<uuid>`` as Gitea lays them out. A file is
written whole under a temporary name and renamed into place, so a reader never sees half of
one; it is removed once the deletion of its row has committed."""

from __future__ import annotations

import os
import pathlib
import uuid as uuids

from plue_core.db import database
from plue_core.errors import PayloadTooLarge

CHUNK = 1024 * 1024


class AttachmentFiles:
    def __init__(self, root: pathlib.Path):
        self.root = root

    def path(self, uuid: str) -> pathlib.Path:
        return self.root / uuid[0] / uuid[1] / uuid

    def store(self, stream, limit: int) -> tuple[str, int]:
        """Write ``stream`` as a new file; returns its uuid and size. Over ``limit`` bytes is
        413, and nothing stays on disk."""
        uuid = str(uuids.uuid4())
        path = self.path(uuid)
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(f"{uuid}.{os.getpid()}.part")
        size = 0
        try:
            with open(temporary, "wb") as file:
                while chunk := stream.read(CHUNK):
                    size += len(chunk)
                    if size > limit:
                        raise PayloadTooLarge(f"the file is larger than the limit of {limit} bytes")
                    file.write(chunk)
            os.replace(temporary, path)
        finally:
            temporary.unlink(missing_ok=True)
        return uuid, size

    def open(self, uuid: str):
        return open(self.path(uuid), "rb")

    def remove_after_commit(self, uuid_list) -> None:
        """Remove these files when the transaction deleting their rows commits (at once when
        none is open): a rolled-back deletion keeps them."""
        uuid_list = list(uuid_list)
        if uuid_list:
            database.after_commit(lambda: self.remove(uuid_list))

    def remove(self, uuid_list) -> None:
        for uuid in uuid_list:
            self.path(uuid).unlink(missing_ok=True)
