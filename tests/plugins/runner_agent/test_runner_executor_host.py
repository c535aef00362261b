"""The executor with the host backend: steps, env precedence, outputs, file commands, step if,
continue-on-error, timeouts, masking - everything reported through the runner.v1 double."""

from __future__ import annotations

import time

from plue_workflows.statuses import Status
from plue_runner_agent.testing import payload_yaml


def test_a_run_step_succeeds_and_its_output_is_the_step_log(job_runner):
    result, task = job_runner.run("""
        - name: Greet
          run: echo "hello from $GITHUB_JOB"
    """)
    assert result == Status.SUCCESS
    assert task.result == Status.SUCCESS
    assert task.step_results() == ["RESULT_SUCCESS"]
    assert "hello from build" in task.step_log(0)
    assert task.no_more
    assert task.final_state["stoppedAt"]



def test_env_precedence_is_workflow_then_job_then_github_env_then_step(job_runner):
    result, task = job_runner.run("""
        - run: |
            echo "first: $LEVEL $WF_ONLY $JOB_ONLY"
            echo "LEVEL=from-github-env" >> "$GITHUB_ENV"
        - run: echo "second=$LEVEL"
        - env:
            LEVEL: step-${{ env.JOB_ONLY }}
          run: echo "third=$LEVEL"
        - run: echo "fourth=${{ env.LEVEL }} $LEVEL"
    """, workflow_extra="""
        env:
          LEVEL: workflow
          WF_ONLY: wf
    """, job_extra="""
        env:
          LEVEL: job
          JOB_ONLY: jo
    """)
    assert result == Status.SUCCESS
    assert "first: job wf jo" in task.step_log(0)
    assert "second=from-github-env" in task.step_log(1)
    assert "third=step-jo" in task.step_log(2)
    assert "fourth=from-github-env from-github-env" in task.step_log(3)


def test_default_variables_describe_the_run(job_runner):
    result, task = job_runner.run("""
        - run: |
            echo "ci=$CI gitea=$GITEA_ACTIONS repo=$GITHUB_REPOSITORY ref=$GITHUB_REF"
            echo "run=$GITHUB_RUN_ID workspace-is-cwd=$([ "$PWD" = "$GITHUB_WORKSPACE" ] && echo yes)"
            echo "event=$(cat "$GITHUB_EVENT_PATH")"
            echo "temp-exists=$([ -d "$RUNNER_TEMP" ] && echo yes) os=$RUNNER_OS"
    """, context={"event": {"ref": "refs/heads/main", "pusher": {"login": "alice"}}})
    assert result == Status.SUCCESS
    log = "\n".join(task.step_log(0))
    assert "ci=true gitea=true repo=alice/demo ref=refs/heads/main" in log
    assert f"run={task.run_id} workspace-is-cwd=yes" in log
    assert '"pusher": {"login": "alice"}' in log
    assert "temp-exists=yes os=Linux" in log


def test_step_outputs_feed_later_steps_and_job_outputs_reach_the_server(job_runner):
    result, task = job_runner.run("""
        - id: make
          run: |
            echo "version=1.2.3" >> "$GITHUB_OUTPUT"
            {
              echo "notes<<EOF"
              echo "line one"
              echo "line two"
              echo "EOF"
            } >> "$GITHUB_OUTPUT"
            echo "::set-output name=legacy::old-style"
        - run: echo "got ${{ steps.make.outputs.version }} / ${{ steps.make.outputs.legacy }}"
    """, job_extra="""
        outputs:
          version: ${{ steps.make.outputs.version }}
          notes: ${{ steps.make.outputs.notes }}
          missing: ${{ steps.nothing.outputs.x }}
    """)
    assert result == Status.SUCCESS
    assert "got 1.2.3 / old-style" in task.step_log(1)
    assert task.outputs == {"version": "1.2.3", "notes": "line one\nline two", "missing": ""}
    # Outputs were delivered before the final state, so `needs` can rely on them.
    first_final = next(i for i, s in enumerate(task.states) if s["result"] != "RESULT_UNSPECIFIED")
    assert any(s["result"] == "RESULT_UNSPECIFIED" for s in task.states[:first_final])


def test_github_path_is_prepended_for_later_steps(job_runner, tmp_path):
    tools = tmp_path / "tools"
    tools.mkdir()
    (tools / "hello-tool").write_text("#!/bin/sh\necho tool says hi\n")
    (tools / "hello-tool").chmod(0o755)
    result, task = job_runner.run(f"""
        - run: echo "{tools}" >> "$GITHUB_PATH"
        - run: hello-tool && echo "first-in-path=${{PATH%%:*}}"
    """)
    assert result == Status.SUCCESS
    assert "tool says hi" in task.step_log(1)
    assert f"first-in-path={tools}" in task.step_log(1)


