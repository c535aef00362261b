"""The files a step writes to talk back: ``GITHUB_OUTPUT``, ``GITHUB_ENV`` (``name=value``
lines or ``name<<DELIMITER`` heredocs), ``GITHUB_PATH`` (one directory per line) and
``GITHUB_STEP_SUMMARY`` (markdown)."""

from __future__ import annotations

import pathlib

SUMMARY_LIMIT = 1024 * 1024  # GitHub refuses step summaries above 1 MiB


class FileCommandError(ValueError):
    """A file command is malformed; the message says which file and line."""


def parse_key_values(text: str, file_name: str) -> dict[str, str]:
    """``name=value`` and ``name<<DELIM`` ... ``DELIM`` entries, later ones winning."""
    values: dict[str, str] = {}
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    index = 0
    while index < len(lines):
        line = lines[index].rstrip("\r")
        index += 1
        if not line.strip():
            continue
        heredoc = line.find("<<")
        equals = line.find("=")
        if heredoc > 0 and (equals < 0 or heredoc < equals):
            name, delimiter = line[:heredoc], line[heredoc + 2:]
            if not delimiter:
                raise FileCommandError(f"{file_name} line {index}: a heredoc needs a delimiter "
                                       f"after '<<' (in {line!r})")
            body: list[str] = []
            while True:
                if index >= len(lines):
                    raise FileCommandError(f"{file_name}: the delimiter {delimiter!r} that "
                                           f"ends {name!r} was not found")
                current = lines[index].rstrip("\r")
                index += 1
                if current == delimiter:
                    break
                body.append(current)
            values[_name(name, file_name, index)] = "\n".join(body)
        elif equals > 0:
            values[_name(line[:equals], file_name, index)] = line[equals + 1:]
        else:
            raise FileCommandError(f"{file_name} line {index}: expected name=value or "
                                   f"name<<DELIMITER, got {line!r}")
    return values


def _name(name: str, file_name: str, line: int) -> str:
    if not name or name != name.strip():
        raise FileCommandError(f"{file_name} line {line}: invalid name {name!r}")
    return name


def parse_paths(text: str) -> list[str]:
    """Directories from ``GITHUB_PATH``, in the order written."""
    return [line.strip() for line in text.splitlines() if line.strip()]


def read_text(path: pathlib.Path, limit: int | None = None) -> str:
    """A command file's text (empty when the step removed it); undecodable bytes replaced."""
    try:
        with open(path, "rb") as handle:
            data = handle.read(limit + 1 if limit else -1)
    except FileNotFoundError:
        return ""
    return data.decode("utf-8", errors="replace")
