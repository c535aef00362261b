"""Templates with several ${{ }} parts, and `if:` conditions."""

import pytest

from plue_workflows.expressions import (
    EvaluationContext,
    ExpressionError,
    ExpressionPart,
    evaluate_condition,
    interpolate,
    interpolate_structure,
    split_template,
)

GITHUB = {"ref": "refs/heads/main", "event_name": "push", "sha": "abc123"}


def context(status="success", cancelled=False, **contexts):
    contexts.setdefault("github", GITHUB)
    return EvaluationContext(contexts=contexts, status=status, cancelled=cancelled)


def test_a_template_with_several_parts_renders_each_as_a_string():
    rendered = interpolate("${{ github.event_name }} of ${{ github.sha }} #${{ 1 == 1 }}",
                           context())
    assert rendered == "push of abc123 #true"


def test_a_template_that_is_one_expression_keeps_the_value_type():
    assert interpolate("${{ fromJSON('[1, 2]') }}", context()) == [1, 2]
    assert interpolate("${{ matrix.experimental }}", context(matrix={"experimental": True})) is True
    assert interpolate("${{ null }}", context()) is None


def test_strings_without_expressions_and_non_strings_pass_through():
    assert interpolate("plain $ text {{ }}", context()) == "plain $ text {{ }}"
    assert interpolate(42, context()) == 42


def test_closing_braces_inside_a_quoted_string_do_not_end_the_expression():
    assert split_template("a ${{ format('{{0}}}}', 1) }} b") == [
        "a ", ExpressionPart("format('{{0}}}}', 1)"), " b"]
    assert interpolate("${{ format('}}{0}', 'x') }}!", context()) == "}x!"


def test_an_unclosed_expression_is_an_error_naming_the_template():
    with pytest.raises(ExpressionError) as caught:
        interpolate("echo ${{ github.ref", context())
    assert "not closed" in caught.value.reason
    assert caught.value.expression == "echo ${{ github.ref"


def test_an_empty_expression_is_an_error():
    with pytest.raises(ExpressionError, match="An expression was expected"):
        interpolate("x ${{ }} y", context())


def test_errors_inside_a_template_name_the_inner_expression():
    with pytest.raises(ExpressionError) as caught:
        interpolate("run ${{ github.ref }} ${{ secrets.A + 1 }}", context())
    assert caught.value.expression == "secrets.A + 1"
    assert caught.value.position == 11


def test_interpolate_structure_renders_nested_values_but_not_keys():
    value = {"with": {"${{ x }}": "${{ github.ref }}", "list": ["${{ 1 }}", "a-${{ 2 }}"]}}
    assert interpolate_structure(value, context()) == {
        "with": {"${{ x }}": "refs/heads/main", "list": [1, "a-2"]}}


@pytest.mark.parametrize("condition", [
    "github.ref == 'refs/heads/main'",
    "${{ github.ref == 'refs/heads/main' }}",
    "  ${{ startsWith(github.ref, 'refs/heads/') }}  ",
    True,
    1,
    None,
    "",
])
def test_conditions_accept_plain_or_wrapped_expressions(condition):
    assert evaluate_condition(condition, context()) is True


@pytest.mark.parametrize("condition", [
    "github.ref == 'refs/heads/dev'",
    "${{ false }}",
    False,
    0,
    "github.missing",
])
def test_false_conditions(condition):
    assert evaluate_condition(condition, context()) is False


def test_a_condition_without_status_function_implies_success():
    failed = context(status="failure")
    assert evaluate_condition("github.ref == 'refs/heads/main'", failed) is False
    assert evaluate_condition(True, failed) is False
    assert evaluate_condition(None, failed) is False
    assert evaluate_condition("always()", failed) is True
    assert evaluate_condition("failure()", failed) is True
    assert evaluate_condition("failure() && github.ref == 'refs/heads/main'", failed) is True
    assert evaluate_condition("${{ !cancelled() }}", failed) is True


def test_a_cancelled_run_skips_default_conditions_but_not_cancelled_or_always():
    cancelled = context(cancelled=True)
    assert evaluate_condition("true", cancelled) is False
    assert evaluate_condition("cancelled()", cancelled) is True
    assert evaluate_condition("always()", cancelled) is True
    assert evaluate_condition("!cancelled()", cancelled) is False


def test_implicit_success_short_circuits_before_the_condition_is_evaluated():
    assert evaluate_condition("fromJSON('')", context(status="failure")) is False
    with pytest.raises(ExpressionError):
        evaluate_condition("fromJSON('')", context())


def test_text_around_an_expression_makes_a_non_empty_string_that_is_truthy():
    # `if: ${{ false }} == true` renders to the string "false == true": GitHub runs it too.
    assert evaluate_condition("${{ false }} == true", context()) is True
    assert evaluate_condition("${{ false }} == true", context(status="failure")) is False


def test_condition_syntax_errors_are_reported():
    with pytest.raises(ExpressionError, match="Unexpected symbol"):
        evaluate_condition("github.ref = 'x'", context())
