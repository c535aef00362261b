"""docs/runner.md's quick start names commands and options that exist, and the image its
labels run is the one `plue runner image` builds by default (the e2e test
tests/e2e/test_public_url_from_bind.py runs the same steps against a live server)."""

from __future__ import annotations

import os
import pathlib
import re
import shlex
import subprocess
import sys

from plue_runner_agent.job_image import DEFAULT_TAG

DOC = pathlib.Path(__file__).resolve().parents[3] / "docs" / "runner.md"


def quick_start_commands() -> list[list[str]]:
    text = DOC.read_text()
    section = text[text.index("## Quick start"):]
    block = re.search(r"```sh\n(.*?)```", section, re.S).group(1)
    joined = block.replace("\\\n", " ")
    commands = []
    for line in joined.splitlines():
        line = line.split("#", 1)[0].strip()
        if line.startswith("plue "):
            commands.append(shlex.split(line.replace("<registration token>", "TOKEN")))
    return commands


def test_every_quick_start_command_and_option_exists():
    commands = quick_start_commands()
    assert [argv[:3] for argv in commands] == [
        ["plue", "runner", "image"], ["plue", "actions", "registration-token"],
        ["plue", "runner", "register"], ["plue", "runner", "daemon"]]
    env = {k: v for k, v in os.environ.items() if not k.startswith("PLUE_")}
    for argv in commands:
        helped = subprocess.run([sys.executable, "-m", "plue_core.cli", *argv[1:3], "--help"],
                                env=env, capture_output=True, text=True, timeout=60)
        assert helped.returncode == 0, helped.stderr
        for option in (word for word in argv if word.startswith("--")):
            assert option in helped.stdout, f"{' '.join(argv[:3])} has no {option}"


def test_the_quick_start_labels_run_the_image_that_plue_runner_image_builds():
    register = next(argv for argv in quick_start_commands() if argv[2] == "register")
    labels = register[register.index("--labels") + 1]
    assert f"ubuntu-latest:docker://{DEFAULT_TAG}" in labels.split(",")
