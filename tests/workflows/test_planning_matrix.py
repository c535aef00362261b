"""Matrix expansion exactly as GitHub documents include and exclude."""

import pytest

from plue_workflows.planning import MatrixError, expand_matrix


def test_no_matrix_is_one_combination():
    assert expand_matrix(None) == [{}]


def test_the_product_keeps_variable_order():
    assert expand_matrix({"version": [10, 12], "os": ["ubuntu", "windows"]}) == [
        {"version": 10, "os": "ubuntu"}, {"version": 10, "os": "windows"},
        {"version": 12, "os": "ubuntu"}, {"version": 12, "os": "windows"}]


def test_githubs_documented_include_example():
    matrix = {
        "fruit": ["apple", "pear"],
        "animal": ["cat", "dog"],
        "include": [
            {"color": "green"},
            {"color": "pink", "animal": "cat"},
            {"fruit": "apple", "shape": "circle"},
            {"fruit": "banana"},
            {"fruit": "banana", "animal": "cat"},
        ],
    }
    assert expand_matrix(matrix) == [
        {"fruit": "apple", "animal": "cat", "color": "pink", "shape": "circle"},
        {"fruit": "apple", "animal": "dog", "color": "green", "shape": "circle"},
        {"fruit": "pear", "animal": "cat", "color": "pink"},
        {"fruit": "pear", "animal": "dog", "color": "green"},
        {"fruit": "banana"},
        {"fruit": "banana", "animal": "cat"},
    ]


def test_githubs_documented_exclude_example_is_a_partial_match():
    matrix = {
        "os": ["macos-latest", "windows-latest"],
        "version": [12, 14, 16],
        "environment": ["staging", "production"],
        "exclude": [
            {"os": "macos-latest", "version": 12, "environment": "production"},
            {"os": "windows-latest", "version": 16},
        ],
    }
    combinations = expand_matrix(matrix)
    assert len(combinations) == 12 - 1 - 2
    assert {"os": "windows-latest", "version": 16, "environment": "staging"} not in combinations
    assert {"os": "macos-latest", "version": 12, "environment": "staging"} in combinations


def test_exclude_happens_before_include_so_include_can_add_back():
    matrix = {"os": ["linux", "windows"], "node": [16, 18],
              "exclude": [{"os": "windows"}],
              "include": [{"os": "windows", "node": 20}]}
    assert expand_matrix(matrix) == [
        {"os": "linux", "node": 16}, {"os": "linux", "node": 18}, {"os": "windows", "node": 20}]


def test_include_never_overwrites_an_original_value():
    matrix = {"os": ["linux"], "include": [{"os": "mac", "extra": 1}]}
    assert expand_matrix(matrix) == [{"os": "linux"}, {"os": "mac", "extra": 1}]


def test_include_only_matrices_make_one_job_per_entry():
    assert expand_matrix({"include": [{"site": "a", "dc": 1}, {"site": "b", "dc": 2}]}) == [
        {"site": "a", "dc": 1}, {"site": "b", "dc": 2}]


def test_values_compare_as_json_so_true_is_not_one():
    matrix = {"flag": [True, 1], "include": [{"flag": 1, "note": "one"}]}
    assert expand_matrix(matrix) == [{"flag": True}, {"flag": 1, "note": "one"}]


def test_object_values_and_nested_partial_excludes():
    matrix = {"py": [{"version": "3.11", "arch": "x64"}, {"version": "3.12", "arch": "x64"}],
              "exclude": [{"py": {"version": "3.11"}}]}
    assert expand_matrix(matrix) == [{"py": {"version": "3.12", "arch": "x64"}}]


@pytest.mark.parametrize("matrix, message", [
    ({"os": []}, "matrix variable 'os' needs a non-empty list"),
    ({"os": "linux"}, "matrix variable 'os' needs a non-empty list"),
    ({"os": ["a"], "exclude": [{"arch": "x"}]}, "matrix exclude key 'arch' is not a matrix variable"),
    ({"os": ["a"], "exclude": [{"os": "a"}]}, "every combination is excluded"),
    ({"os": ["a"], "include": "x"}, "matrix include must be a list of mappings"),
    ({"a": list(range(20)), "b": list(range(13))}, "the matrix produces 260 jobs; at most 256"),
    ("nope", "must be a mapping"),
])
def test_bad_matrices_are_refused_with_a_reason(matrix, message):
    with pytest.raises(MatrixError, match=message):
        expand_matrix(matrix)


def test_exactly_256_combinations_are_allowed():
    assert len(expand_matrix({"a": list(range(16)), "b": list(range(16))})) == 256
