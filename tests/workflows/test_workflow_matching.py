"""Which events start which workflows: push/pull_request filters and [skip ci]."""

import textwrap

import pytest

from plue_workflows import (
    TriggeringEvent,
    parse_workflow,
    skip_ci_requested,
    workflow_matches,
)

JOBS = "jobs:\n  a:\n    runs-on: x\n    steps: [{run: x}]\n"


def workflow(on):
    return parse_workflow(textwrap.dedent(on).strip() + "\n" + JOBS, "ci.yml")


def push(ref="refs/heads/main", files=None, message="change", **extra):
    return TriggeringEvent("push", ref=ref, changed_files=files, commit_message=message, **extra)


def pull_request(action="opened", base="main", files=None, title="PR", message=""):
    return TriggeringEvent("pull_request", ref="refs/pull/1/head", action=action, base_ref=base,
                           changed_files=files, title=title, commit_message=message)


def test_an_unfiltered_push_trigger_runs_for_branches_and_tags():
    w = workflow("on: push")
    assert workflow_matches(w, push("refs/heads/anything"))
    assert workflow_matches(w, push("refs/tags/v1.0"))


def test_other_events_do_not_start_a_push_workflow():
    assert not workflow_matches(workflow("on: push"), pull_request())
    assert not workflow_matches(workflow("on: pull_request"), push())


def test_branch_filters_apply_to_branch_pushes_and_exclude_tags():
    w = workflow("on:\n  push:\n    branches: [main, 'releases/**']")
    assert workflow_matches(w, push("refs/heads/main"))
    assert workflow_matches(w, push("refs/heads/releases/v1/hotfix"))
    assert not workflow_matches(w, push("refs/heads/feature"))
    assert not workflow_matches(w, push("refs/tags/v1"))  # only branches were asked for


def test_branches_ignore():
    w = workflow("on:\n  push:\n    branches-ignore: ['mona/octocat', 'releases/**-alpha']")
    assert workflow_matches(w, push("refs/heads/main"))
    assert not workflow_matches(w, push("refs/heads/mona/octocat"))
    assert not workflow_matches(w, push("refs/heads/releases/beta/3-alpha"))


def test_tag_filters_apply_to_tag_pushes_and_exclude_branches():
    w = workflow("on:\n  push:\n    tags: ['v2', 'v1.*']")
    assert workflow_matches(w, push("refs/tags/v2"))
    assert workflow_matches(w, push("refs/tags/v1.9.1"))
    assert not workflow_matches(w, push("refs/tags/v3"))
    assert not workflow_matches(w, push("refs/heads/main"))


def test_tags_ignore_and_branches_together():
    w = workflow("on:\n  push:\n    branches: [main]\n    tags-ignore: ['*-rc*']")
    assert workflow_matches(w, push("refs/heads/main"))
    assert workflow_matches(w, push("refs/tags/v1"))
    assert not workflow_matches(w, push("refs/tags/v1-rc1"))


def test_paths_need_one_matching_changed_file():
    w = workflow("on:\n  push:\n    paths: ['**.js', '!docs/**']")
    assert workflow_matches(w, push(files=("src/app.js", "README.md")))
    assert not workflow_matches(w, push(files=("README.md",)))
    assert not workflow_matches(w, push(files=("docs/example.js",)))
    assert not workflow_matches(w, push(files=()))


def test_paths_ignore_skips_only_when_every_changed_file_is_ignored():
    w = workflow("on:\n  push:\n    paths-ignore: ['docs/**']")
    assert not workflow_matches(w, push(files=("docs/a.md", "docs/b/c.md")))
    assert workflow_matches(w, push(files=("docs/a.md", "src/main.c")))


def test_unknown_changed_files_never_hold_a_workflow_back():
    w = workflow("on:\n  push:\n    paths: ['src/**']")
    assert workflow_matches(w, push(files=None))


def test_paths_are_not_evaluated_for_tag_pushes():
    w = workflow("on:\n  push:\n    paths: ['src/**']")
    assert workflow_matches(w, push("refs/tags/v1", files=("docs/a.md",)))


def test_branches_and_paths_must_both_match():
    w = workflow("on:\n  push:\n    branches: [main]\n    paths: ['src/**']")
    assert workflow_matches(w, push("refs/heads/main", files=("src/a",)))
    assert not workflow_matches(w, push("refs/heads/dev", files=("src/a",)))
    assert not workflow_matches(w, push("refs/heads/main", files=("docs/a",)))


def test_a_deleted_branch_starts_no_push_workflow():
    assert not workflow_matches(workflow("on: push"), push(deleted=True))


@pytest.mark.parametrize("action, expected", [
    ("opened", True), ("synchronize", True), ("reopened", True), ("synchronized", True),
    ("closed", False), ("labeled", False), ("edited", False),
])
def test_pull_request_default_types(action, expected):
    assert workflow_matches(workflow("on: pull_request"), pull_request(action)) is expected


def test_pull_request_types_and_base_branch_filters():
    w = workflow("on:\n  pull_request:\n    types: [closed]\n    branches: ['releases/**']")
    assert workflow_matches(w, pull_request("closed", base="releases/1"))
    assert workflow_matches(w, pull_request("closed", base="refs/heads/releases/1"))
    assert not workflow_matches(w, pull_request("closed", base="main"))
    assert not workflow_matches(w, pull_request("opened", base="releases/1"))


def test_pull_request_paths_and_branches_ignore():
    w = workflow("on:\n  pull_request_target:\n    branches-ignore: [wip]\n    paths: ['app/**']")
    event = TriggeringEvent("pull_request_target", action="opened", base_ref="main",
                            changed_files=("app/x",))
    assert workflow_matches(w, event)
    wip = TriggeringEvent("pull_request_target", action="opened", base_ref="wip",
                          changed_files=("app/x",))
    assert not workflow_matches(w, wip)


@pytest.mark.parametrize("marker", ["[skip ci]", "[ci skip]", "[no ci]", "[skip actions]",
                                    "[actions skip]"])
def test_skip_markers_in_the_head_commit_message_skip_push_and_pull_request(marker):
    both = workflow("on: [push, pull_request]")
    assert not workflow_matches(both, push(message=f"docs: typo {marker}"))
    assert not workflow_matches(both, pull_request(message=f"wip\n\n{marker}"))
    assert not workflow_matches(both, pull_request(title=f"{marker} Draft"))


def test_skip_markers_do_not_apply_to_other_events():
    event = TriggeringEvent("workflow_dispatch", ref="refs/heads/main", commit_message="[skip ci]")
    assert not skip_ci_requested(event)
    assert workflow_matches(workflow("on: workflow_dispatch"), event)


def test_a_similar_but_different_marker_does_not_skip():
    assert workflow_matches(workflow("on: push"), push(message="[skip-ci] [ci-skip]"))


def test_other_events_filter_on_their_activity_types():
    w = workflow("on:\n  issues:\n    types: [opened, labeled]")
    assert workflow_matches(w, TriggeringEvent("issues", action="labeled"))
    assert not workflow_matches(w, TriggeringEvent("issues", action="closed"))
    assert workflow_matches(workflow("on: release"), TriggeringEvent("release", action="published"))
