"""Branch and tag names: Plue's check is git's check. Each name of the table goes through
``ref_names.problem`` and through the real ``git check-ref-format --branch``; they must agree."""

from __future__ import annotations

import subprocess

import pytest

from plue_git_hosting.ref_names import problem, validate_ref_name
from plue_core.errors import Invalid

NAMES = [
    "main", "feature/x", "release-1.0", "a@b", "@", "@@", "x/@", "a{", "é", "名前", "emoji😀",
    "v1.0.0", "a.b/c.d", "x.lockx", "lock", "a_b", "a+b", "a,b", "a=b", "a#b", "a!b",
    ".hidden", "a/.b", "a..b", "a/..", "..", ".", "x.lock", "a.lock/b", "a/b.lock", "foo.",
    "a/b.", "a/", "/a", "a//b", "a b", "a\tb", "a\nb", "a\x7fb", "a\x01b", "a~b", "a^b",
    "a:b", "a?b", "a*b", "a[b", "a\\b", "a@{b", "@{", "a/@{b", "-x", "-", "HEAD", "a/HEAD",
    "x-", "a.-b", ".lock", "a/.lock", "refs/heads/x", "a]b", "a}b", "a'b", 'a"b', "a<b", "a>b",
]


def git_accepts(name: str) -> bool:
    result = subprocess.run(["git", "check-ref-format", "--branch", name], capture_output=True)
    return result.returncode == 0


@pytest.mark.parametrize("name", NAMES)
def test_plue_and_git_agree_on_each_name(name):
    assert (problem(name) is None) == git_accepts(name), (name, problem(name))


def test_the_table_holds_names_of_both_kinds():
    verdicts = {problem(name) is None for name in NAMES}
    assert verdicts == {True, False}


@pytest.mark.parametrize("name, rule", [
    (".hidden", "begin with '.'"), ("a..b", "'..'"), ("x.lock", "'.lock'"), ("a b", "space"),
    ("-x", "'-'"), ("a@{b", "'@{'"), ("a//b", "'//'"), ("foo.", "end with '.'"), ("", "empty"),
    ("x" * 256, "255"),
])
def test_a_refused_name_is_a_422_naming_the_rule(name, rule):
    with pytest.raises(Invalid) as caught:
        validate_ref_name(name, "tag name")
    assert rule in caught.value.message and "tag name" in caught.value.message
