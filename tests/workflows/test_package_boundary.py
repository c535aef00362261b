"""The workflow language and the runner agent stand without the server: importing every module
of ``plue_workflows`` and of ``plue_runner_agent`` in a fresh interpreter loads no database
layer, no web framework and no server plugin."""

from __future__ import annotations

import json
import pathlib
import subprocess
import sys

# What only the server needs: its database and web layers and its feature plugins.
SERVER_PLUGINS = tuple(sorted(
    folder.name for folder in (pathlib.Path(__file__).parents[2] / "plugins").iterdir()
    if (folder / "__init__.py").is_file() and folder.name != "plue_runner_agent"))
SERVER_MODULES = ("peewee", "playhouse", "psycopg", "falcon", "a2wsgi", "gunicorn",
                  "plue_core.db", "plue_core.app", "plue_core.plugins", *SERVER_PLUGINS)

IMPORT_EVERYTHING = """
import json, pkgutil, sys, importlib
import plue_workflows, plue_runner_agent
names = []
for package in (plue_workflows, plue_runner_agent):
    names.append(package.__name__)
    for module in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
        importlib.import_module(module.name)
        names.append(module.name)
print(json.dumps({"imported": names, "loaded": sorted(sys.modules)}))
"""


def is_server_module(name: str) -> bool:
    return any(name == module or name.startswith(module + ".") for module in SERVER_MODULES)


def test_the_language_and_the_runner_import_no_server_module():
    done = subprocess.run([sys.executable, "-c", IMPORT_EVERYTHING], capture_output=True,
                          text=True, timeout=120, check=True)
    report = json.loads(done.stdout)
    imported = set(report["imported"])
    assert {"plue_workflows.expressions.parser", "plue_workflows.planning.planner",
            "plue_workflows.statuses", "plue_runner_agent.daemon",
            "plue_runner_agent.executor.job", "plue_runner_agent.plugin"} <= imported
    assert [name for name in report["loaded"] if is_server_module(name)] == []


def test_the_check_recognises_server_modules():
    assert is_server_module("peewee") and is_server_module("falcon.testing")
    assert is_server_module("plue_actions.models") and is_server_module("plue_core.db")
    assert is_server_module("plue_git_hosting.service")
    assert not is_server_module("plue_core.errors") and not is_server_module("plue_workflows")
    assert not is_server_module("plue_runner_agent.cli") and "plue_actions" in SERVER_PLUGINS
