"""The workflow language and the runner agent stand without the server: importing every module
of ``plue_workflows`` and of ``plugins.plue_runner`` in a fresh interpreter loads no database
layer, no web framework and no server plugin."""

from __future__ import annotations

import json
import subprocess
import sys

# What only the server needs: its database and web layers and its feature plugins.
SERVER_MODULES = ("peewee", "playhouse", "psycopg2", "falcon", "a2wsgi", "gunicorn",
                  "plue_core.db", "plue_core.app", "plue_core.plugins", "plugins.plue_actions")

IMPORT_EVERYTHING = """
import json, pkgutil, sys, importlib
import plue_workflows, plugins.plue_runner
names = []
for package in (plue_workflows, plugins.plue_runner):
    names.append(package.__name__)
    for module in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
        importlib.import_module(module.name)
        names.append(module.name)
print(json.dumps({"imported": names, "loaded": sorted(sys.modules)}))
"""


def is_server_module(name: str) -> bool:
    if name.startswith("plugins.") and not name.startswith("plugins.plue_runner"):
        return True  # any server plugin, not only actions
    return any(name == module or name.startswith(module + ".") for module in SERVER_MODULES)


def test_the_language_and_the_runner_import_no_server_module():
    done = subprocess.run([sys.executable, "-c", IMPORT_EVERYTHING], capture_output=True,
                          text=True, timeout=120, check=True)
    report = json.loads(done.stdout)
    imported = set(report["imported"])
    assert {"plue_workflows.expressions.parser", "plue_workflows.planning.planner",
            "plue_workflows.statuses", "plugins.plue_runner.daemon",
            "plugins.plue_runner.executor.job", "plugins.plue_runner.plugin"} <= imported
    assert [name for name in report["loaded"] if is_server_module(name)] == []


def test_the_check_recognises_server_modules():
    assert is_server_module("peewee") and is_server_module("falcon.testing")
    assert is_server_module("plugins.plue_actions.models") and is_server_module("plue_core.db")
    assert is_server_module("plugins.plue_git_hosting.service")
    assert not is_server_module("plue_core.errors") and not is_server_module("plue_workflows")
    assert not is_server_module("plugins.plue_runner.cli") and not is_server_module("plugins")
