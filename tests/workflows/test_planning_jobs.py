"""Planning a run's jobs: matrix rows, names, labels, settings and runner payloads."""

import textwrap

import pytest
import yaml

from plue_workflows import WorkflowError, parse_workflow
from plue_workflows.expressions import EvaluationContext
from plue_workflows.planning import depends_on_needs, plan_job, plan_workflow, run_title
from plue_workflows.statuses import Status

GITHUB = {"ref": "refs/heads/main", "event_name": "push", "sha": "0" * 40}


def plan(text, **contexts):
    workflow = parse_workflow(textwrap.dedent(text), "ci.yml")
    contexts.setdefault("github", GITHUB)
    return plan_workflow(workflow, EvaluationContext(contexts=contexts))


def test_a_matrix_job_gets_one_row_per_combination_named_like_github():
    jobs = plan("""
        on: push
        jobs:
          build:
            runs-on: ubuntu-latest
            strategy:
              matrix:
                version: [1, 2]
                os: [linux]
            steps: [{run: make}]
        """)
    assert [job.name for job in jobs] == ["build (1, linux)", "build (2, linux)"]
    assert [job.matrix for job in jobs] == [{"version": 1, "os": "linux"},
                                            {"version": 2, "os": "linux"}]
    assert all(job.initial_status is Status.WAITING for job in jobs)


def test_a_custom_name_gets_the_matrix_suffix_unless_it_uses_an_expression():
    jobs = plan("""
        on: push
        jobs:
          plain:
            name: Test
            runs-on: x
            strategy: {matrix: {py: ['3.11']}}
            steps: [{run: x}]
          templated:
            name: Test on ${{ matrix.py }} for ${{ github.ref }}
            runs-on: x
            strategy: {matrix: {py: ['3.12']}}
            steps: [{run: x}]
        """)
    assert [job.name for job in jobs] == ["Test (3.11)", "Test on 3.12 for refs/heads/main"]


def test_runs_on_is_normalised_to_a_list_and_may_use_the_matrix():
    jobs = plan("""
        on: push
        jobs:
          one:
            runs-on: ubuntu-latest
            steps: [{run: x}]
          many:
            runs-on: [self-hosted, linux, '${{ matrix.arch }}']
            strategy: {matrix: {arch: [x64, arm64]}}
            steps: [{run: x}]
          grouped:
            runs-on: {group: large, labels: [gpu]}
            steps: [{run: x}]
          from_matrix:
            runs-on: ${{ matrix.labels }}
            strategy: {matrix: {labels: [[docker, big]]}}
            steps: [{run: x}]
        """)
    by_name = {job.name: job for job in jobs}
    assert by_name["one"].runs_on == ("ubuntu-latest",)
    assert by_name["many (x64)"].runs_on == ("self-hosted", "linux", "x64")
    assert by_name["many (arm64)"].runs_on == ("self-hosted", "linux", "arm64")
    assert by_name["grouped"].runs_on == ("gpu",) and by_name["grouped"].runner_group == "large"
    assert by_name['from_matrix (["docker","big"])'].runs_on == ("docker", "big")


def test_settings_are_evaluated_per_row():
    jobs = plan("""
        on: push
        defaults:
          run: {shell: bash}
        jobs:
          test:
            runs-on: x
            timeout-minutes: ${{ matrix.slow && 60 || 10 }}
            continue-on-error: ${{ matrix.experimental }}
            defaults:
              run: {working-directory: app}
            env: {MODE: ci}
            outputs: {out: '${{ steps.a.outputs.v }}'}
            strategy:
              fail-fast: false
              max-parallel: 2
              matrix:
                slow: [false]
                include: [{slow: true, experimental: true}]
            steps: [{run: x, id: a}]
        """)
    fast, slow = jobs
    assert (fast.timeout_minutes, fast.continue_on_error) == (10, False)
    assert (slow.timeout_minutes, slow.continue_on_error) == (60, True)
    assert fast.fail_fast is False and fast.max_parallel == 2
    assert fast.defaults_run == {"shell": "bash", "working-directory": "app"}
    assert fast.env == {"MODE": "ci"} and fast.outputs == {"out": "${{ steps.a.outputs.v }}"}
    assert fast.steps[0].id == "a"


def test_the_strategy_context_describes_the_row():
    jobs = plan("""
        on: push
        jobs:
          t:
            name: ${{ strategy.job-index }}/${{ strategy.job-total }} ${{ strategy.fail-fast }}
            runs-on: x
            strategy: {matrix: {n: [a, b, c]}}
            steps: [{run: x}]
        """)
    assert [job.name for job in jobs] == ["0/3 true", "1/3 true", "2/3 true"]


def test_a_matrix_from_inputs_and_fromjson():
    jobs = plan("""
        on: workflow_dispatch
        jobs:
          t:
            runs-on: x
            strategy:
              matrix: ${{ fromJSON(inputs.matrix) }}
            steps: [{run: x}]
        """, inputs={"matrix": '{"os": ["a", "b"], "include": [{"os": "a", "x": 1}]}'})
    assert [job.matrix for job in jobs] == [{"os": "a", "x": 1}, {"os": "b"}]


def test_jobs_are_ordered_so_needed_jobs_come_first_and_are_blocked():
    jobs = plan("""
        on: push
        jobs:
          deploy: {runs-on: x, needs: [test, build], steps: [{run: x}]}
          test: {runs-on: x, needs: build, steps: [{run: x}]}
          build: {runs-on: x, steps: [{run: x}]}
        """)
    assert [job.job_id for job in jobs] == ["build", "test", "deploy"]
    assert [job.initial_status for job in jobs] == [Status.WAITING, Status.BLOCKED, Status.BLOCKED]
    assert jobs[2].needs == ("test", "build")


