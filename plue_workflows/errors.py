"""Errors for workflow files: every problem names the file and where in it things went wrong."""

from __future__ import annotations

from dataclasses import dataclass, field

from plue_core.errors import Invalid


class WorkflowError(Invalid):
    """A workflow file cannot be used. ``problems`` lists ``(location, message)`` pairs where
    location is a path like ``jobs.build.steps[0]`` (or ``line 3, column 5`` for YAML)."""

    def __init__(self, file_name: str, problems: list[tuple[str, str]]):
        self.file_name = file_name
        self.problems = list(problems)
        lines = [f"{file_name}: {location}: {message}" if location else f"{file_name}: {message}"
                 for location, message in self.problems]
        super().__init__("; ".join(lines), details=[
            {"location": location, "message": message} for location, message in self.problems])


@dataclass
class Problems:
    """Collects every problem of a file so the author sees them all at once."""

    file_name: str
    items: list[tuple[str, str]] = field(default_factory=list)

    def add(self, location: str, message: str) -> None:
        self.items.append((location, message))

    def raise_if_any(self) -> None:
        if self.items:
            raise WorkflowError(self.file_name, self.items)
