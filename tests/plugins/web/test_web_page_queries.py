"""Issue 15's "query count per page is bounded": the pages the other files did not yet hold
to a count that stays the same with more rows — a commit's diff (more files changed), a
run (more jobs), the workflow dispatch form (more workflows and runs) — and what the
dispatch form no longer redoes per visit: git read once, a workflow's inputs parsed once per
blob (a changed workflow is a new blob: never a stale form)."""

from __future__ import annotations

from plue_actions import dispatching
from plue_actions import service as actions_service
from plue_core.bounded_cache import BoundedCache
from plue_core.testing import recorded_statements
from plue_actions.testing import actions_forge  # noqa: F401  (a pytest fixture)
from tests.plugins.web.test_actions_controls_pages import DISPATCH, THREE_JOBS, signed_in

SIX_JOBS = THREE_JOBS + "".join(f"""  more{n}:
    needs: [build, lint]
    runs-on: ubuntu-latest
    steps:
      - run: echo {n}
""" for n in range(3))


def _cost(ctx, browser, path: str) -> list[str]:
    browser.get(path)  # warm: what is cached per process is not the point here
    with recorded_statements(ctx.db) as statements:
        assert browser.get(path).status_code == 200, path
    return statements


def test_a_commits_page_costs_the_same_with_more_files_changed(site):
    browser = site.browser("alice")
    head = site.get("/repos/alice/code/branches/main").json["commit"]["id"]
    few = _cost(site.ctx, browser, f"/alice/code/commit/{head}")
    site.add_files("alice/code", {f"src/many_{n}.py": f"n = {n}\n".encode() for n in range(12)},
                   message="Many files")
    head = site.get("/repos/alice/code/branches/main").json["commit"]["id"]
    page = browser.get(f"/alice/code/commit/{head}").text
    assert "src/many_11.py" in page
    many = _cost(site.ctx, browser, f"/alice/code/commit/{head}")
    # The session and the repository (and the header's unread notifications); the diff is
    # git's.
    assert len(many) == len(few) <= 3, many


def test_a_run_page_costs_the_same_with_more_jobs(actions_forge):  # noqa: F811
    forge = actions_forge
    forge.push_file(".gitea/workflows/ci.yml", THREE_JOBS, message="Add CI")
    forge.push_file(".gitea/workflows/ci.yml", SIX_JOBS, message="More jobs")
    browser = signed_in(forge)
    three = _cost(forge.ctx, browser, "/alice/demo/actions/runs/1")
    page = browser.get("/alice/demo/actions/runs/2").text
    assert "more2" in page and "more2" not in browser.get("/alice/demo/actions/runs/1").text
    six = _cost(forge.ctx, browser, "/alice/demo/actions/runs/2")
    # The session, the repository, the run, its jobs, their steps, its artifacts; the
    # header's unread notifications.
    assert len(six) == len(three) <= 7, six


def test_the_dispatch_form_costs_the_same_with_more_workflows_and_runs(actions_forge):  # noqa: F811
    forge = actions_forge
    forge.push_file(".gitea/workflows/deploy.yml", DISPATCH, message="Add deploy")
    browser = signed_in(forge)
    form = "/alice/demo/actions/run?workflow=deploy.yml"
    few = _cost(forge.ctx, browser, form)
    for n in range(3):
        forge.push_file(f".gitea/workflows/other{n}.yml", DISPATCH, message=f"Other {n}")
        assert forge.api("POST", "/repos/alice/demo/actions/workflows/deploy.yml/dispatches",
                         {"ref": "main", "inputs": {"target": "x"}}).status_code == 204
    assert '<option value="other2.yml">' in browser.get(form).text
    many = _cost(forge.ctx, browser, form)
    # The session and the repository (and the header's unread notifications): the workflow
    # is read from git.
    assert len(many) == len(few) <= 3, many


def test_the_dispatch_form_reads_git_once_and_parses_a_workflow_once_per_blob(
        actions_forge, monkeypatch):  # noqa: F811
    forge = actions_forge
    forge.push_file(".gitea/workflows/deploy.yml", DISPATCH, message="Add deploy")
    reads, parses = [], []
    monkeypatch.setattr(dispatching, "_DECLARED_INPUTS", BoundedCache(256))
    files_at, parse = actions_service.files_at, dispatching.parse_workflow
    monkeypatch.setattr(actions_service, "files_at",
                        lambda *args, **kwargs: reads.append(args) or files_at(*args, **kwargs))
    monkeypatch.setattr(dispatching, "parse_workflow",
                        lambda *args, **kwargs: parses.append(args) or parse(*args, **kwargs))
    browser = signed_in(forge)
    form = "/alice/demo/actions/run?workflow=deploy.yml"
    first = browser.get(form).text
    assert "Where to deploy" in first
    assert browser.get(form).text == first
    assert len(reads) == 2  # once per page: the list and the inputs share one read
    assert len(parses) == 1
    # A changed workflow is a new blob: its inputs are read afresh.
    forge.push_file(".gitea/workflows/deploy.yml",
                    DISPATCH.replace("Where to deploy", "Which region"), message="Reword")
    changed = browser.get(form).text
    assert "Which region" in changed and "Where to deploy" not in changed
    assert len(parses) == 2 and len(reads) == 3
