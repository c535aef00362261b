"""Docker image references, checked as Docker parses them (distribution's reference grammar):
``[domain[:port]/]path[:tag][@digest]``, the path's components lowercase, the name at most 255
characters. A field that names an image checks it here, so a malformed reference is the
caller's 4xx naming the field, never an engine's error or a lookup that cannot succeed."""

from __future__ import annotations

import re

from marshmallow import ValidationError

_ALNUM = r"[a-z0-9]+"
_SEPARATOR = r"(?:[._]|__|-+)"
_PATH_COMPONENT = rf"{_ALNUM}(?:{_SEPARATOR}{_ALNUM})*"
_DOMAIN_COMPONENT = r"(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])"
_HOST = rf"(?:{_DOMAIN_COMPONENT}(?:\.{_DOMAIN_COMPONENT})*|\[[a-fA-F0-9:]+\])"
_DOMAIN = rf"{_HOST}(?::[0-9]+)?"
_TAG = r"[\w][\w.-]{0,127}"
_DIGEST = r"[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}"
_REFERENCE = re.compile(
    rf"(?P<name>(?:(?P<domain>{_DOMAIN})/)?{_PATH_COMPONENT}(?:/{_PATH_COMPONENT})*)"
    rf"(?::{_TAG})?(?:@{_DIGEST})?")
_NAME_MAX = 255
EXAMPLE = "ubuntu:22.04"
_LOWERCASE = "the repository name must be lowercase"


def problem(reference: str) -> str | None:
    """What is wrong with ``reference`` as Docker sees it (None: nothing)."""
    first = reference.split("/", 1)[0]
    if "/" in reference and not _is_domain(first) and first != first.lower():
        # Docker reads a first component that is no domain as part of the path.
        return _LOWERCASE
    found = _REFERENCE.fullmatch(reference)
    if found is None:
        if reference != reference.lower() and _REFERENCE.fullmatch(reference.lower()):
            return _LOWERCASE
        return f"must be a Docker image reference, name[:tag][@digest], such as {EXAMPLE}"
    if len(found["name"]) > _NAME_MAX:
        return f"the repository name must be at most {_NAME_MAX} characters"
    return None


def _is_domain(component: str) -> bool:
    # distribution's splitDockerDomain: a domain has a dot or a port, or is localhost.
    return "." in component or ":" in component or component == "localhost"


def validate(reference: str) -> None:
    """A marshmallow validator: :class:`ValidationError` saying what is wrong."""
    wrong = problem(reference)
    if wrong:
        raise ValidationError(wrong)
