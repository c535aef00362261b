"""GitHub's filter pattern cheat sheet, as branch, tag and path filters use it."""

import pytest

from plue_workflows import PatternError, PatternList


def selects(patterns, name):
    return PatternList.compile(patterns).selects(name)


@pytest.mark.parametrize("pattern, name, expected", [
    ("feature/*", "feature/my-branch", True),
    ("feature/*", "feature/your/branch", False),
    ("feature/**", "feature/your/branch", True),
    ("feature/**", "feature/", True),
    ("main", "main", True),
    ("main", "main2", False),
    ("v2*", "v2.0.1", True),
    ("v[12].[0-9]+.[0-9]+", "v1.10.1", True),
    ("v[12].[0-9]+.[0-9]+", "v3.0.0", False),
    ("v1.?", "v1.", True),   # ? makes the preceding character optional
    ("v1.?", "v1", True),
    ("v1+", "v111", True),   # + repeats the preceding character
    ("v1+", "v", False),
    ("*", "release", True),
    ("*", "release/1", False),
    ("**", "release/1", True),
    ("**.js", "app.js", True),
    ("**.js", "js/index.js", True),
    ("*.js", "js/index.js", False),
    ("docs/*", "docs/README.md", True),
    ("docs/*", "docs/file/README.md", False),
    ("docs/**", "docs/mona/octocat.txt", True),
    ("docs/**/*.md", "docs/a/b/c.md", True),
    ("docs/**/*.md", "docs/c.md", True),
    ("**/docs/**", "/docs/hello.md", True),
    ("**/docs/**", "dir/docs/my-file.txt", True),
    ("**/README.md", "README.md", True),
    ("**/README.md", "js/README.md", True),
    ("**/*src/**", "a/src/app.js", True),
    ("**/*src/**", "my-src/code/js/app.js", True),
    ("**/*-post.md", "my-post.md", True),
    ("**/*-post.md", "path/their-post.md", True),
    ("**/migrate-*.sql", "migrate-10909.sql", True),
    ("**/migrate-*.sql", "db/migrate-v1.0.sql", True),
    ("*.md", "README.md", True),
    ("*.md", "docs/README.md", False),
    (r"a\*b", "a*b", True),
    (r"a\*b", "axb", False),
    ("file.txt", "fileXtxt", False),  # dots are literal
])
def test_patterns_follow_the_cheat_sheet(pattern, name, expected):
    assert selects([pattern], name) is expected


def test_the_last_matching_pattern_decides():
    patterns = ["releases/**", "!releases/**-alpha"]
    assert selects(patterns, "releases/10") is True
    assert selects(patterns, "releases/beta/mona") is True
    assert selects(patterns, "releases/10-alpha") is False
    assert selects(patterns, "other") is False
    assert selects(["!releases/**-alpha", "releases/**"], "releases/10-alpha") is True


def test_negation_re_includes_and_excludes_paths():
    patterns = ["sub-project/**", "!sub-project/docs/**", "sub-project/docs/keep.md"]
    assert selects(patterns, "sub-project/src/a.c") is True
    assert selects(patterns, "sub-project/docs/a.md") is False
    assert selects(patterns, "sub-project/docs/keep.md") is True


def test_any_and_all_helpers():
    patterns = PatternList.compile(["docs/**"])
    assert patterns.selects_any(["src/a", "docs/b"]) is True
    assert patterns.selects_all(["src/a", "docs/b"]) is False
    assert patterns.selects_all(["docs/a", "docs/b"]) is True


@pytest.mark.parametrize("pattern, message", [
    ("[]", "empty brackets"),
    ("[a-", "missing ']'"),
    ("[z-a]", "bad range z-a"),
    ("[.]", "brackets may only hold"),
    ("abc\\", "nothing to escape"),
    ("!", "'!' needs a pattern"),
    ("", "expected a non-empty string"),
])
def test_malformed_patterns_are_refused_naming_the_pattern(pattern, message):
    with pytest.raises(PatternError) as caught:
        PatternList.compile([pattern])
    assert message in str(caught.value)
    assert repr(pattern) in str(caught.value)
