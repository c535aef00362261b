"""The C heap of the server's processes: give its free pages back before the gunicorn master
forks, and keep a worker's request threads from spreading it over many arenas.

Building the app frees what it only needed for a moment (compiling Falcon's router holds ≈ 5 MB
while it runs), but glibc's malloc keeps freed pages in the process: the master would keep them
resident, and every process it forks (the workers, the background child) would map them, counted
in each one's RSS (docs/serving.md, Memory). ``malloc_trim(0)`` returns them to the kernel.

glibc gives a thread that finds the main heap busy an arena of its own, up to 8 per core: a
worker's 8 request threads can each settle into one and keep its freed, fragmented pages, so
the worker's RSS creeps up as more threads take turns under load. ``limit_arenas`` caps them
(``mallopt(M_ARENA_MAX)``, as the ``MALLOC_ARENA_MAX`` variable would, but without relying on
the environment gunicorn is started with); forked processes inherit the setting.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools

M_ARENA_MAX = -8  # glibc's malloc.h
# Two: the main heap and one more, so a thread that finds the main heap locked need not wait
# for it. Eight long-lived threads serving 33,000 requests held 2.5–4.6 MB less with two than
# with glibc's default, and grew 0.7 MB instead of 2.3 (docs/serving.md, Memory, round seven).
ARENAS = 2


@functools.cache
def _libc():
    name = ctypes.util.find_library("c")
    return ctypes.CDLL(name) if name is not None else None


def release_free_memory() -> bool:
    """``malloc_trim(0)``: True when the C library has it (glibc) and it returned pages."""
    trim = getattr(_libc(), "malloc_trim", None)
    if trim is None:  # not glibc (musl, macOS): nothing to trim this way
        return False
    return bool(trim(0))


def limit_arenas(arenas: int = ARENAS) -> bool:
    """``mallopt(M_ARENA_MAX, arenas)``: True when the C library took it (glibc)."""
    mallopt = getattr(_libc(), "mallopt", None)
    if mallopt is None:
        return False
    return bool(mallopt(M_ARENA_MAX, arenas))
