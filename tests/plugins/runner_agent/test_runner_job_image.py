"""`plue runner image` builds the job image the quick start names, from a static busybox,
pulling nothing; the image runs what the docker backend needs (`/bin/sh`, `tail`)."""

from __future__ import annotations

import pathlib
import shutil
import subprocess
import sys
import uuid

import pytest

from plue_runner_agent.job_image import ImageError, find_busybox, is_static_elf

BUSYBOX = pathlib.Path("/bin/busybox")
RUNNER = [sys.executable, "-m", "plue_runner_agent"]


@pytest.mark.skipif(not BUSYBOX.is_file(), reason="no /bin/busybox (busybox-static) on this machine")
def test_a_static_busybox_is_recognised_and_a_dynamic_program_is_refused(tmp_path):
    assert is_static_elf(BUSYBOX.read_bytes()) is True  # Debian's busybox-static
    assert find_busybox() == BUSYBOX
    dynamic = pathlib.Path(shutil.which("git")).resolve()
    assert is_static_elf(dynamic.read_bytes()) is False
    with pytest.raises(ImageError, match="dynamically linked.*busybox-static"):
        find_busybox(str(dynamic))
    with pytest.raises(ImageError, match="no busybox at .*busybox-static"):
        find_busybox(str(tmp_path / "missing"))
    assert is_static_elf(b"#!/bin/sh\n") is False


def test_the_command_builds_an_image_with_sh_and_tail_and_replaces_it_when_run_again(
        docker_engine):
    tag = f"plue-job-image-test:{uuid.uuid4().hex[:8]}"
    try:
        first = subprocess.run([*RUNNER, "image", "--tag", tag], capture_output=True, text=True,
                               timeout=120)
        assert first.returncode == 0, first.stderr
        assert f"docker://{tag}" in first.stdout
        output = docker_engine.containers.run(
            tag, ["/bin/sh", "-c", "tail -n 1 /etc/group && id -un && test -k /tmp && echo ok"],
            remove=True).decode()
        assert output.split() == ["nogroup:x:65534:", "root", "ok"]
        old = docker_engine.images.get(tag).id
        again = subprocess.run([*RUNNER, "image", "--tag", tag], capture_output=True, text=True,
                               timeout=120)
        assert again.returncode == 0 and docker_engine.images.get(tag).id != old
        docker_engine.images.remove(old)
    finally:
        docker_engine.images.remove(tag)


def test_a_missing_busybox_is_one_line_saying_what_to_install(tmp_path):
    result = subprocess.run([*RUNNER, "image", "--busybox", str(tmp_path / "nope")],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "busybox-static" in result.stderr
