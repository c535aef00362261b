"""Jobs below the machine's interactive work: a runner often shares its machine with the forge
(or with people), and a job's processes should take the CPU that is left, not compete for it."""

from __future__ import annotations

import logging
import os
import sys
import threading

log = logging.getLogger("plue.runner.priority")


def lower_this_thread(niceness: int) -> None:
    """Run the calling thread ``niceness`` steps below its priority, and so every thread and
    process it starts from now on (Linux keeps a niceness per thread, and a child inherits its
    creator's). Other threads keep theirs. Nothing for 0, nor off Linux, where the same call
    would lower a whole process."""
    if not niceness:
        return
    if not sys.platform.startswith("linux"):
        log.warning("--job-niceness is applied on Linux only: jobs run at the runner's priority")
        return
    thread = threading.get_native_id()
    os.setpriority(os.PRIO_PROCESS, thread,
                   min(19, os.getpriority(os.PRIO_PROCESS, thread) + niceness))
