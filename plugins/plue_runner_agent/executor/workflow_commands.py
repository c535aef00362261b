"""Workflow commands printed by steps: ``::add-mask::``, ``::set-output``, ``::group::``,
``::stop-commands::``, ``::debug::`` and the annotations, as the GitHub runner reads them."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from plue_runner_agent.executor.masking import Masker

_COMMAND = re.compile(r"^::([A-Za-z][\w-]*)(?: ([^:]*))?::(.*)$")
_DATA_ESCAPES = (("%0D", "\r"), ("%0A", "\n"), ("%25", "%"))
_PROPERTY_ESCAPES = (("%0D", "\r"), ("%0A", "\n"), ("%3A", ":"), ("%2C", ","), ("%25", "%"))
_ANNOTATIONS = {"error", "warning", "notice"}


def _unescape(text: str, escapes) -> str:
    for escaped, plain in escapes:
        text = text.replace(escaped, plain)
    return text


def parse_command(line: str) -> tuple[str, dict[str, str], str] | None:
    """``(name, properties, value)`` of a ``::name key=value,...::value`` line, else None."""
    match = _COMMAND.match(line)
    if match is None:
        return None
    properties = {}
    for item in (match.group(2) or "").split(","):
        key, sep, value = item.partition("=")
        if sep and key.strip():
            properties[key.strip()] = _unescape(value, _PROPERTY_ESCAPES)
    return match.group(1).lower(), properties, _unescape(match.group(3), _DATA_ESCAPES)


@dataclass
class CommandProcessor:
    """Reads one step's output line by line; returns what the log shows (None hides the line)
    and collects legacy ``set-output`` values and, if allowed, ``set-env``/``add-path``."""

    masker: Masker
    debug: bool = False
    allow_unsecure_commands: bool = False
    outputs: dict[str, str] = field(default_factory=dict)
    env: dict[str, str] = field(default_factory=dict)
    paths: list[str] = field(default_factory=list)
    _stop_token: str | None = None

    def process(self, line: str) -> str | None:
        parsed = parse_command(line)
        if parsed is None:
            return line
        name, properties, value = parsed
        if self._stop_token is not None:
            if name == self._stop_token.lower():
                self._stop_token = None
                return None
            return line
        if name == "add-mask":
            self.masker.add(value)
            return None
        if name == "stop-commands":
            self._stop_token = value or None
            return None
        if name == "debug":
            return f"##[debug]{value}" if self.debug else None
        if name == "group":
            return f"##[group]{value}"
        if name == "endgroup":
            return "##[endgroup]"
        if name in _ANNOTATIONS:
            where = ",".join(f"{k}={v}" for k, v in properties.items())
            return f"##[{name}]{where + ': ' if where else ''}{value}"
        if name == "set-output" and "name" in properties:
            self.outputs[properties["name"]] = value
            return None
        if name in ("set-env", "add-path"):
            if not self.allow_unsecure_commands:
                return (f"##[error]The `{name}` command is disabled. Use the GITHUB_ENV / "
                        "GITHUB_PATH files instead (or set ACTIONS_ALLOW_UNSECURE_COMMANDS=true).")
            if name == "set-env" and "name" in properties:
                self.env[properties["name"]] = value
            elif name == "add-path":
                self.paths.append(value)
            return None
        if name in ("save-state", "echo"):
            return None
        return line
