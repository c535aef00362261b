"""Import only what a process uses (issue 13, idle memory): which heavy libraries a freshly
built worker app and the scheduler have imported. Each costs every process of the server tree
its memory (docs/serving.md, Memory), so one that appears here by a new module-level import
fails this test until it is imported where it is used, or listed below with its reason."""

from __future__ import annotations

import json
import subprocess
import sys

from plue_core import testing

# plue_workflows' language, expressions and planner (~1.3 MB of objects): a push with a
# workflow, a run or the workflow API loads them (test_lazy_imports.py); its statuses, errors
# and file discovery, which the actions plugin's rows and routes use, are light.
WORKFLOW_LANGUAGE = ("plue_workflows.document", "plue_workflows.expressions",
                     "plue_workflows.planning")
# Heavy third-party libraries (MB of RSS each in every process that imports them), and ours.
WATCHED = ("docker", "requests", "urllib3", "apscheduler", "asyncssh", "prometheus_client",
           "google.protobuf", "jinja2", "pygments", "markdown_it", "nh3", "nacl", "yaml",
           "cryptography", "psutil", "dulwich", *WORKFLOW_LANGUAGE)

# What a worker needs before its first request, and why: nothing of WATCHED.
WORKER: set[str] = set()
# The rest of WATCHED arrives with its first use (tests/hosts/test_lazy_imports.py), never by
# building an app: prometheus_client with a process's first request (plue_monitoring/service.py),
# the web pages' rendering (PAGES, plue_web/face.py) with its first page, protobuf with the
# first runner call (plue_actions/protocol/connect.py), cryptography with the first JWT, sealed
# value or SSH key (plue_core/accounts/credentials.py, plue_core/sealing.py), PyNaCl with the
# first actions secret (plue_actions/secrets.py), dulwich with the first repository made or
# opened (plue_git_hosting/storage.py), the workflow language with the first workflow read
# (plue_actions/workflow_files.py).
PAGES = {"jinja2", "pygments", "markdown_it", "nh3"}

_PROBE = """
import json, pathlib, sys
from plue_core.config import load_config
config = load_config(path=sys.argv[1], environ={})
if sys.argv[2] == "worker":
    from plue_core import create_app
    create_app(config)
elif sys.argv[2] == "scheduler":
    from plue_core.app import build_context
    from plue_core.scheduler import build_scheduler
    build_scheduler(build_context(config), blocking=False)
else:
    from plue_core.app import build_context
    ctx = build_context(config)
    ctx.plugins.daemons(ctx)
print(json.dumps(sorted(name for name in sys.argv[3:] if name in sys.modules)))
"""


def imported_by(role: str, tmp_path) -> set[str]:
    config = tmp_path / "plue.toml"
    testing.write_toml(config, testing.testing_overrides(tmp_path, f"sqlite:///{tmp_path / 'plue.db'}"))
    out = subprocess.run([sys.executable, "-c", _PROBE, str(config), role, *WATCHED],
                         capture_output=True, text=True, check=True).stdout
    return set(json.loads(out.strip().splitlines()[-1]))


def test_a_worker_app_imports_neither_docker_nor_requests_nor_the_scheduler_nor_ssh(tmp_path):
    # docker and requests: security scans and tracked repositories import them when they
    # scan or sync; APScheduler: the scheduler process and a workflow's cron line; asyncssh:
    # the daemons process; the rest of WATCHED: their first use (above).
    assert imported_by("worker", tmp_path) == WORKER


def test_the_scheduler_adds_only_apscheduler_and_renders_no_page(tmp_path):
    assert imported_by("scheduler", tmp_path) == WORKER | {"apscheduler"}


def test_the_daemons_process_imports_no_page_rendering(tmp_path):
    # `plue daemons` run on its own (daemons.mode = "separate") builds the context and its
    # daemons, no app; plue serve's child is forked from the master and shares its copy.
    assert not imported_by("daemons", tmp_path) & PAGES
