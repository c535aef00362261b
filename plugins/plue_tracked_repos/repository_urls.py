"""Seed 003's URL rules: github.com means GitHub, any other host GitLab (self-hosted too), a
trailing ``.git`` goes, and the path must be exactly ``owner/name``."""

from __future__ import annotations

import dataclasses
import re
import urllib.parse

from plue_core.errors import BadRequest

_SEGMENT = re.compile(r"^[A-Za-z0-9._-]+$")
# The widths of TrackedRepository.owner/name and .url (GitLab's paths go to 255 characters).
MAX_SEGMENT = 255
MAX_URL = 2048


@dataclasses.dataclass(frozen=True)
class ParsedRepositoryUrl:
    provider: str  # github | gitlab
    owner: str
    name: str
    url: str  # normalized: scheme://host[:port]/owner/name
    host: str


def parse_repository_url(raw: object) -> ParsedRepositoryUrl:
    """Parse a repository web URL, or raise BadRequest saying what is wrong with it."""
    if not isinstance(raw, str) or not raw.strip():
        raise BadRequest("url is required: the repository's web address, "
                         "e.g. https://github.com/owner/name")
    text = raw.strip()
    try:
        parts = urllib.parse.urlsplit(text)
        port = parts.port
    except ValueError as exc:
        raise BadRequest(f"url {text!r} is not a valid URL: {exc}") from None
    if parts.scheme.lower() not in ("http", "https"):
        raise BadRequest(f"url {text!r} must start with http:// or https://")
    host = (parts.hostname or "").lower()
    if not host:
        raise BadRequest(f"url {text!r} has no host")
    if parts.username or parts.password:
        raise BadRequest("url must not contain credentials")
    path = parts.path.strip("/")
    path = path.removesuffix(".git")
    segments = path.split("/") if path else []
    if len(segments) != 2 or not all(segments):
        raise BadRequest(f"url path must be exactly owner/name, got {parts.path or '/'!r}")
    owner, name = segments
    for label, value in (("owner", owner), ("name", name)):
        if not _SEGMENT.match(value) or value in (".", ".."):
            raise BadRequest(f"url {label} {value!r} may only contain letters, digits, "
                             "'.', '-' and '_'")
        if len(value) > MAX_SEGMENT:
            raise BadRequest(f"url {label} is {len(value)} characters long; at most {MAX_SEGMENT}")
    provider = "github" if "github.com" in host else "gitlab"
    netloc = f"{host}:{port}" if port else host
    normalized = f"{parts.scheme.lower()}://{netloc}/{owner}/{name}"
    if len(normalized) > MAX_URL:
        raise BadRequest(f"url is {len(normalized)} characters long; at most {MAX_URL}")
    return ParsedRepositoryUrl(provider, owner, name, normalized, host)
