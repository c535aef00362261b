"""A hook's ``branch_filter``: Gitea's glob (``*`` any run of characters, ``?`` one,
``[...]`` a class, ``{a,b}`` alternatives); empty or ``*`` matches every branch."""

from __future__ import annotations

import fnmatch
import functools
import re


def _alternatives(pattern: str) -> list[str]:
    match = re.search(r"\{([^{}]*)\}", pattern)
    if match is None:
        return [pattern]
    head, tail = pattern[:match.start()], pattern[match.end():]
    return [expanded for choice in match.group(1).split(",")
            for expanded in _alternatives(head + choice + tail)]


@functools.lru_cache(maxsize=256)
def _compiled(pattern: str) -> re.Pattern:
    return re.compile("|".join(f"(?:{fnmatch.translate(p)})" for p in _alternatives(pattern)))


def matches(pattern: str, branch: str) -> bool:
    if pattern in ("", "*"):
        return True
    return _compiled(pattern).match(branch) is not None
