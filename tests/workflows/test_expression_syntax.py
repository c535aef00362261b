"""Reading expressions: literals, property access, precedence and precise syntax errors."""

import math

import pytest

from plue_workflows.expressions import (
    EvaluationContext,
    ExpressionError,
    evaluate_expression,
    parse_expression,
)


def evaluate(expression, **contexts):
    return evaluate_expression(expression, EvaluationContext(contexts=contexts))


@pytest.mark.parametrize("expression, expected", [
    ("null", None),
    ("true", True),
    ("false", False),
    ("711", 711),
    ("-9.2", -9.2),
    ("0xff", 255),
    ("0o17", 15),
    ("-2.99e-2", -0.0299),
    ("1E+3", 1000),
    (".5", 0.5),
    ("+1", 1),
    ("'Mona the Octocat'", "Mona the Octocat"),
    ("'It''s open source!'", "It's open source!"),
    ("'two '''' quotes'", "two '' quotes"),
    ("''", ""),
    ("Infinity", math.inf),
])
def test_literals_follow_the_documented_forms(expression, expected):
    assert evaluate(expression) == expected


def test_nan_literal_is_a_number_that_is_not_equal_to_itself():
    assert math.isnan(evaluate("NaN"))
    assert evaluate("NaN == NaN") is False


def test_an_empty_expression_is_null():
    assert parse_expression("") is None
    assert evaluate("   ") is None


def test_property_access_by_dot_and_by_index_is_case_insensitive():
    github = {"event": {"Head_Commit": {"message": "fix"}}, "ref": "refs/heads/main"}
    assert evaluate("github.event.head_commit.message", github=github) == "fix"
    assert evaluate("GITHUB['event']['HEAD_COMMIT'].Message", github=github) == "fix"
    assert evaluate("github.event.missing.deeper", github=github) is None


def test_keywords_after_a_dot_are_property_names():
    assert evaluate("env.null", env={"null": "x"}) == "x"
    assert evaluate("env.true", env={"true": "y"}) == "y"


def test_property_names_may_contain_hyphens():
    steps = {"build-step": {"outputs": {"artifact-name": "pkg.tar"}}}
    assert evaluate("steps.build-step.outputs.artifact-name", steps=steps) == "pkg.tar"


def test_array_index_takes_the_floor_and_out_of_range_is_null():
    assert evaluate("matrix.list[1.7]", matrix={"list": ["a", "b"]}) == "b"
    assert evaluate("matrix.list[2]", matrix={"list": ["a", "b"]}) is None
    assert evaluate("matrix.list[-1]", matrix={"list": ["a", "b"]}) is None


def test_object_filter_collects_a_property_from_every_element():
    event = {"issue": {"labels": [{"name": "bug"}, {"name": "help wanted"}, {"other": 1}]}}
    assert evaluate("github.event.issue.labels.*.name", github={"event": event}) == [
        "bug", "help wanted"]
    assert evaluate("vars.obj.*", vars={"obj": {"a": 1, "b": 2}}) == [1, 2]
    assert evaluate("vars.nested[*][*]", vars={"nested": [[1, 2], [3]]}) == [1, 2, 3]
    assert evaluate("vars.scalar.*", vars={"scalar": "text"}) == []


def test_functions_and_groups_accept_property_access():
    assert evaluate("fromJSON('{\"a\": {\"b\": [10, 20]}}').a.b[1]") == 20
    assert evaluate("(fromJSON('[\"one\", \"two\"]'))[0]") == "one"


def test_not_binds_tighter_than_comparison():
    assert evaluate("!2 < 3") is True  # (!2) < 3 -> false < 3 -> 0 < 3
    assert evaluate("!(2 < 3)") is False


def test_and_binds_tighter_than_or():
    assert evaluate("true || false && false") is True
    assert evaluate("(true || false) && false") is False


def test_comparison_binds_tighter_than_equality():
    assert evaluate("1 < 2 == true") is True


def test_gitea_is_an_alias_of_github():
    assert evaluate("gitea.ref", github={"ref": "refs/heads/dev"}) == "refs/heads/dev"
    assert evaluate("github.ref", gitea={"ref": "refs/heads/x"}) == "refs/heads/x"


def test_known_contexts_without_a_value_are_null():
    assert evaluate("secrets.TOKEN") is None
    assert evaluate("needs.build.outputs.version") is None


@pytest.mark.parametrize("expression, message", [
    ("githb.ref", "Unrecognized named-value: 'githb'. Located at position 1 within expression: githb.ref"),
    ("1 2", "Unexpected symbol: '2'. Located at position 3 within expression: 1 2"),
    ("1 <", "Unexpected end of expression: '<'. Located at position 3 within expression: 1 <"),
    ("'open", "Unexpected symbol: ''open'. Located at position 1 within expression: 'open"),
    ("1 = 2", "Unexpected symbol: '='. Located at position 3 within expression: 1 = 2"),
    ("a & b", "Unexpected symbol: '&'. Located at position 3 within expression: a & b"),
    ("github.()", "Unexpected symbol: '('. Located at position 8 within expression: github.()"),
    ("env.1", "Unexpected symbol: '1'. Located at position 5 within expression: env.1"),
    ("-0xFF", "Unexpected symbol: '-0xFF'. Located at position 1 within expression: -0xFF"),
    ("\"double\"", "Unexpected symbol: '\"double\"'. Located at position 1"),
    ("nosuch()", "Unrecognized function: 'nosuch'. Located at position 1 within expression: nosuch()"),
    ("join()", "Too few parameters supplied: 'join'"),
    ("contains(1, 2, 3)", "Too many parameters supplied: 'contains'"),
    ("always(1)", "Too many parameters supplied: 'always'"),
    ("case(true, 1, false, 2)", "Even number of parameters supplied"),
    ("(1 || 2", "Unexpected end of expression: '2'. Located at position 7"),
    ("'x'.length", "Unexpected symbol: '.length'. Located at position 4"),
])
def test_syntax_errors_name_the_symbol_the_position_and_the_expression(expression, message):
    with pytest.raises(ExpressionError) as caught:
        parse_expression(expression)
    assert message in str(caught.value)
    assert caught.value.expression == expression


def test_positions_count_across_lines():
    expression = "github.event_name == 'push'\n && !contains(nope.X)"
    with pytest.raises(ExpressionError) as caught:
        parse_expression(expression)
    assert caught.value.position == expression.index("nope") + 1


def test_nesting_deeper_than_fifty_levels_is_refused():
    with pytest.raises(ExpressionError, match="Exceeded max expression depth 50"):
        parse_expression("!" * 55 + "true")
    assert parse_expression("!" * 10 + "true") is not None


def test_the_allowed_contexts_can_be_narrowed():
    with pytest.raises(ExpressionError, match="Unrecognized named-value: 'steps'"):
        parse_expression("steps.a.outcome", context_names={"github", "needs"})


def test_function_names_are_case_insensitive():
    assert evaluate("TOJSON(1)") == "1"
    assert evaluate("StartsWith('Hello', 'he')") is True
