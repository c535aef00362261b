"""GitHub/Gitea ``${{ }}`` expressions: a tokenizer, a parser producing a syntax tree, and an
evaluator with GitHub's coercion rules, contexts and functions.

Typical use::

    context = EvaluationContext(contexts={"github": {...}, "matrix": {"os": "linux"}})
    interpolate("build-${{ matrix.os }}", context)          # 'build-linux'
    evaluate_condition("github.ref == 'refs/heads/main'", context)
"""

from plue_workflows.expressions.context import (
    CANCELLED,
    FAILURE,
    SKIPPED,
    STANDARD_CONTEXTS,
    SUCCESS,
    EvaluationContext,
)
from plue_workflows.expressions.errors import ExpressionError
from plue_workflows.expressions.templates import (
    ExpressionPart,
    contains_expression,
    evaluate_condition,
    evaluate_expression,
    interpolate,
    interpolate_structure,
    parse_expression,
    split_template,
    uses_status_function,
)
from plue_workflows.expressions.values import is_truthy, kind_of, loose_equals, to_json, to_string

__all__ = [
    "CANCELLED", "FAILURE", "SKIPPED", "STANDARD_CONTEXTS", "SUCCESS", "EvaluationContext",
    "ExpressionError", "ExpressionPart", "contains_expression", "evaluate_condition",
    "evaluate_expression", "interpolate", "interpolate_structure", "is_truthy", "kind_of",
    "loose_equals", "parse_expression", "split_template", "to_json", "to_string",
    "uses_status_function",
]
