"""GitHub's filter patterns for branches, tags and paths (the "filter pattern cheat sheet").

``*`` matches within one path segment, ``**`` across segments (``**/`` also matches
nothing), ``?`` and ``+`` make the preceding character optional / repeatable, ``[a-z0-9]`` is
a class, ``\\`` escapes, and a leading ``!`` negates. In a list the last pattern that matches
decides, so ``['releases/**', '!releases/**-alpha']`` keeps alphas out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable


class PatternError(ValueError):
    """A filter pattern GitHub would refuse; the message names the pattern."""


def _class(pattern: str, start: int) -> tuple[str, int]:
    """Translate ``[...]`` at ``start``; return the regex and the index after ``]``."""
    end = pattern.find("]", start + 1)
    if end < 0:
        raise PatternError(f"invalid pattern {pattern!r}: missing ']' after '['")
    body = pattern[start + 1:end]
    if not body:
        raise PatternError(f"invalid pattern {pattern!r}: empty brackets '[]'")
    index, out = 0, []
    while index < len(body):
        char = body[index]
        if index + 2 < len(body) and body[index + 1] == "-":
            low, high = char, body[index + 2]
            if not (low.isascii() and high.isascii() and low.isalnum() and high.isalnum()
                    and low <= high):
                raise PatternError(f"invalid pattern {pattern!r}: bad range {low}-{high}")
            out.append(f"{re.escape(low)}-{re.escape(high)}")
            index += 3
            continue
        if not (char.isascii() and char.isalnum()):
            raise PatternError(
                f"invalid pattern {pattern!r}: brackets may only hold a-z, A-Z and 0-9")
        out.append(char)
        index += 1
    return "[" + "".join(out) + "]", end + 1


def pattern_to_regex(pattern: str) -> str:
    """The regular expression (anchored) equivalent to one non-negated filter pattern."""
    out: list[str] = []
    quantifiable = False  # whether ? or + may apply to the previous element
    index = 0
    while index < len(pattern):
        char = pattern[index]
        if pattern.startswith("**/", index):
            out.append("(?:.*/)?")
            index, quantifiable = index + 3, False
        elif pattern.startswith("**", index):
            out.append(".*")
            index, quantifiable = index + 2, False
        elif char == "*":
            out.append("[^/]*")
            index, quantifiable = index + 1, False
        elif char in "?+" and quantifiable:
            out.append(char)
            index, quantifiable = index + 1, False
        elif char == "[":
            regex, index = _class(pattern, index)
            out.append(regex)
            quantifiable = True
        elif char == "\\":
            if index + 1 >= len(pattern):
                raise PatternError(f"invalid pattern {pattern!r}: nothing to escape after '\\'")
            out.append(re.escape(pattern[index + 1]))
            index, quantifiable = index + 2, True
        else:
            out.append(re.escape(char))
            index, quantifiable = index + 1, True
    return "^" + "".join(out) + "$"


@dataclass(frozen=True)
class PatternList:
    """An ordered list of filter patterns; the last one matching a name decides."""

    sources: tuple[str, ...]
    compiled: tuple[tuple[bool, re.Pattern], ...]

    @classmethod
    def compile(cls, patterns: Iterable[str]) -> "PatternList":
        """Compile patterns; raise PatternError for a malformed one."""
        sources, compiled = [], []
        for pattern in patterns:
            if not isinstance(pattern, str) or not pattern:
                raise PatternError(f"invalid pattern {pattern!r}: expected a non-empty string")
            negated = pattern.startswith("!")
            body = pattern[1:] if negated else pattern
            if not body:
                raise PatternError(f"invalid pattern {pattern!r}: '!' needs a pattern after it")
            sources.append(pattern)
            compiled.append((negated, re.compile(pattern_to_regex(body), re.DOTALL)))
        return cls(tuple(sources), tuple(compiled))

    def selects(self, name: str) -> bool:
        """Whether ``name`` is selected: the last matching pattern is not negated."""
        selected = False
        for negated, regex in self.compiled:
            if regex.match(name):
                selected = not negated
        return selected

    def selects_any(self, names: Iterable[str]) -> bool:
        return any(self.selects(name) for name in names)

    def selects_all(self, names: Iterable[str]) -> bool:
        return all(self.selects(name) for name in names)
