"""Replacing secret values with ``***`` in every log line before it leaves the runner."""

from __future__ import annotations

import re
import threading

MASK = "***"


class Masker:
    """Holds the values to hide (secrets, tokens, ``::add-mask::`` values).

    A multi-line value is also masked line by line, since logs are read line by line.
    Longer values are replaced first so a secret containing another is hidden whole.
    """

    def __init__(self, values=()):
        self._values: set[str] = set()
        self._pattern: re.Pattern | None = None
        self._lock = threading.Lock()
        for value in values:
            self.add(value)

    def add(self, value: str | None) -> None:
        if not value:
            return
        candidates = {value.strip(), *(line.strip() for line in value.splitlines())}
        with self._lock:
            before = len(self._values)
            self._values.update(c for c in candidates if c)
            if len(self._values) != before:
                ordered = sorted(self._values, key=len, reverse=True)
                self._pattern = re.compile("|".join(re.escape(v) for v in ordered))

    def mask(self, text: str) -> str:
        pattern = self._pattern
        return pattern.sub(MASK, text) if pattern is not None else text

    def reveals(self, text: str) -> bool:
        """Whether ``text`` contains a masked value (such outputs are not passed on)."""
        pattern = self._pattern
        return bool(pattern is not None and pattern.search(text))
