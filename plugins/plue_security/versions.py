"""Version ordering per package ecosystem, as the ecosystem itself orders versions:
Debian by dpkg's rules (epoch, upstream, revision; ``~`` sorts first), Alpine by apk's
``<version>-r<release>``, everything else (a binary's upstream version) by PEP 440 via
``packaging`` with a numeric fallback for versions it cannot parse."""

from __future__ import annotations

import re
from collections.abc import Callable

from packaging.version import InvalidVersion, Version


def _dpkg_order(char: str) -> int:
    if char == "~":
        return -1
    if char.isdigit():
        return 0
    if not char:
        return 0
    if char.isalpha():
        return ord(char)
    return ord(char) + 256


def _dpkg_part(a: str, b: str) -> int:
    """dpkg's verrevcmp: alternate non-digit runs (by _dpkg_order) and digit runs (numeric)."""
    i = j = 0
    while i < len(a) or j < len(b):
        first_diff = 0
        while (i < len(a) and not a[i].isdigit()) or (j < len(b) and not b[j].isdigit()):
            ac = _dpkg_order(a[i]) if i < len(a) else 0
            bc = _dpkg_order(b[j]) if j < len(b) else 0
            if ac != bc:
                return ac - bc
            i += 1
            j += 1
        while i < len(a) and a[i] == "0":
            i += 1
        while j < len(b) and b[j] == "0":
            j += 1
        while i < len(a) and a[i].isdigit() and j < len(b) and b[j].isdigit():
            if not first_diff:
                first_diff = ord(a[i]) - ord(b[j])
            i += 1
            j += 1
        if i < len(a) and a[i].isdigit():
            return 1
        if j < len(b) and b[j].isdigit():
            return -1
        if first_diff:
            return first_diff
    return 0


def _dpkg_split(version: str) -> tuple[int, str, str]:
    epoch, _, rest = version.rpartition(":") if ":" in version else ("0", "", version)
    upstream, _, revision = rest.rpartition("-") if "-" in rest else (rest, "", "0")
    return int(epoch or 0), upstream, revision


def compare_debian(a: str, b: str) -> int:
    """Negative, zero or positive as dpkg --compare-versions orders ``a`` and ``b``."""
    ea, ua, ra = _dpkg_split(a)
    eb, ub, rb = _dpkg_split(b)
    if ea != eb:
        return ea - eb
    return _dpkg_part(ua, ub) or _dpkg_part(ra, rb)


_APK_RELEASE = re.compile(r"^(?P<version>.*?)(?:-r(?P<release>\d+))?$")


def compare_alpine(a: str, b: str) -> int:
    """apk versions ``1.36.1-r5``: the version part (dpkg-like ordering), then the release."""
    ma, mb = _APK_RELEASE.match(a), _APK_RELEASE.match(b)
    return _dpkg_part(ma["version"], mb["version"]) or \
        int(ma["release"] or 0) - int(mb["release"] or 0)


def compare_upstream(a: str, b: str) -> int:
    """Upstream (SEMVER-like) versions: PEP 440 when both parse, else numeric components."""
    try:
        va, vb = Version(a), Version(b)
        return (va > vb) - (va < vb)
    except InvalidVersion:
        return _dpkg_part(a, b)


def comparator(ecosystem: str) -> Callable[[str, str], int]:
    """The ordering for an OSV ecosystem name (``Debian:12`` counts as ``Debian``)."""
    base = ecosystem.split(":", 1)[0].lower()
    return {"debian": compare_debian, "ubuntu": compare_debian,
            "alpine": compare_alpine}.get(base, compare_upstream)
