"""Which branch and tag names git accepts: ``git check-ref-format`` in one function.

The rules are git's own (refs.c ``check_refname_format`` on ``refs/heads/<name>``, plus the
two that ``git branch`` and ``git tag`` add), so a name Plue accepts is one git, dulwich and
every clone accept too. tests/plugins/git_hosting/test_ref_names.py holds them against the real
``git check-ref-format``; no git process is spawned per request.
"""

from __future__ import annotations

from plue_core.errors import Invalid

MAX_LENGTH = 255  # the branch row's column, and a file name on most filesystems
_FORBIDDEN = {" ": "a space", "~": "'~'", "^": "'^'", ":": "':'", "?": "'?'", "*": "'*'",
              "[": "'['", "\\": "a backslash"}


def problem(name: str) -> str | None:
    """The first rule ``name`` (a branch or tag name, without ``refs/heads/``) breaks, or None."""
    if not name:
        return "it is empty"
    if len(name.encode("utf-8", "surrogatepass")) > MAX_LENGTH:
        return f"it is longer than {MAX_LENGTH} bytes"
    if name.startswith("-"):
        return "it must not begin with '-'"
    if name == "HEAD":
        return "'HEAD' is reserved"
    for char in name:
        if ord(char) < 0x20 or ord(char) == 0x7F:
            return "it must not contain control characters"
        if char in _FORBIDDEN:
            return f"it must not contain {_FORBIDDEN[char]}"
    if ".." in name:
        return "it must not contain '..'"
    if "@{" in name:
        return "it must not contain '@{'"
    if name.startswith("/") or name.endswith("/") or "//" in name:
        return "it must not begin or end with '/' or contain '//'"
    if name.endswith("."):
        return "it must not end with '.'"
    for component in name.split("/"):
        if component.startswith("."):
            return "no '/'-separated part may begin with '.'"
        if component.endswith(".lock"):
            return "no '/'-separated part may end with '.lock'"
    return None


def validate_ref_name(name, what: str = "branch name") -> str:
    """``name`` when git accepts it as a branch or tag name; else 422 naming the rule."""
    if not isinstance(name, str):
        raise Invalid(f"{what} must be a string")
    if (reason := problem(name)) is not None:
        raise Invalid(f"{what} {name!r} is not a valid git reference name: {reason} "
                      "(git check-ref-format)")
    return name
