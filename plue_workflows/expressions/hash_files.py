"""``hashFiles(patterns...)``: one SHA-256 over the files of the workspace that match.

Patterns follow ``@actions/glob`` as the runner uses it: relative to the workspace, ``*``
and ``?`` stay within a path segment and match dot files, ``**`` spans segments, ``[..]`` is a
character class, ``!`` excludes (later patterns win), a matched directory brings its whole
subtree, and each argument may hold several patterns on separate lines (``#`` comments).
The result is the SHA-256 of the concatenated SHA-256 digests of the matched files in path
order, or '' when nothing matches. Files outside the workspace never count.
"""

from __future__ import annotations

import hashlib
import os
import posixpath
import re
from collections.abc import Iterable, Iterator

_CHUNK = 1 << 16


def _segment_regex(segment: str) -> str:
    out, index = [], 0
    while index < len(segment):
        char = segment[index]
        if char == "*":
            out.append("[^/]*")
        elif char == "?":
            out.append("[^/]")
        elif char == "[" and segment.find("]", index + 2) > 0:
            end = segment.find("]", index + 2)  # a ']' right after '[' is a member
            body = segment[index + 1:end]
            negated = body[:1] == "!"
            body = body[1:] if negated else body
            out.append("[" + ("^" if negated else "") + body.replace("\\", "\\\\") + "]")
            index = end
        else:
            out.append(re.escape(char))
        index += 1
    return "".join(out)


def compile_pattern(pattern: str) -> re.Pattern:
    """Regex matching workspace-relative POSIX paths for one (non-negated) glob pattern."""
    segments = [segment for segment in pattern.split("/") if segment not in ("", ".")]
    regex, need_separator = "^", False
    for position, segment in enumerate(segments):
        last = position == len(segments) - 1
        if segment == "**":
            if last:
                regex += "(?:/.*)?" if position else ".*"
            else:
                regex += "/(?:[^/]+/)*" if position else "(?:[^/]+/)*"
            need_separator = False
            continue
        regex += ("/" if need_separator else "") + _segment_regex(segment)
        need_separator = True
    return re.compile(regex + "$", re.DOTALL)


def _patterns(workspace: str, arguments: Iterable[str]) -> list[tuple[bool, re.Pattern]]:
    compiled = []
    for argument in arguments:
        for line in argument.splitlines():
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            negated = line.startswith("!")
            line = line[1:].strip() if negated else line
            if not line:
                raise ValueError("a '!' pattern needs a path after it")
            if posixpath.isabs(line):
                relative = posixpath.relpath(posixpath.normpath(line), workspace)
            else:
                relative = posixpath.normpath(line)
            if relative == ".." or relative.startswith("../"):
                continue  # outside the workspace: matches nothing
            compiled.append((negated, compile_pattern(relative)))
    return compiled


def _workspace_files(workspace: str) -> Iterator[str]:
    """Relative POSIX paths of every regular file, following symlinks without looping."""
    seen: set[str] = set()
    for directory, subdirectories, files in os.walk(workspace, followlinks=True):
        real = os.path.realpath(directory)
        if real in seen:
            subdirectories[:] = []
            continue
        seen.add(real)
        for name in files:
            path = os.path.join(directory, name)
            if os.path.isfile(path):
                yield os.path.relpath(path, workspace).replace(os.sep, "/")


def _selected(path: str, patterns: list[tuple[bool, re.Pattern]]) -> bool:
    parts = path.split("/")
    candidates = ["/".join(parts[:depth]) for depth in range(1, len(parts) + 1)]
    selected = False
    for negated, regex in patterns:
        if any(regex.match(candidate) for candidate in candidates):
            selected = not negated
    return selected


def hash_files(workspace: str, arguments: Iterable[str]) -> str:
    """Hash the workspace files matched by ``arguments`` (see the module docstring)."""
    workspace = os.path.realpath(workspace)
    patterns = _patterns(workspace, arguments)
    matched = sorted(path for path in _workspace_files(workspace) if _selected(path, patterns))
    total, hashed = hashlib.sha256(), 0
    for path in matched:
        real = os.path.realpath(os.path.join(workspace, path))
        if not real.startswith(workspace + os.sep):
            continue  # a symlink pointing outside the workspace
        hashed += 1
        digest = hashlib.sha256()
        with open(real, "rb") as handle:
            for chunk in iter(lambda: handle.read(_CHUNK), b""):
                digest.update(chunk)
        total.update(digest.digest())
    return total.hexdigest() if hashed else ""
