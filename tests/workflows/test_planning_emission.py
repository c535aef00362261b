"""Blocked jobs moving on as needed jobs finish, fail-fast and max-parallel."""

from plue_workflows.planning import (
    JobRow,
    may_start,
    resolve_blocked_jobs,
    rows_to_cancel_after_failure,
)
from plue_workflows.statuses import Status

S, F, C, K, W, R, B = (Status.SUCCESS, Status.FAILURE, Status.CANCELLED, Status.SKIPPED,
                       Status.WAITING, Status.RUNNING, Status.BLOCKED)


def decisions(rows, **kwargs):
    return {t.key: t.status for t in resolve_blocked_jobs(rows, **kwargs)}


def test_a_job_waits_until_every_needed_job_is_done():
    rows = [JobRow("b1", "build", status=S), JobRow("b2", "build", status=R),
            JobRow("d", "deploy", needs=("build",), status=B)]
    assert decisions(rows) == {}


def test_a_job_whose_needs_succeeded_becomes_waiting():
    rows = [JobRow("b", "build", status=S), JobRow("d", "deploy", needs=("build",), status=B)]
    assert decisions(rows) == {"d": W}
    assert rows[1].status is W


def test_a_failed_need_skips_dependents_by_default_and_the_skip_propagates():
    rows = [JobRow("b", "build", status=F),
            JobRow("t", "test", needs=("build",), status=B),
            JobRow("d", "deploy", needs=("test",), status=B)]
    assert decisions(rows) == {"t": K, "d": K}


def test_failure_and_always_run_after_a_failure_even_further_down():
    rows = [JobRow("b", "build", status=F),
            JobRow("t", "test", needs=("build",), status=B),
            JobRow("n", "notify", needs=("test",), status=B, if_condition="failure()"),
            JobRow("c", "cleanup", needs=("test",), status=B, if_condition="always()")]
    assert decisions(rows) == {"t": K, "n": W, "c": W}


def test_a_skipped_need_makes_success_false_but_not_failure():
    rows = [JobRow("a", "a", status=K),
            JobRow("b", "b", needs=("a",), status=B),
            JobRow("c", "c", needs=("a",), status=B, if_condition="failure()"),
            JobRow("d", "d", needs=("a",), status=B, if_condition="!cancelled()")]
    assert decisions(rows) == {"b": K, "c": K, "d": W}


def test_conditions_see_needs_results_and_outputs_and_other_contexts():
    rows = [JobRow("s", "setup", status=S, outputs={"deploy": "yes"}),
            JobRow("d", "deploy", needs=("setup",), status=B,
                   if_condition="needs.setup.outputs.deploy == 'yes' && "
                                "needs.setup.result == 'success' && github.ref == 'refs/heads/main'"),
            JobRow("x", "other", needs=("setup",), status=B,
                   if_condition="${{ vars.ENABLED == 'true' }}")]
    assert decisions(rows, contexts={"github": {"ref": "refs/heads/main"},
                                     "vars": {"ENABLED": "false"}}) == {"d": W, "x": K}


def test_a_matrix_need_fails_when_one_row_failed():
    rows = [JobRow("m1", "matrix", status=S), JobRow("m2", "matrix", status=F),
            JobRow("r", "report", needs=("matrix",), status=B,
                   if_condition="always() && needs.matrix.result == 'failure'")]
    assert decisions(rows) == {"r": W}


def test_continue_on_error_failures_count_as_success_for_dependents():
    rows = [JobRow("e", "experimental", status=F, continue_on_error=True),
            JobRow("n", "next", needs=("experimental",), status=B)]
    assert decisions(rows) == {"n": W}


def test_a_cancelled_run_skips_blocked_jobs_unless_they_ask_for_it():
    rows = [JobRow("b", "build", status=C),
            JobRow("t", "test", needs=("build",), status=B),
            JobRow("c", "cleanup", needs=("build",), status=B, if_condition="cancelled()")]
    assert decisions(rows, run_cancelled=True) == {"t": K, "c": W}


def test_an_invalid_condition_fails_the_job_with_the_reason():
    rows = [JobRow("b", "build", status=S),
            JobRow("d", "deploy", needs=("build",), status=B, if_condition="fromJSON('{')")]
    [transition] = resolve_blocked_jobs(rows)
    assert transition.status is F
    assert transition.reason.startswith("jobs.deploy.if: Error parsing fromJSON")


def test_fail_fast_cancels_the_other_unfinished_rows_of_the_same_job():
    rows = [JobRow(1, "m", status=F), JobRow(2, "m", status=R), JobRow(3, "m", status=W),
            JobRow(4, "m", status=S), JobRow(5, "other", status=R)]
    assert rows_to_cancel_after_failure(rows, rows[0]) == [2, 3]
    no_fail_fast = JobRow(1, "m", status=F, fail_fast=False)
    assert rows_to_cancel_after_failure(rows, no_fail_fast) == []
    allowed_to_fail = JobRow(1, "m", status=F, continue_on_error=True)
    assert rows_to_cancel_after_failure(rows, allowed_to_fail) == []


def test_max_parallel_limits_running_rows_of_a_matrix():
    rows = [JobRow(1, "m", status=R, max_parallel=2), JobRow(2, "m", status=W, max_parallel=2),
            JobRow(3, "m", status=W, max_parallel=2)]
    assert may_start(rows[1], rows) is True
    rows[1].status = R
    assert may_start(rows[2], rows) is False
    assert may_start(JobRow(9, "free", status=W), rows) is True
    assert may_start(JobRow(8, "blocked", status=B), rows) is False


def test_a_job_that_needs_nothing_has_its_condition_decided_at_once():
    rows = [JobRow("main", "deploy", status=B, if_condition="github.ref == 'refs/heads/main'"),
            JobRow("tag", "release", status=B, if_condition="startsWith(github.ref, 'refs/tags/')")]
    assert decisions(rows, contexts={"github": {"ref": "refs/heads/main"}}) == {
        "main": W, "tag": K}


def test_a_pending_matrix_row_asks_to_be_expanded_with_the_needs_context():
    rows = [JobRow("s", "setup", status=S, outputs={"matrix": '{"v": [1]}'}),
            JobRow("p", "build", needs=("setup",), status=B, matrix_pending=True)]
    [transition] = resolve_blocked_jobs(rows)
    assert transition.status is W and transition.expand is True
    assert transition.needs == {"setup": {"result": "success",
                                          "outputs": {"matrix": '{"v": [1]}'}}}


def test_a_skipped_pending_row_is_not_expanded():
    rows = [JobRow("s", "setup", status=F),
            JobRow("p", "build", needs=("setup",), status=B, matrix_pending=True)]
    [transition] = resolve_blocked_jobs(rows)
    assert transition.status is K and transition.expand is False
