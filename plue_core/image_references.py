"""Docker image references, checked as Docker parses them (distribution's reference grammar):
``[domain[:port]/]path[:tag][@digest]``, the path's components lowercase. A field that names an
image checks it here (:func:`validate`), so a malformed reference is the caller's 4xx naming
the field, never an engine's error or a lookup that cannot succeed. (Docker's 255-character
limit on the name is the fields' own length.)"""

from __future__ import annotations

import re

from marshmallow import ValidationError

# ASCII classes only, so the pattern means the same in Python and in an OpenAPI client.
_ALNUM = "[a-z0-9]+"
_PATH_COMPONENT = f"{_ALNUM}(?:(?:[._]|__|-+){_ALNUM})*"
_DOMAIN_COMPONENT = "[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?"
_HOST = rf"(?:{_DOMAIN_COMPONENT}(?:\.{_DOMAIN_COMPONENT})*|\[[a-fA-F0-9:]+\])"
_TAG = "[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}"
_DIGEST = "[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}"
PATTERN = (f"^(?:{_HOST}(?::[0-9]+)?/)?{_PATH_COMPONENT}(?:/{_PATH_COMPONENT})*"
           f"(?::{_TAG})?(?:@{_DIGEST})?$")
_REFERENCE = re.compile(PATTERN)
EXAMPLE = "ubuntu:22.04"


def problem(reference: str) -> str | None:
    """What is wrong with ``reference`` as Docker sees it (None: nothing)."""
    if _REFERENCE.fullmatch(reference):
        return None
    if reference != reference.lower() and _REFERENCE.fullmatch(reference.lower()):
        return "the repository name must be lowercase"
    return f"must be a Docker image reference, name[:tag][@digest], such as {EXAMPLE}"


def validate(reference: str) -> None:
    """A marshmallow validator: :class:`ValidationError` saying what is wrong."""
    wrong = problem(reference)
    if wrong:
        raise ValidationError(wrong)
