"""GitHub's operators: loose equality, coercion, case-insensitive strings, short-circuit."""

import pytest

from plue_workflows.expressions import EvaluationContext, evaluate_expression


def evaluate(expression, **contexts):
    return evaluate_expression(expression, EvaluationContext(contexts=contexts))


@pytest.mark.parametrize("expression, expected", [
    # Documented coercions to number when types differ.
    ("'' == 0", True),
    ("null == 0", True),
    ("null == false", True),  # both become 0
    ("true == 1", True),
    ("false == 0", True),
    ("'1' == 1", True),
    ("' 0x10 ' == 16", True),
    ("'abc' == 0", False),  # 'abc' is NaN
    ("'true' == true", False),  # true -> 1, 'true' -> NaN
    ("null == ''", True),
    ("null == null", True),
    ("'1.0' == 1", True),
    # Strings compare ignoring case.
    ("'Hello' == 'hELLO'", True),
    ("'abc' != 'ABC'", False),
    # Arrays and objects equal only themselves.
    ("fromJSON('[]') == fromJSON('[]')", False),
    ("fromJSON('{}') == 0", False),
])
def test_loose_equality_follows_the_documented_coercions(expression, expected):
    assert evaluate(expression) is expected


def test_an_object_equals_itself():
    assert evaluate("github.event == github.event", github={"event": {"a": 1}}) is True


@pytest.mark.parametrize("expression, expected", [
    ("1 < 2", True),
    ("2 <= 2", True),
    ("3 > 2", True),
    ("'b' > 'A'", True),
    ("'abc' < 'ABD'", True),
    ("true > false", True),
    ("'10' > 9", True),
    ("'10' > '9'", False),  # both strings: compared as text
    ("NaN < 1", False),
    ("NaN >= NaN", False),
    ("fromJSON('[]') < 1", False),
    ("null < 1", True),
])
def test_ordering_coerces_like_equality(expression, expected):
    assert evaluate(expression) is expected


@pytest.mark.parametrize("expression, expected", [
    ("!false", True),
    ("!0", True),
    ("!''", True),
    ("!null", True),
    ("!NaN", True),
    ("!'false'", False),  # a non-empty string is truthy
    ("!fromJSON('[]')", False),  # empty arrays and objects are truthy
    ("!fromJSON('{}')", False),
    ("!-0", True),
])
def test_truthiness_matches_the_documented_falsy_values(expression, expected):
    assert evaluate(expression) is expected


def test_and_or_return_the_deciding_operand_not_a_boolean():
    assert evaluate("'a' && 'b'") == "b"
    assert evaluate("'' && 'b'") == ""
    assert evaluate("0 || 'fallback'") == "fallback"
    assert evaluate("'first' || 'second'") == "first"
    assert evaluate("null || null") is None
    assert evaluate("github.x || 'default'", github={}) == "default"


def test_or_and_short_circuit_before_evaluating_the_rest():
    # fromJSON('') would fail if it were evaluated.
    assert evaluate("true || fromJSON('')") is True
    assert evaluate("false && fromJSON('')") is False


def test_ternary_idiom_works():
    expression = "github.ref == 'refs/heads/main' && 'production' || 'staging'"
    assert evaluate(expression, github={"ref": "refs/heads/main"}) == "production"
    assert evaluate(expression, github={"ref": "refs/heads/dev"}) == "staging"


def test_numbers_from_contexts_compare_with_literals():
    assert evaluate("github.run_attempt > 1", github={"run_attempt": 2}) is True
    assert evaluate("matrix.version == '3.10'", matrix={"version": "3.10"}) is True
    assert evaluate("matrix.python == 3.1", matrix={"python": 3.1}) is True


def test_the_dotless_i_is_not_folded_to_ascii():
    assert evaluate("'ı' == 'I'") is False
    assert evaluate("'i' == 'I'") is True
