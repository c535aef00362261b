"""Give the C heap's free pages back before the gunicorn master forks.

Building the app frees what it only needed for a moment (compiling Falcon's router holds ≈ 5 MB
while it runs), but glibc's malloc keeps freed pages in the process: the master would keep them
resident, and every process it forks (the workers, the background child) would map them, counted
in each one's RSS (docs/serving.md, Memory). ``malloc_trim(0)`` returns them to the kernel.
"""

from __future__ import annotations

import ctypes
import ctypes.util


def release_free_memory() -> bool:
    """``malloc_trim(0)``: True when the C library has it (glibc) and it returned pages."""
    name = ctypes.util.find_library("c")
    if name is None:
        return False
    trim = getattr(ctypes.CDLL(name), "malloc_trim", None)
    if trim is None:  # not glibc (musl, macOS): nothing to trim this way
        return False
    return bool(trim(0))
