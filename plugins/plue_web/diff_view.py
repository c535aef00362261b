"""A file's unified diff (``FileChange.diff``, from git_hosting's reader) laid out for a page:
numbered rows in the unified view, or old and new side by side in the split view (Gitea's
``?style=split``), each row knowing the line comments made on it.

A line is named as the pulls service names it: a positive number is a line of the new file,
a negative one a line of the old file (``ReviewComment.line``)."""

from __future__ import annotations

import dataclasses
import re

from plue_core.errors import Invalid

STYLES = ("unified", "split")
_HUNK = re.compile(r"^@@ -(\d+)(?:,\d+)? \+(\d+)(?:,\d+)? @@")


def style_of(req) -> str:
    """Gitea's ``?style=unified|split`` (unified when absent); 422 for anything else."""
    style = req.get_param("style") or "unified"
    if style not in STYLES:
        raise Invalid(f"style: must be unified or split; got {style!r}")
    return style


@dataclasses.dataclass
class Cell:
    """One side of a line: its number in that file, its kind and text."""

    side: str  # old | new
    kind: str  # add | del | ctx
    number: int
    text: str

    @property
    def line(self) -> int:
        """The line as a comment names it (negative: of the old file)."""
        return -self.number if self.side == "old" else self.number


@dataclasses.dataclass
class Row:
    """A row of the table: a hunk header (``hunk``), or a line (unified: ``old`` and/or
    ``new``; split: ``left`` and/or ``right``), with the comments on its lines."""

    hunk: str = ""
    old: int | None = None
    new: int | None = None
    kind: str = ""
    text: str = ""
    left: Cell | None = None
    right: Cell | None = None
    comments: list = dataclasses.field(default_factory=list)

    @property
    def lines(self) -> list[int]:
        """The comment lines this row shows (both sides of an unchanged line)."""
        found = []
        for cell in (self.left, self.right):
            if cell is not None:
                found.append(cell.line)
        if self.kind == "del":
            found.append(-self.old)
        elif self.kind in ("add", "ctx"):
            found.append(self.new)
            if self.kind == "ctx":
                found.append(-self.old)
        return found


def _cells(diff: list[str]):
    """(hunk header or None, Cell of the old side or None, Cell of the new side or None)."""
    old = new = 0
    for raw in diff:
        if raw.startswith("@@"):
            match = _HUNK.match(raw)
            if match:
                old, new = int(match.group(1)), int(match.group(2))
            yield raw, None, None
        elif raw.startswith("+"):
            yield None, None, Cell("new", "add", new, raw[1:])
            new += 1
        elif raw.startswith("-"):
            yield None, Cell("old", "del", old, raw[1:]), None
            old += 1
        elif raw.startswith("\\"):  # "\ No newline at end of file"
            continue
        else:
            yield None, Cell("old", "ctx", old, raw[1:]), Cell("new", "ctx", new, raw[1:])
            old, new = old + 1, new + 1


def unified(diff: list[str]) -> list[Row]:
    rows = []
    for hunk, old, new in _cells(diff):
        if hunk is not None:
            rows.append(Row(hunk=hunk))
        elif old is not None and new is not None:
            rows.append(Row(old=old.number, new=new.number, kind="ctx", text=new.text))
        elif old is not None:
            rows.append(Row(old=old.number, kind="del", text=old.text))
        else:
            rows.append(Row(new=new.number, kind="add", text=new.text))
    return rows


def split(diff: list[str]) -> list[Row]:
    """Side by side: a run of removed lines faces the run of added lines that follows it."""
    rows: list[Row] = []
    removed: list[Cell] = []
    added: list[Cell] = []

    def flush():
        for index in range(max(len(removed), len(added))):
            rows.append(Row(left=removed[index] if index < len(removed) else None,
                            right=added[index] if index < len(added) else None))
        removed.clear()
        added.clear()

    for hunk, old, new in _cells(diff):
        if hunk is not None:
            flush()
            rows.append(Row(hunk=hunk))
        elif old is not None and new is not None:
            flush()
            rows.append(Row(left=old, right=new))
        elif old is not None:
            if added:  # a removal after additions starts a new run
                flush()
            removed.append(old)
        else:
            added.append(new)
    flush()
    return rows


def layout(changes, style: str, comments: list | None = None) -> list[dict]:
    """Each change with its rows in ``style``; ``comments`` (objects with ``path``, ``line``)
    are attached to the row showing their line, and those whose line is not shown any more
    (the head moved on) are listed under the file as ``outdated``."""
    build = split if style == "split" else unified
    by_path: dict[str, list] = {}
    for comment in comments or []:
        by_path.setdefault(comment.path, []).append(comment)
    files = []
    for change in changes:
        rows = build(change.diff)
        waiting = by_path.pop(change.path, [])
        if waiting:
            index: dict[int, Row] = {}
            for row in rows:
                for line in row.lines:
                    index.setdefault(line, row)
            for comment in waiting:
                row = index.get(comment.line)
                if row is not None:
                    row.comments.append(comment)
            shown = set(index)
            waiting = [comment for comment in waiting if comment.line not in shown]
        files.append({"change": change, "rows": rows, "outdated": waiting})
    return files
