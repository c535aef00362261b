"""The gunicorn master gives the C heap's free pages back (``malloc_trim``) once the app is
built and before it forks the background child (and the workers, which gunicorn forks after
``when_ready``), so that what building the app freed is not mapped by every process of the
tree (docs/serving.md, Memory)."""

from __future__ import annotations

import gc
import os
import pathlib
import platform
import runpy

import pytest

import plue_hosts
from plue_hosts import background, heap

CONF = pathlib.Path(plue_hosts.__file__).parent / "gunicorn.conf.py"


class _Log:
    def info(self, *args):
        pass


class _Server:
    log = _Log()


def test_when_ready_releases_the_free_heap_before_it_forks_the_child(monkeypatch):
    for key in [k for k in os.environ if k.startswith("PLUE_")]:
        monkeypatch.delenv(key)
    calls = []
    monkeypatch.setattr(gc, "freeze", lambda: calls.append("freeze"))
    monkeypatch.setattr(heap, "release_free_memory", lambda: calls.append("release"))
    monkeypatch.setattr(background, "ensure", lambda server, config: calls.append("fork"))
    runpy.run_path(str(CONF))["when_ready"](_Server())
    assert calls == ["freeze", "release", "fork"]


@pytest.mark.skipif(platform.libc_ver()[0] != "glibc", reason="malloc_trim is glibc's")
def test_freed_memory_in_the_middle_of_the_heap_is_released():
    # Many small blocks freed in the middle of the heap: pages malloc would otherwise keep.
    blocks = [bytearray(100_000) for _ in range(300)]
    keep = [bytearray(64) for _ in range(300)]
    del blocks
    assert heap.release_free_memory() is True
    assert keep
