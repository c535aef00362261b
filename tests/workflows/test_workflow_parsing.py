"""Reading workflow files: YAML quirks, the forms of `on:`, and precise error messages."""

import textwrap

import pytest

from plue_workflows import WorkflowError, parse_workflow

MINIMAL_JOBS = """
jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - run: echo hi
"""


def workflow(text, name="ci.yml"):
    return parse_workflow(textwrap.dedent(text), name)


def problems_of(text, name="ci.yml"):
    with pytest.raises(WorkflowError) as caught:
        workflow(text, name)
    return caught.value


def test_the_on_key_is_not_turned_into_true_by_yaml_1_1():
    parsed = workflow("on: push" + MINIMAL_JOBS)
    assert list(parsed.triggers) == ["push"]
    assert parsed.raw["on"] == "push"


def test_yes_no_and_dates_stay_strings_as_in_yaml_1_2():
    parsed = workflow(
        "on: push\nenv:\n  ANSWER: yes\n  DAY: 2024-01-01\n  FLAG: true\n  VERSION: 3.10\n"
        + MINIMAL_JOBS)
    assert parsed.env == {"ANSWER": "yes", "DAY": "2024-01-01", "FLAG": "true", "VERSION": "3.1"}


@pytest.mark.parametrize("on, events", [
    ("push", ["push"]),
    ("[push, pull_request]", ["push", "pull_request"]),
    ("{push: {branches: [main]}, workflow_dispatch: }", ["push", "workflow_dispatch"]),
])
def test_on_accepts_a_string_a_list_or_a_mapping(on, events):
    assert list(workflow(f"on: {on}" + MINIMAL_JOBS).triggers) == events


def test_pull_request_types_default_to_opened_synchronize_reopened():
    parsed = workflow("on: [pull_request, pull_request_target]" + MINIMAL_JOBS)
    assert parsed.triggers["pull_request"].types == ("opened", "synchronize", "reopened")
    assert parsed.triggers["pull_request_target"].types == ("opened", "synchronize", "reopened")
    parsed = workflow("on: {pull_request: {types: closed}}" + MINIMAL_JOBS)
    assert parsed.triggers["pull_request"].types == ("closed",)


def test_the_name_defaults_to_the_file_name():
    assert workflow("on: push" + MINIMAL_JOBS, "build.yaml").name == "build.yaml"
    assert workflow("name: Build\non: push" + MINIMAL_JOBS).name == "Build"


def test_jobs_and_steps_are_read_in_order_with_their_settings():
    parsed = workflow("""
        on: push
        jobs:
          lint:
            runs-on: ubuntu-latest
            steps:
              - uses: actions/checkout@v4
          test:
            name: Unit tests
            needs: lint
            runs-on: [self-hosted, linux]
            timeout-minutes: 30
            continue-on-error: ${{ github.ref != 'refs/heads/main' }}
            env: {CI: true}
            defaults:
              run: {shell: bash, working-directory: app}
            outputs:
              version: ${{ steps.v.outputs.version }}
            steps:
              - id: v
                name: Version
                run: |
                  echo "version=1" >> "$GITHUB_OUTPUT"
                shell: sh
                working-directory: sub
                env: {A: 1}
                timeout-minutes: 5
                continue-on-error: true
              - uses: ./.github/actions/local
                with: {who: world, count: 3}
              - uses: docker://alpine:3
        """)
    assert list(parsed.jobs) == ["lint", "test"]
    test = parsed.jobs["test"]
    assert test.name == "Unit tests"
    assert test.needs == ("lint",)
    assert test.runs_on == ["self-hosted", "linux"]
    assert test.timeout_minutes == 30
    assert test.continue_on_error == "${{ github.ref != 'refs/heads/main' }}"
    assert test.env == {"CI": "true"}
    assert test.defaults_run == {"shell": "bash", "working-directory": "app"}
    assert test.outputs == {"version": "${{ steps.v.outputs.version }}"}
    first, second, third = test.steps
    assert (first.id, first.name, first.shell, first.working_directory) == ("v", "Version", "sh", "sub")
    assert first.env == {"A": "1"} and first.timeout_minutes == 5 and first.continue_on_error is True
    assert second.uses == "./.github/actions/local"
    assert second.with_inputs == {"who": "world", "count": 3}
    assert second.display_name == "Run ./.github/actions/local"
    assert third.uses == "docker://alpine:3"
    assert parsed.jobs["lint"].timeout_minutes == 360
    assert parsed.jobs["lint"].strategy.fail_fast is True


def test_a_step_display_name_uses_the_first_line_of_its_script():
    parsed = workflow("""
        on: push
        jobs:
          a:
            runs-on: x
            steps:
              - run: |
                  make build
                  make test
        """)
    assert parsed.jobs["a"].steps[0].display_name == "Run make build"


