"""Reading an uploaded file from a request, as Gitea's asset endpoints take it: the multipart
part ``attachment`` (named by its file name unless the ``name`` query is given) or, where the
endpoint allows it (a release's), the raw body named by ``name``."""

from __future__ import annotations

from plue_core.errors import BadRequest


def read_upload(req, *, raw: bool = False):
    """``(name, stream, length)`` of the upload (``length`` when the request tells it)."""
    name = req.get_param("name") or ""
    if (req.content_type or "").lower().startswith("multipart/form-data"):
        for part in req.get_media():
            if part.name == "attachment":
                return name or part.filename or "", part.stream, None
        raise BadRequest("Could not get file: the form has no part named 'attachment'.")
    if not raw:
        raise BadRequest("Could not get file: send it as the multipart part 'attachment'.")
    return name, req.bounded_stream, req.content_length
