"""bench/tail_probes.py, what bench/tail.py installs in each server process: the collector's
passes and a named function's calls go to per-process files, and ``read`` hands back only what
was appended since the last read."""

from __future__ import annotations

import gc
import os
import pathlib
import sys
import types

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[2] / "bench"))

import tail_probes  # noqa: E402


def test_collections_and_timed_calls_are_written_per_process_and_read_once(
        tmp_path, monkeypatch):
    before = list(gc.callbacks)  # the interpreter's own list: put back as it was
    module = types.ModuleType("probed_for_tail")
    module.work = lambda value: value * 2
    monkeypatch.setitem(sys.modules, "probed_for_tail", module)
    monkeypatch.setattr(tail_probes, "_FLUSH_EVERY", 0.0)

    tail_probes._record_collections(tail_probes._Appender(str(tmp_path), "gc"))
    try:
        gc.collect()
    finally:
        gc.callbacks[:] = before
    tail_probes._record_calls("probed_for_tail:work", tail_probes._Appender(str(tmp_path), "timed"))
    assert module.work(21) == 42

    offsets: dict = {}
    found = tail_probes.read(tmp_path, offsets)
    assert {path.name for path in tmp_path.iterdir()} == {f"gc.{os.getpid()}",
                                                          f"timed.{os.getpid()}"}
    assert ["2"] == [fields[0] for fields in found["gc"] if fields[0] == "2"][:1]
    assert all(len(fields) == 3 and int(fields[2]) >= 0 for fields in found["gc"])
    assert [fields[0] for fields in found["timed"]] == ["probed_for_tail:work"]
    module.work(1)
    again = tail_probes.read(tmp_path, offsets)
    assert [fields[0] for fields in again["timed"]] == ["probed_for_tail:work"]
    assert again["request"] == []