def test_a_failing_step_fails_the_job_and_skips_the_steps_after_it(job_runner):
    result, task = job_runner.run("""
        - run: echo before
        - run: exit 3
        - run: echo never
        - if: failure()
          run: echo "cleanup after failure"
        - if: always()
          run: echo "always runs"
        - if: success()
          run: echo "only on success"
    """)
    assert result == Status.FAILURE
    assert task.result == Status.FAILURE
    assert task.step_results() == ["RESULT_SUCCESS", "RESULT_FAILURE", "RESULT_SKIPPED",
                                   "RESULT_SUCCESS", "RESULT_SUCCESS", "RESULT_SKIPPED"]
    assert "##[error]Process completed with exit code 3." in task.step_log(1)
    assert "cleanup after failure" in task.step_log(3)
    assert task.step_log(2) == []


def test_step_if_sees_contexts_and_previous_outcomes(job_runner):
    result, task = job_runner.run("""
        - id: flaky
          continue-on-error: true
          run: exit 1
        - if: steps.flaky.outcome == 'failure' && steps.flaky.conclusion == 'success'
          run: echo "saw the soft failure"
        - if: github.ref == 'refs/heads/other'
          run: echo "wrong branch"
        - if: ${{ matrix.os == 'linux' && vars.MODE == 'fast' }}
          run: echo "matrix and vars"
    """, job_extra="""
        strategy:
          matrix:
            os: [linux]
    """, vars_={"MODE": "fast"})
    assert result == Status.SUCCESS
    assert task.step_results() == ["RESULT_FAILURE", "RESULT_SUCCESS", "RESULT_SKIPPED",
                                   "RESULT_SUCCESS"]
    assert "saw the soft failure" in task.step_log(1)
    assert "matrix and vars" in task.step_log(3)


def test_continue_on_error_may_be_an_expression(job_runner):
    result, task = job_runner.run("""
        - continue-on-error: ${{ matrix.experimental }}
          run: exit 1
        - run: echo reached
    """, job_extra="""
        strategy:
          matrix:
            experimental: [true]
    """)
    assert result == Status.SUCCESS
    assert "reached" in task.step_log(1)


def test_a_step_timeout_stops_the_step_and_its_children(job_runner):
    started = time.monotonic()
    result, task = job_runner.run("""
        - timeout-minutes: 0.02
          run: |
            sleep 60 &
            echo started
            sleep 60
        - if: always()
          run: echo after
    """)
    assert time.monotonic() - started < 20
    assert result == Status.FAILURE
    assert task.step_results() == ["RESULT_FAILURE", "RESULT_SUCCESS"]
    assert any("timed out after" in line for line in task.step_log(0))


def test_a_job_timeout_stops_the_job(job_runner):
    started = time.monotonic()
    result, task = job_runner.run("""
        - run: sleep 60
        - run: echo never
    """, job_extra="timeout-minutes: 0.02")
    assert time.monotonic() - started < 20
    assert result == Status.FAILURE
    assert task.step_results()[0] == "RESULT_FAILURE"
    assert task.step_results()[1] in ("RESULT_CANCELLED", "RESULT_SKIPPED")
    assert any("timeout-minutes" in line for line in task.log)


def test_secrets_tokens_and_add_mask_values_never_reach_the_log(job_runner):
    result, task = job_runner.run("""
        - env:
            PASSWORD: ${{ secrets.DB_PASSWORD }}
          run: |
            echo "password is $PASSWORD"
            echo "key: ${{ secrets.MULTI }}"
            echo "token=${{ github.token }} runtime=$ACTIONS_RUNTIME_TOKEN"
            generated="generated-$((1000 + 234))"
            echo "::add-mask::$generated"
            echo "generated value $generated hidden"
        - id: leak
          run: echo "value=hunter2-secret" >> "$GITHUB_OUTPUT"
    """, secrets_={"DB_PASSWORD": "hunter2-secret", "MULTI": "line-a-secret\nline-b-secret"},
        job_extra="""
        outputs:
          leaked: ${{ steps.leak.outputs.value }}
    """)
    assert result == Status.SUCCESS
    log = "\n".join(task.log)
    for secret in ("hunter2-secret", "line-a-secret", "line-b-secret", "generated-1234",
                   task.token):
        assert secret not in log
    assert "password is ***" in log
    assert "generated value *** hidden" in log
    assert not any(line.startswith("::add-mask::") for line in task.log)  # consumed
    assert "leaked" not in task.outputs  # an output revealing a secret is withheld
    assert "Skip output 'leaked' since it may contain a secret." in log


def test_the_server_cancelling_stops_the_job_and_runs_always_steps(job_runner):
    import threading
    record_holder = {}

    def cancel_soon():
        while "task" not in record_holder or not record_holder["task"].log:
            time.sleep(0.05)
        time.sleep(0.5)
        job_runner.server.cancel(record_holder["task"].id)

    payload_steps = """
        - run: echo working && sleep 60
        - run: echo never
        - if: always()
          run: echo "cleanup ran"
    """

    record = job_runner.server.queue_task(payload_yaml(payload_steps))
    job_runner.server.queue.remove(record.task_json)
    record_holder["task"] = record
    threading.Thread(target=cancel_soon, daemon=True).start()
    started = time.monotonic()
    result = job_runner.executor(record).run()
    assert time.monotonic() - started < 30
    assert result == Status.CANCELLED
    assert record.result == Status.CANCELLED
    assert record.step_results() == ["RESULT_CANCELLED", "RESULT_SKIPPED", "RESULT_SUCCESS"]
    assert "cleanup ran" in record.step_log(2)