def test_a_matrix_built_from_needs_outputs_waits_as_one_pending_row():
    text = """
        on: push
        jobs:
          setup:
            runs-on: x
            outputs: {matrix: '${{ steps.s.outputs.matrix }}'}
            steps: [{run: x, id: s}]
          build:
            needs: setup
            runs-on: x
            strategy:
              matrix: ${{ fromJSON(needs.setup.outputs.matrix) }}
            steps: [{run: x}]
        """
    setup, build = plan(text)
    assert not setup.matrix_pending
    assert build.matrix_pending and build.initial_status is Status.BLOCKED and build.runs_on == ()
    workflow = parse_workflow(textwrap.dedent(text), "ci.yml")
    assert depends_on_needs(workflow.jobs["build"])
    needs = {"setup": {"result": "success", "outputs": {"matrix": '{"v": [1, 2]}'}}}
    rows = plan_job(workflow, workflow.jobs["build"],
                    EvaluationContext(contexts={"github": GITHUB, "needs": needs}))
    assert [row.name for row in rows] == ["build (1)", "build (2)"]


def test_the_payload_is_a_single_job_workflow_pinned_to_the_row():
    jobs = plan("""
        name: CI
        on: push
        env: {GLOBAL: 1}
        jobs:
          lint: {runs-on: x, steps: [{run: lint}]}
          test:
            needs: lint
            if: success()
            runs-on: ${{ matrix.os }}
            strategy:
              fail-fast: false
              matrix: {os: [linux, mac]}
            steps: [{run: make test}]
        """)
    payload = yaml.safe_load(jobs[2].payload)
    assert payload["name"] == "CI"
    assert payload["on"] == "push"
    assert payload["env"] == {"GLOBAL": 1}
    job = payload["jobs"]["test"]
    assert list(payload["jobs"]) == ["test"]
    assert job["name"] == "test (mac)"
    assert job["runs-on"] == "mac"
    assert job["strategy"] == {"fail-fast": False, "matrix": {"os": ["mac"]}}
    assert "needs" not in job and "if" not in job
    assert job["steps"] == [{"run": "make test"}]


def test_planned_jobs_are_plain_records():
    job = plan("on: push\njobs:\n  a: {runs-on: x, steps: [{run: x, id: s}]}\n")[0]
    record = job.as_record()
    assert record["job_id"] == "a" and record["runs_on"] == ("x",)
    assert record["steps"][0]["id"] == "s" and record["steps"][0]["run"] == "x"


@pytest.mark.parametrize("job, message", [
    ("runs-on: ${{ matrix.none }}\n    strategy: {matrix: {a: [1]}}",
     "ci.yml: jobs.t.runs-on: no runner label left after evaluation"),
    ("runs-on: x\n    strategy: {matrix: '${{ fromJSON(''[1]'') }}'}",
     "ci.yml: jobs.t.strategy.matrix: the matrix must be a mapping"),
    ("runs-on: x\n    timeout-minutes: ${{ 'soon' }}",
     "ci.yml: jobs.t.timeout-minutes: expected a number above zero, got 'soon'"),
    ("runs-on: x\n    strategy: {max-parallel: '${{ 1.5 }}', matrix: {a: [1]}}",
     "ci.yml: jobs.t.strategy.max-parallel: expected a whole number above zero"),
    ("runs-on: ${{ fromJSON('{') }}",
     "ci.yml: jobs.t.runs-on: Error parsing fromJSON"),
    ("runs-on: x\n    strategy: {matrix: {a: [1], exclude: [{a: 1}]}}",
     "ci.yml: jobs.t.strategy.matrix: the matrix produces no job"),
])
def test_planning_problems_name_the_file_and_the_field(job, message):
    text = f"on: push\njobs:\n  t:\n    {job}\n    steps: [{{run: x}}]\n"
    with pytest.raises(WorkflowError) as caught:
        plan(text)
    assert message in str(caught.value)


@pytest.mark.parametrize("value", ["${{ 'NaN' }}", "${{ 'Infinity' }}", "${{ -5 }}", "${{ '' }}"])
def test_timeouts_must_be_finite_positive_numbers(value):
    text = f"on: push\njobs:\n  t:\n    runs-on: x\n    timeout-minutes: \"{value}\"\n" \
           "    steps: [{run: x}]\n"
    with pytest.raises(WorkflowError, match="ci.yml: jobs.t.timeout-minutes: expected a number"):
        plan(text)


def test_a_timeout_given_as_a_numeric_string_is_accepted():
    text = "on: push\njobs:\n  t:\n    runs-on: x\n    timeout-minutes: \"${{ '15' }}\"\n" \
           "    steps: [{run: x}]\n"
    assert plan(text)[0].timeout_minutes == 15


def test_a_job_with_a_condition_starts_blocked_until_the_condition_is_decided():
    jobs = plan("on: push\njobs:\n  a: {runs-on: x, if: github.ref == 'x', steps: [{run: x}]}\n")
    assert jobs[0].initial_status is Status.BLOCKED


def test_the_run_title_comes_from_run_name_or_the_fallback():
    named = parse_workflow("run-name: Deploy to ${{ inputs.target }} by ${{ github.actor }}\n"
                           "on: push\njobs:\n  a: {runs-on: x, steps: [{run: x}]}\n", "d.yml")
    context = EvaluationContext(contexts={"inputs": {"target": "prod"}, "github": {"actor": "mona"}})
    assert run_title(named, context, "fix typo") == "Deploy to prod by mona"
    plain = parse_workflow("on: push\njobs:\n  a: {runs-on: x, steps: [{run: x}]}\n", "d.yml")
    assert run_title(plain, context, "fix typo") == "fix typo"
