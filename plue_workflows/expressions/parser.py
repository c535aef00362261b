"""Recursive-descent parser for ``${{ }}`` expressions (the text between the braces).

Precedence, loosest first: ``||``, ``&&``, ``== !=``, ``< <= > >=``, ``!``, then property
access ``.name``, ``.*``, ``[expr]``, ``[*]`` after a group, a call or a context name. Unknown
contexts and functions, and wrong argument counts, are refused here rather than at run time,
as GitHub does when it reads a workflow.
"""

from __future__ import annotations

from collections.abc import Iterable

from plue_workflows.expressions import nodes
from plue_workflows.expressions import tokens as t
from plue_workflows.expressions.errors import ExpressionError
from plue_workflows.expressions.signatures import FUNCTION_SIGNATURES

MAX_DEPTH = 50


def parse(expression: str, context_names: Iterable[str]) -> nodes.Node | None:
    """Parse an expression; None for an empty one. ``context_names`` are the allowed contexts."""
    return _Parser(expression, {name.lower() for name in context_names}).parse()


class _Parser:
    def __init__(self, expression: str, context_names: set[str]):
        self.expression = expression
        self.tokens = t.tokenize(expression)
        self.context_names = context_names
        self.offset = 0
        self.depth = 0

    # --- token stream -------------------------------------------------------------------
    def peek(self) -> t.Token:
        return self.tokens[self.offset]

    def previous(self) -> t.Token:
        return self.tokens[self.offset - 1]

    def at_end(self) -> bool:
        return self.peek().kind == t.END

    def match(self, *kinds: str) -> bool:
        if self.peek().kind in kinds and not self.at_end():
            self.offset += 1
            return True
        return False

    def expect(self, kind: str) -> None:
        if not self.match(kind):
            raise self.error("Unexpected symbol", self.peek())

    def error(self, reason: str, token: t.Token) -> ExpressionError:
        return ExpressionError(f"{reason}: '{token.describe()}'", self.expression, token.position)

    def enter(self) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise ExpressionError(
                f"Exceeded max expression depth {MAX_DEPTH}", self.expression, self.peek().position)

    # --- grammar ------------------------------------------------------------------------
    def parse(self) -> nodes.Node | None:
        if self.at_end():
            return None
        tree = self.expression_()
        if not self.at_end():
            raise self.error("Unexpected symbol", self.peek())
        return tree

    def expression_(self) -> nodes.Node:
        self.enter()
        try:
            return self.logical(t.OR, self.logical_and)
        finally:
            self.depth -= 1

    def logical_and(self) -> nodes.Node:
        return self.logical(t.AND, self.equality)

    def logical(self, operator: str, operand) -> nodes.Node:
        first = operand()
        if self.peek().kind != operator:
            return first
        self.enter()
        try:
            operands = [first]
            while self.match(operator):
                operands.append(operand())
            return nodes.Logical(first.position, operator, tuple(operands))
        finally:
            self.depth -= 1

    def equality(self) -> nodes.Node:
        left = self.comparison()
        while self.match(t.EQUAL, t.NOT_EQUAL):
            operator = self.previous().kind
            left = nodes.Comparison(left.position, operator, left, self.comparison())
        return left

    def comparison(self) -> nodes.Node:
        left = self.unary()
        while self.match(t.GREATER, t.GREATER_EQUAL, t.LESS, t.LESS_EQUAL):
            operator = self.previous().kind
            left = nodes.Comparison(left.position, operator, left, self.unary())
        return left

    def unary(self) -> nodes.Node:
        if self.match(t.NOT):
            position = self.previous().position
            self.enter()
            try:
                return nodes.Not(position, self.unary())
            finally:
                self.depth -= 1
        return self.postfix()

    def postfix(self) -> nodes.Node:
        node = self.call()
        if not isinstance(node, (nodes.Group, nodes.Call, nodes.ContextReference)):
            return node
        entered = 0
        try:
            while True:
                if self.match(t.LEFT_BRACKET):
                    if self.match(t.STAR):
                        index = nodes.Star(self.previous().position)
                    else:
                        index = self.expression_()
                    self.expect(t.RIGHT_BRACKET)
                elif self.match(t.DOT):
                    if self.match(t.IDENTIFIER):
                        name = self.previous()
                        index = nodes.Literal(name.position, name.lexeme)
                    elif self.match(t.STAR):
                        index = nodes.Star(self.previous().position)
                    else:
                        raise self.error("Unexpected symbol", self.peek())
                else:
                    return node
                self.enter()
                entered += 1
                node = nodes.Index(node.position, node, index)
        finally:
            self.depth -= entered

    def call(self) -> nodes.Node:
        if self.peek().kind != t.IDENTIFIER:
            return self.primary()
        name = self.peek()
        self.offset += 1
        if not self.match(t.LEFT_PAREN):
            if name.lexeme.lower() not in self.context_names:
                raise self.error("Unrecognized named-value", name)
            return nodes.ContextReference(name.position, name.lexeme)
        arguments: list[nodes.Node] = []
        while not self.match(t.RIGHT_PAREN):
            arguments.append(self.expression_())
            if self.peek().kind != t.RIGHT_PAREN:
                self.expect(t.COMMA)
        self.check_signature(name, len(arguments))
        return nodes.Call(name.position, name.lexeme, tuple(arguments))

    def check_signature(self, name: t.Token, count: int) -> None:
        signature = FUNCTION_SIGNATURES.get(name.lexeme.lower())
        if signature is None:
            raise self.error("Unrecognized function", name)
        if count < signature.minimum:
            raise self.error("Too few parameters supplied", name)
        if count > signature.maximum:
            raise self.error("Too many parameters supplied", name)
        if signature.odd_only and count % 2 == 0:
            raise self.error(
                "Even number of parameters supplied, requires an odd number of parameters", name)

    def primary(self) -> nodes.Node:
        token = self.peek()
        if self.match(t.TRUE, t.FALSE, t.NULL, t.NUMBER, t.STRING):
            return nodes.Literal(token.position, token.value)
        if self.match(t.LEFT_PAREN):
            inner = self.expression_()
            if self.at_end():
                raise self.error("Unexpected end of expression", self.previous())
            self.expect(t.RIGHT_PAREN)
            return nodes.Group(token.position, inner)
        if self.at_end():
            raise self.error("Unexpected end of expression", self.previous())
        raise self.error("Unexpected symbol", token)
