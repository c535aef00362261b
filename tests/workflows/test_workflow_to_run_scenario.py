"""The pieces together: a push finds, matches, plans and runs a workflow to completion."""

from plue_workflows import (
    TriggeringEvent,
    discover_workflow_files,
    parse_workflow,
    workflow_matches,
)
from plue_workflows.expressions import EvaluationContext, evaluate_condition, interpolate
from plue_workflows.planning import JobRow, plan_workflow, resolve_blocked_jobs
from plue_workflows.statuses import Status, aggregate_job_statuses, rest_status

CI = """
name: CI
on:
  push:
    branches: [main]
    paths-ignore: ['docs/**']
jobs:
  build:
    runs-on: ${{ matrix.os }}
    strategy:
      matrix:
        os: [linux, docker]
    outputs:
      version: ${{ steps.v.outputs.version }}
    steps:
      - id: v
        run: echo "version=1.${{ github.run_number }}" >> "$GITHUB_OUTPUT"
      - run: echo "${{ secrets.TOKEN }}"
  publish:
    needs: build
    runs-on: linux
    if: github.ref == 'refs/heads/main'
    steps:
      - run: echo publishing ${{ needs.build.outputs.version }}
      - if: failure()
        run: echo never
"""
DOCS = "on: {push: {paths: ['docs/**']}}\njobs:\n  d: {runs-on: x, steps: [{run: x}]}\n"


def test_a_push_to_main_runs_ci_through_to_success():
    tree = {".github/workflows": ["ci.yml", "docs.yaml"]}
    files = {".github/workflows/ci.yml": CI, ".github/workflows/docs.yaml": DOCS}
    event = TriggeringEvent("push", ref="refs/heads/main", changed_files=("src/app.py",),
                            commit_message="feat: faster")
    workflows = [parse_workflow(files[path], path.rsplit("/", 1)[-1])
                 for path in discover_workflow_files(tree.get)]
    triggered = [w for w in workflows if workflow_matches(w, event)]
    assert [w.name for w in triggered] == ["CI"]

    github = {"ref": event.ref, "event_name": "push", "run_number": 7}
    jobs = plan_workflow(triggered[0], EvaluationContext(contexts={"github": github}))
    assert [(job.name, job.runs_on, job.initial_status) for job in jobs] == [
        ("build (linux)", ("linux",), Status.WAITING),
        ("build (docker)", ("docker",), Status.WAITING),
        ("publish", ("linux",), Status.BLOCKED)]

    rows = [JobRow(index, job.job_id, job.needs, job.initial_status, job.if_condition)
            for index, job in enumerate(jobs)]
    assert resolve_blocked_jobs(rows, {"github": github}) == []  # build still queued
    assert rest_status(aggregate_job_statuses(row.status for row in rows)) == ("queued", None)

    # The runner reports both build rows; the step output feeds the job output.
    step_context = EvaluationContext(contexts={
        "github": github, "steps": {"v": {"outputs": {"version": "1.7"}, "outcome": "success"}}})
    for row in rows[:2]:
        row.status = Status.SUCCESS
        row.outputs = {"version": interpolate(jobs[0].outputs["version"], step_context)}
    [decision] = resolve_blocked_jobs(rows, {"github": github})
    assert (decision.key, decision.status) == (2, Status.WAITING)
    assert decision.needs["build"] == {"result": "success", "outputs": {"version": "1.7"}}

    publish_context = EvaluationContext(contexts={"github": github, "needs": decision.needs})
    first, second = jobs[2].steps
    assert interpolate(first.run, publish_context) == "echo publishing 1.7"
    assert evaluate_condition(second.if_condition, publish_context) is False

    rows[2].status = Status.RUNNING
    assert rest_status(aggregate_job_statuses(row.status for row in rows)) == ("in_progress", None)
    rows[2].status = Status.SUCCESS
    assert rest_status(aggregate_job_statuses(row.status for row in rows)) == (
        "completed", "success")


def test_a_docs_only_push_runs_only_the_docs_workflow_and_skip_ci_runs_nothing():
    ci, docs = parse_workflow(CI, "ci.yml"), parse_workflow(DOCS, "docs.yaml")
    docs_push = TriggeringEvent("push", ref="refs/heads/main", changed_files=("docs/a.md",))
    assert [workflow_matches(w, docs_push) for w in (ci, docs)] == [False, True]
    skipped = TriggeringEvent("push", ref="refs/heads/main", changed_files=("docs/a.md", "x.c"),
                              commit_message="wip [skip ci]")
    assert [workflow_matches(w, skipped) for w in (ci, docs)] == [False, False]
