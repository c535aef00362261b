"""The built-in functions, with GitHub's documented examples."""

import pytest

from plue_workflows.expressions import (
    EvaluationContext,
    ExpressionError,
    evaluate_expression,
)


def evaluate(expression, **contexts):
    return evaluate_expression(expression, EvaluationContext(contexts=contexts))


def test_format_replaces_placeholders_and_unescapes_double_braces():
    assert evaluate("format('Hello {0} {1} {2}', 'Mona', 'the', 'Octocat')") == \
        "Hello Mona the Octocat"
    assert evaluate("format('{{Hello {0} {1} {2}!}}', 'Mona', 'the', 'Octocat')") == \
        "{Hello Mona the Octocat!}"
    assert evaluate("format('{0}{0}', 'x')") == "xx"
    assert evaluate("format('{1}-{0}', 'a', 'b')") == "b-a"


@pytest.mark.parametrize("expression, value", [
    ("format('{0}', null)", ""),
    ("format('{0}', true)", "true"),
    ("format('{0}', 1.50)", "1.5"),
    ("format('{0}', 0.1)", "0.1"),
    ("format('{0}', 100000000000000000000000)", "1e+23"),
    ("format('{0}', 0xff)", "255"),
    ("format('{0}', -0)", "0"),
    ("format('{0}', fromJSON('[1]'))", "Array"),
    ("format('{0}', fromJSON('{}'))", "Object"),
])
def test_format_casts_arguments_to_strings(expression, value):
    assert evaluate(expression) == value


@pytest.mark.parametrize("expression, reason", [
    ("format('{0}')", "references more arguments than were supplied: {0}"),
    ("format('{0', 'a')", "The following format string is invalid: {0"),
    ("format('a}b', 'a')", "The following format string is invalid: a}b"),
    ("format('{x}', 'a')", "The following format string is invalid: {x}"),
])
def test_format_errors_name_the_format_string_and_the_expression(expression, reason):
    with pytest.raises(ExpressionError) as caught:
        evaluate(expression)
    assert reason in str(caught.value)
    assert str(caught.value).endswith(f"within expression: {expression}")


def test_contains_on_strings_is_a_case_insensitive_substring_test():
    assert evaluate("contains('Hello world', 'llo')") is True
    assert evaluate("contains('Hello world', 'LLO W')") is True
    assert evaluate("contains('Hello', 'bye')") is False
    assert evaluate("contains(123, 2)") is True  # both cast to strings


def test_contains_on_arrays_uses_loose_equality():
    labels = {"issue": {"labels": [{"name": "Bug"}, {"name": "docs"}]}}
    assert evaluate("contains(github.event.issue.labels.*.name, 'bug')",
                    github={"event": labels}) is True
    assert evaluate("contains(fromJSON('[\"push\", \"pull_request\"]'), github.event_name)",
                    github={"event_name": "push"}) is True
    assert evaluate("contains(fromJSON('[1, 2]'), '2')") is True
    assert evaluate("contains(fromJSON('[]'), '')") is False
    assert evaluate("contains(fromJSON('{\"a\": 1}'), 'a')") is False


def test_starts_with_and_ends_with_ignore_case_and_refuse_non_primitives():
    assert evaluate("startsWith('Hello world', 'he')") is True
    assert evaluate("endsWith('Hello world', 'LD')") is True
    assert evaluate("startsWith(github.ref, 'refs/tags/')", github={"ref": "refs/tags/v1"}) is True
    assert evaluate("startsWith(fromJSON('[]'), '')") is False
    assert evaluate("endsWith(10, 0)") is True


def test_join_concatenates_with_comma_by_default():
    assert evaluate("join(github.event.issue.labels.*.name, ', ')",
                    github={"event": {"issue": {"labels": [{"name": "a"}, {"name": "b"}]}}}) == "a, b"
    assert evaluate("join(fromJSON('[1, true, null]'))") == "1,true,"
    assert evaluate("join('just text', '-')") == "just text"
    assert evaluate("join(fromJSON('{}'))") == ""


def test_to_json_pretty_prints_with_two_spaces():
    assert evaluate("toJSON(matrix)", matrix={"os": "linux", "node": [14, 16.5]}) == (
        '{\n  "os": "linux",\n  "node": [\n    14,\n    16.5\n  ]\n}')
    assert evaluate("toJSON('a\"b')") == '"a\\"b"'
    assert evaluate("toJSON(fromJSON('[]'))") == "[]"
    assert evaluate("toJSON(null)") == "null"


def test_from_json_reads_objects_booleans_and_numbers():
    assert evaluate("fromJSON('{\"a\":1}').a") == 1
    assert evaluate("fromJSON('true')") is True
    assert evaluate("fromJSON(env.TIMEOUT) > 5", env={"TIMEOUT": "10"}) is True
    assert evaluate("fromJSON(needs.job1.outputs.matrix).include[0].project",
                    needs={"job1": {"outputs": {"matrix": '{"include":[{"project":"foo"}]}'}}}) == "foo"


@pytest.mark.parametrize("source", ["''", "'{'", "'NaN'", "'[1,]'"])
def test_from_json_refuses_invalid_json_naming_the_expression(source):
    expression = f"fromJSON({source})"
    with pytest.raises(ExpressionError) as caught:
        evaluate(expression)
    assert "fromJSON" in caught.value.reason
    assert caught.value.expression == expression


def test_case_returns_the_value_of_the_first_true_predicate():
    assert evaluate("case(github.ref == 'refs/heads/main', 'prod', 'dev')",
                    github={"ref": "refs/heads/main"}) == "prod"
    assert evaluate("case(false, 1, false, 2, 3)") == 3
    with pytest.raises(ExpressionError, match="case predicate must evaluate to a boolean"):
        evaluate("case('yes', 1, 2)")


@pytest.mark.parametrize("status, cancelled, expected", [
    ("success", False, {"success": True, "failure": False, "cancelled": False, "always": True}),
    ("failure", False, {"success": False, "failure": True, "cancelled": False, "always": True}),
    ("success", True, {"success": False, "failure": False, "cancelled": True, "always": True}),
    ("cancelled", False, {"success": False, "failure": False, "cancelled": True, "always": True}),
    ("skipped", False, {"success": False, "failure": False, "cancelled": False, "always": True}),
])
def test_status_functions_read_the_job_status_of_the_context(status, cancelled, expected):
    context = EvaluationContext(status=status, cancelled=cancelled)
    for name, value in expected.items():
        assert evaluate_expression(f"{name}()", context) is value, name


def test_memory_used_by_one_evaluation_is_capped():
    expression = "format('{0}{0}{0}{0}{0}{0}{0}{0}', format('{0}{0}{0}{0}{0}{0}{0}{0}', " \
                 "format('{0}{0}{0}{0}{0}{0}{0}{0}', format('{0}{0}{0}{0}{0}{0}{0}{0}', " \
                 "format('{0}{0}{0}{0}{0}{0}{0}{0}', env.BIG)))))"
    with pytest.raises(ExpressionError, match="maximum allowed memory size was exceeded"):
        evaluate(expression, env={"BIG": "x" * 64})
