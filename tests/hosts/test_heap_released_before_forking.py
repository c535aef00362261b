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
import subprocess
import sys

import pytest

import plue_hosts
from plue_hosts import background, heap

CONF = pathlib.Path(plue_hosts.__file__).parent / "gunicorn.conf.py"


class _Log:
    def info(self, *args):
        pass


class _Server:
    log = _Log()


def test_when_ready_limits_the_arenas_and_releases_the_free_heap_before_it_forks(monkeypatch):
    for key in [k for k in os.environ if k.startswith("PLUE_")]:
        monkeypatch.delenv(key)
    calls = []
    monkeypatch.setattr(gc, "freeze", lambda: calls.append("freeze"))
    monkeypatch.setattr(heap, "limit_arenas", lambda: calls.append("arenas"))
    monkeypatch.setattr(heap, "release_free_memory", lambda: calls.append("release"))
    monkeypatch.setattr(background, "ensure", lambda server, config: calls.append("fork"))
    runpy.run_path(str(CONF))["when_ready"](_Server())
    assert calls == ["freeze", "arenas", "release", "fork"]


@pytest.mark.skipif(platform.libc_ver()[0] != "glibc", reason="malloc_trim is glibc's")
def test_freed_memory_in_the_middle_of_the_heap_is_released():
    # Many small blocks freed in the middle of the heap: pages malloc would otherwise keep.
    blocks = [bytearray(100_000) for _ in range(300)]
    keep = [bytearray(64) for _ in range(300)]
    del blocks
    assert heap.release_free_memory() is True
    assert keep


_ARENAS_PROBE = """
import concurrent.futures, ctypes, sys
from plue_hosts import heap

if sys.argv[1] == "limited":
    assert heap.limit_arenas() is True


def churn(_):
    blocks = [bytearray(200) for _ in range(20_000)]
    return len(blocks)


with concurrent.futures.ThreadPoolExecutor(8) as pool:
    list(pool.map(churn, range(64)))
ctypes.CDLL(None).malloc_stats()  # one "Arena N:" block per arena, on stderr
"""


@pytest.mark.skipif(platform.libc_ver()[0] != "glibc", reason="mallopt(M_ARENA_MAX) is glibc's")
@pytest.mark.parametrize("mode, most", [("limited", heap.ARENAS), ("default", None)])
def test_threads_of_a_limited_process_share_two_arenas(mode, most):
    # Eight threads allocating at once: by default glibc gives most of them an arena of
    # their own (the worker's request threads, each keeping its freed pages); limited, the
    # process holds ARENAS at most.
    out = subprocess.run([sys.executable, "-c", _ARENAS_PROBE, mode], capture_output=True,
                         text=True, check=True)
    arenas = out.stderr.count("Arena ")
    if most is None:
        assert arenas > heap.ARENAS
    else:
        assert 1 <= arenas <= most
