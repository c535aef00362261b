"""Artifacts: uploaded by a job (streamed to a file under the storage directory, size
limited), listed and downloaded by name within a run, served through the REST API, removed
when their retention ends."""

from __future__ import annotations

import datetime
import hashlib
import io
import os
import zipfile

from plue_core.db import utcnow, write_transaction
from plue_core.errors import Conflict, Invalid, NotFound, PayloadTooLarge

from plue_actions.models import Artifact, Job, Run, Task

CHUNK = 1024 * 1024
_FORBIDDEN = set('\\/":<>|*?\r\n\0')


def check_name(name: str) -> str:
    if not name or len(name) > 255 or any(ch in _FORBIDDEN for ch in name) or name in (".", ".."):
        raise Invalid(f"invalid artifact name {name!r}: 1 to 255 characters, none of "
                      "\\ / \" : < > | * ? or line breaks")
    return name


def storage_path(run: Run, name_digest: str) -> str:
    return f"artifacts/{run.repository_id}/{run.id}/{name_digest}.bin"


def upload(service, task: Task, run_id: int, name: str, stream, length: int | None,
           retention_days: int | None = None) -> Artifact:
    """Store the request body as artifact ``name`` of the task's run."""
    name = check_name(name)
    job = Job.get_by_id(task.job_id)
    if job.run_id != run_id:
        raise NotFound(f"run {run_id} is not the run of this task")
    run = Run.get_by_id(run_id)
    limit = service.settings["max_artifact_size"]
    if length is not None and length > limit:
        raise PayloadTooLarge(f"artifact is {length} bytes; the limit is {limit}")
    if Artifact.get_or_none((Artifact.run == run.id) & (Artifact.name == name)):
        raise Conflict(f"run {run.id} already has an artifact named {name!r}")
    relative = storage_path(run, hashlib.sha256(name.encode()).hexdigest()[:32])
    path = service.storage / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(path.name + f".{os.getpid()}.part")
    digest, size = hashlib.sha256(), 0
    try:
        with open(temporary, "wb") as file:
            while True:
                chunk = stream.read(CHUNK)
                if not chunk:
                    break
                size += len(chunk)
                if size > limit:
                    raise PayloadTooLarge(f"artifact is larger than the limit of {limit} bytes")
                digest.update(chunk)
                file.write(chunk)
        days = min(retention_days or service.settings["artifact_retention_days"],
                   service.settings["artifact_retention_days"])
        now = utcnow()
        with write_transaction(service.ctx.db):
            if Artifact.get_or_none((Artifact.run == run.id) & (Artifact.name == name)):
                raise Conflict(f"run {run.id} already has an artifact named {name!r}")
            os.replace(temporary, path)
            return Artifact.create(run=run, attempt=job.attempt, job_id=job.id,
                                   repository_id=run.repository_id, owner_id=run.owner_id,
                                   name=name, size=size, digest=f"sha256:{digest.hexdigest()}",
                                   storage_path=relative, status="confirmed",
                                   expires_at=now + datetime.timedelta(days=days),
                                   created=now, updated=now)
    finally:
        if temporary.exists():
            temporary.unlink()


def find(run_id: int, name: str) -> Artifact:
    artifact = Artifact.get_or_none((Artifact.run == run_id) & (Artifact.name == name))
    if artifact is None or artifact.status != "confirmed":
        raise NotFound(f"run {run_id} has no artifact named {name!r}")
    return artifact


def open_file(service, artifact: Artifact):
    if artifact.status == "expired":
        raise NotFound(f"artifact {artifact.name!r} has expired")
    path = service.storage / artifact.storage_path
    if not path.exists():
        raise NotFound(f"the file of artifact {artifact.name!r} is missing")
    return open(path, "rb")


def chunks(file):
    """Iterate a file in chunks and close it: served as a plain iterable (gunicorn's
    sendfile path sent nothing for these files; an iterable costs one copy, no more)."""
    with file:
        while chunk := file.read(CHUNK):
            yield chunk


def as_zip(service, artifact: Artifact):
    """A zip stream: the stored bytes when they are a zip already, else one wrapped file."""
    file = open_file(service, artifact)
    if file.read(4) == b"PK\x03\x04":
        file.seek(0)
        return file, os.fstat(file.fileno()).st_size
    file.seek(0)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive, file:
        with archive.open(artifact.name, "w") as target:
            while chunk := file.read(CHUNK):
                target.write(chunk)
    buffer.seek(0)
    return buffer, buffer.getbuffer().nbytes


def delete(service, artifact: Artifact) -> None:
    path = service.storage / artifact.storage_path if artifact.storage_path else None
    artifact.delete_instance()
    if path is not None and path.exists():
        path.unlink()
