"""The one error raised for a bad ``${{ }}`` expression, at parse or at evaluation time."""

from __future__ import annotations

from plue_core.errors import Invalid


class ExpressionError(Invalid):
    """An expression could not be read or evaluated.

    ``reason`` says what is wrong, ``expression`` is the full expression text and ``position``
    the 1-based character offset of the offending symbol (None for evaluation errors, which
    belong to the whole expression). The message reads like GitHub's:
    ``Unexpected symbol: '2'. Located at position 3 within expression: 1 2``.
    """

    def __init__(self, reason: str, expression: str, position: int | None = None):
        if position is None:
            message = f"{reason}. Located within expression: {expression}"
        else:
            message = f"{reason}. Located at position {position} within expression: {expression}"
        super().__init__(message)
        self.reason = reason
        self.expression = expression
        self.position = position
