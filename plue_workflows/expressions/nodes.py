"""The expression syntax tree: small frozen dataclasses built by the parser."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterator


@dataclass(frozen=True)
class Node:
    position: int  # 1-based offset of the token that starts (or names) the node

    def children(self) -> tuple["Node", ...]:
        return ()

    def walk(self) -> Iterator["Node"]:
        """This node and every node below it, depth first."""
        yield self
        for child in self.children():
            yield from child.walk()


@dataclass(frozen=True)
class Literal(Node):
    value: Any


@dataclass(frozen=True)
class ContextReference(Node):
    name: str  # as written; looked up case-insensitively


@dataclass(frozen=True)
class Star(Node):
    """The ``*`` of ``a.*.b`` / ``a[*]``: an object filter over every element."""


@dataclass(frozen=True)
class Index(Node):
    target: Node
    index: Node  # a Literal for ``.name``, Star for ``.*``/``[*]``, any node for ``[expr]``

    def children(self):
        return (self.target, self.index)


@dataclass(frozen=True)
class Call(Node):
    name: str  # as written; functions are case-insensitive
    arguments: tuple[Node, ...]

    def children(self):
        return self.arguments


@dataclass(frozen=True)
class Not(Node):
    operand: Node

    def children(self):
        return (self.operand,)


@dataclass(frozen=True)
class Comparison(Node):
    operator: str  # one of == != < <= > >=
    left: Node
    right: Node

    def children(self):
        return (self.left, self.right)


@dataclass(frozen=True)
class Logical(Node):
    """``a && b && c`` or ``a || b``: short-circuits and yields the deciding operand's value."""

    operator: str  # && or ||
    operands: tuple[Node, ...]

    def children(self):
        return self.operands


@dataclass(frozen=True)
class Group(Node):
    """Parentheses; kept because only groups, calls and contexts accept ``.x`` and ``[x]``."""

    inner: Node

    def children(self):
        return (self.inner,)
