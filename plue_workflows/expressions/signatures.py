"""Names and argument counts of the expression functions, checked when an expression is parsed."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Signature:
    name: str  # canonical spelling, for messages and docs
    minimum: int
    maximum: int
    odd_only: bool = False


STATUS_FUNCTIONS = frozenset({"success", "failure", "cancelled", "always"})

FUNCTION_SIGNATURES: dict[str, Signature] = {
    signature.name.lower(): signature
    for signature in (
        Signature("contains", 2, 2),
        Signature("startsWith", 2, 2),
        Signature("endsWith", 2, 2),
        Signature("format", 1, 255),
        Signature("join", 1, 2),
        Signature("toJSON", 1, 1),
        Signature("fromJSON", 1, 1),
        Signature("hashFiles", 1, 255),
        Signature("case", 3, 255, odd_only=True),
        Signature("success", 0, 0),
        Signature("failure", 0, 0),
        Signature("cancelled", 0, 0),
        Signature("always", 0, 0),
    )
}
