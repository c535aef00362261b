"""Gitea's run/job statuses, their REST form and how a run's status follows its jobs."""

import pytest

from plue_workflows.statuses import (
    Status,
    aggregate_job_statuses,
    commit_status_state,
    needs_result,
    rest_status,
    status_from_result,
)


def test_status_codes_are_giteas():
    assert [(s.label, int(s)) for s in Status] == [
        ("unknown", 0), ("success", 1), ("failure", 2), ("cancelled", 3), ("skipped", 4),
        ("waiting", 5), ("running", 6), ("blocked", 7)]


def test_done_statuses():
    assert {s for s in Status if s.is_done()} == {
        Status.SUCCESS, Status.FAILURE, Status.CANCELLED, Status.SKIPPED}


def test_labels_round_trip_and_unknown_labels_are_refused():
    assert Status.from_label("Running") is Status.RUNNING
    with pytest.raises(ValueError, match="unknown status 'queued'"):
        Status.from_label("queued")


def test_runner_result_codes_map_to_statuses():
    assert status_from_result(0) is Status.RUNNING
    assert [status_from_result(code) for code in (1, 2, 3, 4)] == [
        Status.SUCCESS, Status.FAILURE, Status.CANCELLED, Status.SKIPPED]
    assert Status.RUNNING.result_code() == 0
    assert Status.CANCELLED.result_code() == 3
    with pytest.raises(ValueError, match="unknown runner result code 9"):
        status_from_result(9)


@pytest.mark.parametrize("status, expected", [
    (Status.WAITING, ("queued", None)),
    (Status.BLOCKED, ("pending", None)),
    (Status.RUNNING, ("in_progress", None)),
    (Status.SUCCESS, ("completed", "success")),
    (Status.FAILURE, ("completed", "failure")),
    (Status.CANCELLED, ("completed", "cancelled")),
    (Status.SKIPPED, ("completed", "skipped")),
    (Status.UNKNOWN, ("pending", None)),
])
def test_rest_status_and_conclusion(status, expected):
    assert rest_status(status) == expected


def test_a_blocked_run_awaiting_approval_is_waiting():
    assert rest_status(Status.BLOCKED, need_approval=True) == ("waiting", None)


@pytest.mark.parametrize("status, state", [
    (Status.SUCCESS, "success"), (Status.FAILURE, "failure"), (Status.CANCELLED, "failure"),
    (Status.WAITING, "pending"), (Status.BLOCKED, "pending"), (Status.RUNNING, "pending"),
    (Status.SKIPPED, "skipped"), (Status.UNKNOWN, "error"),
])
def test_commit_status_state_per_job(status, state):
    assert commit_status_state(status) == state


S, F, C, K, W, R, B = (Status.SUCCESS, Status.FAILURE, Status.CANCELLED, Status.SKIPPED,
                       Status.WAITING, Status.RUNNING, Status.BLOCKED)


@pytest.mark.parametrize("jobs, run", [
    ([], Status.UNKNOWN),
    ([S, S], S),
    ([S, K], S),
    ([K, K], K),
    ([S, F], F),
    ([F, R], R),  # still running after a failure
    ([F, W], W),
    ([F, B], F),  # blocked jobs wait on the failed one: the run has failed
    ([C, R], C),
    ([C, F], C),
    ([W, B], W),
    ([B, B], B),
    ([S, R, B], R),
    ([(F, True), S], S),  # continue-on-error
    ([(F, True), (F, False)], F),
])
def test_run_status_is_aggregated_from_jobs_as_gitea_does(jobs, run):
    assert aggregate_job_statuses(jobs) is run


def test_needs_result_summarises_matrix_rows():
    assert needs_result([S, S]) == "success"
    assert needs_result([S, F]) == "failure"
    assert needs_result([K]) == "skipped"
    assert needs_result([S, C]) == "cancelled"
    assert needs_result([S, R]) == ""
