"""The expression lexer: text in, a list of tokens with their 1-based positions out.

It follows the reference lexer of GitHub's expression language: a token ends at a boundary
character, ``-``/``+``/digits/a leading ``.`` start a number, ``'`` starts a string in which
``''`` is a quote, and ``true``/``false``/``null``/``NaN``/``Infinity`` are keywords except
right after a ``.`` (so ``github.event.null`` is a property).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from plue_workflows.expressions.errors import ExpressionError
from plue_workflows.expressions.numbers import parse_number

MAX_EXPRESSION_LENGTH = 21000

# Token kinds.
LEFT_PAREN, RIGHT_PAREN, LEFT_BRACKET, RIGHT_BRACKET = "(", ")", "[", "]"
COMMA, DOT, STAR = ",", ".", "*"
NOT, NOT_EQUAL, EQUAL = "!", "!=", "=="
GREATER, GREATER_EQUAL, LESS, LESS_EQUAL = ">", ">=", "<", "<="
AND, OR = "&&", "||"
NUMBER, STRING, IDENTIFIER = "number", "string", "identifier"
TRUE, FALSE, NULL = "true", "false", "null"
END = "end"

_BOUNDARY = set("()[],.!><=&|")
_SINGLE = {"(": LEFT_PAREN, ")": RIGHT_PAREN, "[": LEFT_BRACKET, "]": RIGHT_BRACKET,
           ",": COMMA, "*": STAR}
_KEYWORDS = {"true": (TRUE, True), "false": (FALSE, False), "null": (NULL, None),
             "NaN": (NUMBER, math.nan), "Infinity": (NUMBER, math.inf)}
# A '.' right after one of these is property access; anywhere else it starts a number (.5).
_DOT_FOLLOWS = {IDENTIFIER, RIGHT_BRACKET, RIGHT_PAREN, STAR}


@dataclass(frozen=True)
class Token:
    kind: str
    lexeme: str
    position: int  # 1-based offset of the first character
    value: Any = None

    def describe(self) -> str:
        """How error messages quote this token."""
        if self.kind == STRING:
            return str(self.value)
        return self.lexeme


def _is_boundary(char: str) -> bool:
    return char in _BOUNDARY or char.isspace()


def _is_identifier(text: str) -> bool:
    if not text or not (text[0].isascii() and (text[0].isalpha() or text[0] == "_")):
        return False
    return all(c.isascii() and (c.isalnum() or c in "_-") for c in text[1:])


def tokenize(expression: str) -> list[Token]:
    """Split an expression into tokens, ending with an END token; raise ExpressionError."""
    if len(expression) > MAX_EXPRESSION_LENGTH:
        raise ExpressionError(
            f"Exceeded max expression length {MAX_EXPRESSION_LENGTH}", expression[:80] + "...")
    tokens: list[Token] = []
    offset, length = 0, len(expression)

    def unexpected(start: int, end: int) -> ExpressionError:
        return ExpressionError(
            f"Unexpected symbol: '{expression[start:end]}'", expression, start + 1)

    def scan_word(start: int) -> int:
        end = start + 1
        while end < length and not _is_boundary(expression[end]):
            end += 1
        return end

    def scan_number(start: int) -> int:
        end = start + 1
        while end < length and (not _is_boundary(expression[end]) or expression[end] == "."):
            end += 1
        value = parse_number(expression[start:end])
        if math.isnan(value):
            raise unexpected(start, end)
        tokens.append(Token(NUMBER, expression[start:end], start + 1, value))
        return end

    while offset < length:
        char = expression[offset]
        start = offset
        previous = tokens[-1].kind if tokens else END
        if char.isspace():
            offset += 1
        elif char in _SINGLE:
            tokens.append(Token(_SINGLE[char], char, start + 1))
            offset += 1
        elif char == ".":
            if previous in _DOT_FOLLOWS:
                tokens.append(Token(DOT, char, start + 1))
                offset += 1
            else:
                offset = scan_number(start)
        elif char in "-+" or char.isascii() and char.isdigit():
            offset = scan_number(start)
        elif char in "!<>":
            two = expression[offset:offset + 2]
            kind = two if two in (NOT_EQUAL, GREATER_EQUAL, LESS_EQUAL) else char
            tokens.append(Token(kind, kind, start + 1))
            offset += len(kind)
        elif char in "=&|":
            two = expression[offset:offset + 2]
            if two not in (EQUAL, AND, OR):
                raise unexpected(start, scan_word(start))
            tokens.append(Token(two, two, start + 1))
            offset += 2
        elif char == "'":
            offset = _scan_string(expression, start, tokens, unexpected)
        else:
            end = scan_word(start)
            word = expression[start:end]
            if not _is_identifier(word):
                raise unexpected(start, end)
            kind, value = IDENTIFIER, None
            if previous != DOT and word in _KEYWORDS:
                kind, value = _KEYWORDS[word]
            tokens.append(Token(kind, word, start + 1, value))
            offset = end
    tokens.append(Token(END, "", length + 1))
    return tokens


def _scan_string(expression: str, start: int, tokens: list[Token], unexpected) -> int:
    """Read a single-quoted string starting at ``start``; return the offset after it."""
    parts: list[str] = []
    offset, length = start + 1, len(expression)
    while True:
        quote = expression.find("'", offset)
        if quote < 0:
            raise unexpected(start, length)
        parts.append(expression[offset:quote])
        if quote + 1 < length and expression[quote + 1] == "'":
            parts.append("'")
            offset = quote + 2
            continue
        tokens.append(Token(STRING, expression[start:quote + 1], start + 1, "".join(parts)))
        return quote + 1