def test_shells_working_directory_and_defaults(job_runner):
    result, task = job_runner.run("""
        - run: mkdir -p sub/dir && echo made
        - working-directory: sub
          run: echo "in $(basename "$PWD")"
        - shell: python
          run: |
            import sys
            print("python", sys.version_info[0])
        - shell: sh
          run: echo "sh here"
        - shell: bash
          continue-on-error: true
          run: false | true
        - shell: bash {0} --custom-arg
          run: echo "custom $1"
        - working-directory: missing
          continue-on-error: true
          run: echo no
    """, job_extra="""
        defaults:
          run:
            shell: sh
    """)
    assert result == Status.SUCCESS, task.log
    assert "in sub" in task.step_log(1)
    assert "python 3" in task.step_log(2)
    assert "sh here" in task.step_log(3)
    assert task.step_results()[4] == "RESULT_FAILURE"  # bash runs with -o pipefail
    assert "custom --custom-arg" in task.step_log(5)
    assert any("does not exist" in line for line in task.step_log(6))


def test_a_malformed_file_command_fails_the_step(job_runner):
    result, task = job_runner.run("""
        - run: echo "this is not a key value line" >> "$GITHUB_OUTPUT"
    """)
    assert result == Status.FAILURE
    assert any("GITHUB_OUTPUT line 1" in line for line in task.step_log(0))


def test_an_expression_error_fails_the_step_and_names_the_expression(job_runner):
    result, task = job_runner.run("""
        - run: echo ${{ fromJSON('not json') }}
    """)
    assert result == Status.FAILURE
    assert any("fromJSON('not json')" in line and "##[error]" in line
               for line in task.step_log(0))


def test_remote_actions_fail_with_a_message_that_they_cannot_be_fetched(job_runner):
    result, task = job_runner.run("""
        - uses: actions/setup-node@v4
        - if: always()
          uses: docker://alpine:3
    """)
    assert result == Status.FAILURE
    assert any("cannot fetch the action 'actions/setup-node@v4'" in line
               for line in task.step_log(0))
    assert any("docker://" in line and "not supported" in line for line in task.step_log(1))


def test_needs_outputs_and_results_are_visible(job_runner):
    result, task = job_runner.run("""
        - run: |
            echo "from build: ${{ needs.prepare.outputs.version }} (${{ needs.prepare.result }})"
    """, needs={"prepare": {"outputs": {"version": "9.9"}, "result": "RESULT_SUCCESS"}})
    assert result == Status.SUCCESS
    assert "from build: 9.9 (success)" in task.step_log(0)


def test_step_summaries_are_shown_at_the_end_of_the_job(job_runner):
    result, task = job_runner.run("""
        - run: echo "### Tests passed" >> "$GITHUB_STEP_SUMMARY"
    """)
    assert result == Status.SUCCESS
    log = task.log
    assert log.index("##[group]Job summary") < log.index("### Tests passed")


def test_an_unreadable_payload_fails_the_task_with_the_reason(job_runner):
    record = job_runner.server.queue_task("jobs: [not, a, mapping]")
    job_runner.server.queue.remove(record.task_json)
    assert job_runner.executor(record).run() == Status.FAILURE
    assert record.result == Status.FAILURE
    assert any("The job cannot be read" in line for line in record.log)


def test_a_job_for_labels_this_runner_lacks_fails_clearly(job_runner):
    result, task = job_runner.run("- run: echo hi", runs_on="windows-latest")
    assert result == Status.FAILURE
    assert any("none of the labels" in line and "windows-latest" in line for line in task.log)
    assert task.step_results() == ["RESULT_CANCELLED"]


def test_a_task_the_server_already_ended_stops_running(job_runner):
    record = job_runner.server.queue_task(payload_yaml("""
        - run: echo working && sleep 60
    """))
    job_runner.server.queue.remove(record.task_json)

    def reap_when_started():
        for _ in range(400):
            if "working" in record.log:
                record.finished.set()  # as a reaper would: the server answers FAILURE now
                record.result = 2
                return
            time.sleep(0.05)

    original = job_runner.server._update_task

    def answer_failure(body):
        reply = original(body)
        if record.result == 2 and reply["state"]["result"] == "RESULT_UNSPECIFIED":
            reply["state"]["result"] = "RESULT_FAILURE"
        return reply

    job_runner.server._update_task = answer_failure
    import threading
    threading.Thread(target=reap_when_started, daemon=True).start()
    started = time.monotonic()
    assert job_runner.executor(record).run() == Status.CANCELLED
    assert time.monotonic() - started < 30
