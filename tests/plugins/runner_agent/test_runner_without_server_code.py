"""The runner agent registers and runs a job with the server's code made unimportable: it
needs the workflow language (``plue_workflows``), never the database, web or actions layers."""

from __future__ import annotations

import subprocess
import sys

from plue_workflows.statuses import Status
from plue_runner_agent.testing import payload_yaml

# Runs `python -m plue_runner_agent ARGS` with an import hook that refuses the server's
# modules, so a stray import fails the run instead of passing unnoticed.
WITHOUT_SERVER = """
import importlib.abc, runpy, sys
REFUSED = ("peewee", "playhouse", "psycopg", "falcon", "a2wsgi", "gunicorn", "plue_core.db",
           "plue_core.app", "plue_core.plugins", "plue_actions")

class RefuseServerModules(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if any(name == refused or name.startswith(refused + ".") for refused in REFUSED):
            print(f"refused import of server module {name}", file=sys.stderr)
            raise ImportError(f"{name} is server code")
        return None

sys.meta_path.insert(0, RefuseServerModules())
sys.argv = ["plue runner", *sys.argv[1:]]
runpy.run_module("plue_runner_agent", run_name="__main__", alter_sys=True)
"""


def runner_without_server(*args) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", WITHOUT_SERVER, *args], capture_output=True,
                          text=True, timeout=120)


def test_the_runner_registers_and_runs_a_job_with_the_server_code_refused(protocol_server,
                                                                          tmp_path):
    state_file = tmp_path / ".runner"
    done = runner_without_server("register", "--url", protocol_server.url, "--token",
                                 "reg-token", "--name", "lean", "--labels", "linux:host",
                                 "--file", str(state_file))
    assert done.returncode == 0, done.stderr
    record = protocol_server.queue_task(payload_yaml(
        "- run: echo \"${{ format('{0}-{1}', 'built', 2 > 1) }} os=${{ runner.os }}\"\n"
        "- if: failure()\n  run: echo never"))
    done = runner_without_server("daemon", "--once", "--file", str(state_file), "--workdir",
                                 str(tmp_path / "work"), "--fetch-timeout", "2")
    assert done.returncode == 0, done.stderr
    assert "refused import" not in done.stderr
    assert record.finished.wait(5)
    assert record.result == Status.SUCCESS
    assert record.step_results() == ["RESULT_SUCCESS", "RESULT_SKIPPED"]
    assert "built-true os=Linux" in record.step_log(0)


def test_the_import_hook_refuses_a_server_module(tmp_path):
    done = subprocess.run([sys.executable, "-c", WITHOUT_SERVER.replace(
        'runpy.run_module("plue_runner_agent", run_name="__main__", alter_sys=True)',
        "import plue_actions.models")], capture_output=True, text=True, timeout=60)
    assert done.returncode != 0
    assert "refused import of server module plue_actions" in done.stderr
