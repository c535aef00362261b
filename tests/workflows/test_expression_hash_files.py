"""hashFiles(): SHA-256 over the workspace files matched by glob patterns."""

import hashlib
import os

import pytest

from plue_workflows.expressions import EvaluationContext, ExpressionError, evaluate_expression
from plue_workflows.expressions.hash_files import hash_files


def expected_hash(workspace, *relative_paths):
    total = hashlib.sha256()
    for path in sorted(relative_paths):
        total.update(hashlib.sha256((workspace / path).read_bytes()).digest())
    return total.hexdigest()


@pytest.fixture
def workspace(tmp_path):
    files = {
        "package-lock.json": "{}",
        "app/package-lock.json": '{"app": 1}',
        "app/src/main.py": "print(1)",
        "app/src/.hidden.py": "x = 1",
        "docs/readme.md": "# docs",
        "vendor/lib/package-lock.json": "{}",
    }
    for path, content in files.items():
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_text(content)
    return tmp_path


def test_double_star_matches_at_any_depth(workspace):
    assert hash_files(str(workspace), ["**/package-lock.json"]) == expected_hash(
        workspace, "package-lock.json", "app/package-lock.json", "vendor/lib/package-lock.json")


def test_single_star_stays_in_one_segment_and_matches_dot_files(workspace):
    assert hash_files(str(workspace), ["app/src/*.py"]) == expected_hash(
        workspace, "app/src/main.py", "app/src/.hidden.py")
    assert hash_files(str(workspace), ["app/*.py"]) == ""


def test_negated_patterns_exclude_what_earlier_patterns_matched(workspace):
    assert hash_files(str(workspace), ["**/package-lock.json", "!vendor/**"]) == expected_hash(
        workspace, "package-lock.json", "app/package-lock.json")


def test_a_matched_directory_brings_its_whole_tree(workspace):
    assert hash_files(str(workspace), ["app"]) == expected_hash(
        workspace, "app/package-lock.json", "app/src/main.py", "app/src/.hidden.py")


def test_several_arguments_and_multi_line_patterns_are_combined(workspace):
    one = hash_files(str(workspace), ["docs/*.md", "package-lock.json"])
    other = hash_files(str(workspace), ["# comment\ndocs/*.md\n\npackage-lock.json"])
    assert one == other == expected_hash(workspace, "docs/readme.md", "package-lock.json")


def test_no_match_gives_an_empty_string(workspace):
    assert hash_files(str(workspace), ["**/*.rs"]) == ""


def test_paths_outside_the_workspace_never_count(workspace, tmp_path_factory):
    outside = tmp_path_factory.mktemp("outside")
    (outside / "secret.txt").write_text("s")
    os.symlink(outside / "secret.txt", workspace / "link.txt")
    assert hash_files(str(workspace), ["../**", "/etc/passwd"]) == ""
    assert hash_files(str(workspace), ["link.txt"]) == ""


def test_character_classes_and_question_marks(workspace):
    assert hash_files(str(workspace), ["doc?/[qr]eadme.md"]) == expected_hash(
        workspace, "docs/readme.md")


def test_the_hash_changes_when_a_file_changes(workspace):
    before = hash_files(str(workspace), ["**/*.py"])
    (workspace / "app/src/main.py").write_text("print(2)")
    assert hash_files(str(workspace), ["**/*.py"]) != before


def test_the_expression_function_uses_the_context_workspace(workspace):
    context = EvaluationContext(workspace=str(workspace))
    assert evaluate_expression("hashFiles('**/package-lock.json', '!vendor/**')", context) == \
        expected_hash(workspace, "package-lock.json", "app/package-lock.json")
    assert evaluate_expression("format('deps-{0}', hashFiles('nothing'))", context) == "deps-"


def test_hash_files_without_a_workspace_is_an_error():
    with pytest.raises(ExpressionError, match="hashFiles is only available"):
        evaluate_expression("hashFiles('**')", EvaluationContext())