@pytest.mark.parametrize("text, expected", [
    ("jobs: {}", "ci.yml: on: is required"),
    ("on: push\njobs: {}", "ci.yml: jobs: expected a mapping with at least one job"),
    ("on: push\nname: [x]\n" + MINIMAL_JOBS, "ci.yml: name: expected a string"),
    ("on: pushh\n" + MINIMAL_JOBS, "ci.yml: on.pushh: unknown event 'pushh'"),
    ("on: {push: {branch: main}}\n" + MINIMAL_JOBS, "ci.yml: on.push.branch: unknown key"),
    ("on: {push: {branches: main, branches-ignore: dev}}\n" + MINIMAL_JOBS,
     "ci.yml: on.push: use either branches or branches-ignore, not both"),
    ("on: {push: {branches: ['[]']}}\n" + MINIMAL_JOBS, "ci.yml: on.push.branches: invalid pattern"),
    ("on: {pull_request: {types: [opend]}}\n" + MINIMAL_JOBS,
     "ci.yml: on.pull_request.types: unknown pull request activity type 'opend'"),
    ("on: {schedule: [{cron: '61 * * * *'}]}\n" + MINIMAL_JOBS,
     "ci.yml: on.schedule[0].cron: invalid cron '61 * * * *': minute 61 is outside 0-59"),
    ("on: {schedule: '0 0 * * *'}\n" + MINIMAL_JOBS, "ci.yml: on.schedule: expected a list"),
    ("on: push\nfoo: 1\n" + MINIMAL_JOBS, "ci.yml: foo: unknown key"),
    ("- a\n- b", "ci.yml: a workflow must be a YAML mapping"),
    ("on: push\njobs:\n  bad id:\n    runs-on: x", "ci.yml: jobs.bad id: a job id must start"),
    ("on: push\njobs:\n  a:\n    steps: [{run: x}]", "ci.yml: jobs.a: runs-on is required"),
    ("on: push\njobs:\n  a:\n    runs-on: x", "ci.yml: jobs.a.steps: expected a non-empty list"),
    ("on: push\njobs:\n  a:\n    runs-on: x\n    steps: [{name: nothing}]",
     "ci.yml: jobs.a.steps[0]: a step needs exactly one of run or uses"),
    ("on: push\njobs:\n  a:\n    runs-on: x\n    steps: [{uses: checkout}]",
     "ci.yml: jobs.a.steps[0].uses: expected owner/repo@ref"),
    ("on: push\njobs:\n  a:\n    runs-on: x\n    steps: [{run: x, bogus: 1}]",
     "ci.yml: jobs.a.steps[0].bogus: unknown key"),
    ("on: push\njobs:\n  a:\n    runs-on: x\n    steps: [{run: x, id: s}, {run: y, id: s}]",
     "ci.yml: jobs.a.steps[1].id: duplicate step id 's'"),
    ("on: push\njobs:\n  a:\n    runs-on: x\n    timeout-minutes: 0\n    steps: [{run: x}]",
     "ci.yml: jobs.a.timeout-minutes: must be greater than zero"),
    ("on: push\njobs:\n  a:\n    runs-on: x\n    strategy: {matrix: {os: []}}\n    steps: [{run: x}]",
     "ci.yml: jobs.a.strategy.matrix.os: a matrix variable needs a non-empty list"),
    ("on: push\njobs:\n  a:\n    runs-on: x\n    steps: [{run: 'echo ${{ github.ref }'}]",
     "ci.yml: jobs.a.steps[0].run: The expression is not closed"),
    ("on: push\njobs:\n  a:\n    runs-on: x\n    if: secrets.TOKEN != ''\n    steps: [{run: x}]",
     "ci.yml: jobs.a.if: Unrecognized named-value: 'secrets'"),
    ("on: push\njobs:\n  a:\n    runs-on: x\n    needs: ghost\n    steps: [{run: x}]",
     "ci.yml: jobs.a.needs: needs unknown job 'ghost'"),
    ("on: push\njobs:\n  a:\n    runs-on: x\n    needs: a\n    steps: [{run: x}]",
     "ci.yml: jobs.a.needs: a job cannot need itself"),
])
def test_invalid_workflows_are_refused_with_file_location_and_reason(text, expected):
    assert expected in str(problems_of(text))


def test_a_needs_cycle_is_named_in_order():
    error = problems_of("""
        on: push
        jobs:
          a: {runs-on: x, needs: c, steps: [{run: x}]}
          b: {runs-on: x, needs: a, steps: [{run: x}]}
          c: {runs-on: x, needs: b, steps: [{run: x}]}
        """)
    assert "ci.yml: jobs.a.needs: jobs form a cycle: a -> c -> b -> a" in str(error)


def test_every_problem_is_reported_at_once():
    error = problems_of("""
        on: pushh
        jobs:
          a:
            steps: [{run: x}]
          b:
            runs-on: x
            steps: [{uses: nope}]
        """)
    locations = [location for location, _ in error.problems]
    assert locations == ["on.pushh", "jobs.a", "jobs.b.steps[0].uses"]
    assert error.status == 422


def test_invalid_yaml_names_the_line_and_column():
    error = problems_of("on: push\njobs:\n  a: [1\n")
    assert str(error).startswith("ci.yml: line ")
    assert "invalid YAML" in str(error)


def test_duplicate_keys_are_refused():
    error = problems_of("on: push\non: pull_request\n" + MINIMAL_JOBS)
    assert "found duplicate key 'on'" in str(error)
    assert "line 2, column 1" in str(error)


def test_anchors_and_merge_keys_work_and_may_override():
    parsed = workflow("""
        on: push
        jobs:
          a: &base
            runs-on: x
            env: {A: "1"}
            steps: [{run: x}]
          b:
            <<: *base
            env: {A: "2"}
        """)
    assert parsed.jobs["b"].env == {"A": "2"}
    assert parsed.jobs["b"].runs_on == "x"


def test_a_reusable_workflow_job_needs_no_runs_on_or_steps():
    parsed = workflow("""
        on: push
        jobs:
          call:
            uses: owner/repo/.github/workflows/build.yml@main
            with: {level: 1}
        """)
    assert parsed.jobs["call"].uses == "owner/repo/.github/workflows/build.yml@main"
    assert parsed.jobs["call"].steps == ()
