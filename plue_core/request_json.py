"""The one place request JSON is decoded: strings a database, git or UTF-8 cannot hold are a
400 naming the field, before any responder sees them.

* NUL (``\\u0000``): PostgreSQL cannot store it, and no name, URL or label needs one.
* A lone UTF-16 surrogate (``"\\ud800"``): valid JSON escape, but no character; encoding it to
  UTF-8 (for the database, a commit, a response) fails.

Nesting deeper than Python's recursion limit (about a thousand levels) is a 400 too.
"""

from __future__ import annotations

import json
import re

from plue_core.errors import BadRequest

_SURROGATE = re.compile("[\ud800-\udfff]")


def loads(text: str):
    try:
        data = json.loads(text)
        if "\\u" in text:  # both only arrive as escapes: a body without one is clean
            _check(data, "")
    except RecursionError:  # json and _check recurse once per level
        raise BadRequest("request body nests arrays or objects too deeply to be read") from None
    return data


def _problem(text: str) -> str | None:
    if "\0" in text:
        return "must not contain NUL (\\u0000) characters"
    if match := _SURROGATE.search(text):
        return (f"holds a lone UTF-16 surrogate (\\u{ord(match.group()):04x}), which is not "
                "a character: encode text as UTF-8 or as surrogate pairs")
    return None


def _check(value, where: str) -> None:
    if isinstance(value, str):
        if problem := _problem(value):
            raise BadRequest(f"{where or 'body'}: the JSON string {problem}")
    elif isinstance(value, dict):
        for key, item in value.items():
            here = f"{where}.{key}" if where else key
            if problem := _problem(key):
                raise BadRequest(f"{where or 'body'}: the JSON key {here!r} {problem}")
            _check(item, here)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            _check(item, f"{where}[{index}]")
