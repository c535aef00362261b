"""``register_daemons``: the plugins' long-running services, collected by name and run by
``plue daemons`` in one process until it is asked to stop."""

from __future__ import annotations

import signal
import subprocess
import sys
import threading
import time

import pytest

from plue_core.daemons import Daemon, run_daemons
from plue_core.errors import StartupError
from plue_core import testing


def _plugin(name: str, daemons: list[Daemon]):
    from plue_core import hookimpl
    plugin = type(f"{name.title()}Plugin", (), {
        "PLUE_NAME": name, "register_daemons": hookimpl(lambda self, ctx: daemons)})
    return plugin()


def test_each_daemon_runs_in_its_own_thread_until_stopping_is_set(ctx):
    seen = []

    def serve(tag):
        def run(given_ctx, stopping):
            seen.append((tag, given_ctx is ctx, threading.current_thread().name))
            stopping.wait()
        return run

    stopping = threading.Event()
    runner = threading.Thread(target=lambda: seen.append(
        ("status", run_daemons(ctx, [Daemon("a", serve("a")), Daemon("b", serve("b"))], stopping))))
    runner.start()
    time.sleep(0.3)
    stopping.set()
    runner.join(10)
    assert sorted(seen[:2]) == [("a", True, "daemon-a"), ("b", True, "daemon-b")]
    assert seen[2] == ("status", 0)


def test_a_failing_daemon_stops_the_others_and_the_process_exits_with_1(ctx):
    stopped = threading.Event()

    def patient(ctx, stopping):
        stopping.wait()
        stopped.set()

    def broken(ctx, stopping):
        raise RuntimeError("cannot bind")

    assert run_daemons(ctx, [Daemon("patient", patient), Daemon("broken", broken)],
                       threading.Event()) == 1
    assert stopped.is_set()


def test_the_same_daemon_name_from_two_plugins_is_a_startup_error_naming_both(build_app):
    daemon = Daemon("listener", lambda ctx, stopping: None)
    app = build_app(_plugin("first", [daemon]), _plugin("second", [daemon]), migrate_db=False)
    with pytest.raises(StartupError, match="daemon 'listener'.*'first'.*'second'"):
        app.plue.plugins.daemons(app.plue)


def test_plue_daemons_runs_the_plugins_daemons_and_stops_on_sigterm(tmp_path, plue_database_url):
    config = tmp_path / "plue.toml"
    bind = "127.0.0.1:0"  # any free port: the ssh plugin's daemon is the one that runs
    testing.write_toml(config, testing.testing_overrides(tmp_path, plue_database_url, ssh={"bind": bind}))
    env = {"PLUE_CONFIG": str(config), "PATH": "/usr/bin:/bin"}
    subprocess.run([sys.executable, "-m", "plue_core.cli", "migrate"], env=env, check=True,
                   capture_output=True)
    process = subprocess.Popen([sys.executable, "-m", "plue_core.cli", "daemons"], env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    first_line = process.stdout.readline()
    assert first_line.strip() == "running 1 daemon(s): ssh"
    time.sleep(1)
    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=20) == 0


def test_plue_daemons_says_so_and_exits_when_no_plugin_has_any(tmp_path, plue_database_url):
    config = tmp_path / "plue.toml"
    testing.write_toml(config, testing.testing_overrides(tmp_path, plue_database_url, plugins={"disabled": ["ssh"]}))
    env = {"PLUE_CONFIG": str(config), "PATH": "/usr/bin:/bin"}
    subprocess.run([sys.executable, "-m", "plue_core.cli", "migrate"], env=env, check=True,
                   capture_output=True)
    result = subprocess.run([sys.executable, "-m", "plue_core.cli", "daemons"], env=env,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0 and result.stdout.strip() == "no daemons to run"
