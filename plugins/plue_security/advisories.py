"""A local advisory database in OSV format (https://ossf.github.io/osv-schema/): every
``*.json`` below a directory, one advisory per file (or a JSON list of them). Matching
follows the schema: an affected entry names ``package.ecosystem``/``package.name``; a version
is affected when listed in ``versions`` or inside a range's ``introduced`` .. ``fixed``
(exclusive) / ``last_affected`` (inclusive) events, ordered by the ecosystem's rules."""

from __future__ import annotations

import dataclasses
import json
import pathlib

from plue_security import cvss
from plue_security.image_contents import InstalledPackage, ServiceUnavailable
from plue_security.versions import comparator

SEVERITIES = ("low", "medium", "high", "critical")
# How answers count findings, worst first (``unknown``: no severity could be read).
SEVERITY_KEYS = ("critical", "high", "medium", "low", "unknown")
# GitHub's database_specific.severity says MODERATE where the seed says medium.
_SEVERITY_NAMES = {"low": "low", "moderate": "medium", "medium": "medium", "high": "high",
                   "critical": "critical"}


@dataclasses.dataclass(frozen=True)
class Finding:
    id: str
    severity: str  # low | medium | high | critical | unknown
    package: str
    installed_version: str
    fixed_version: str | None
    description: str

    def as_dict(self) -> dict:
        return dataclasses.asdict(self)


def load_advisories(directory: pathlib.Path) -> list[dict]:
    """Every advisory below ``directory``; a missing directory or a broken file is a 503
    naming it (a scan against a partial database would under-report)."""
    if not directory.is_dir():
        raise ServiceUnavailable(f"the advisory database {directory} does not exist; put OSV "
                                 "JSON files there or set [security] advisories_path")
    advisories = []
    for path in sorted(directory.rglob("*.json")):
        try:
            loaded = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise ServiceUnavailable(f"advisory file {path} is unreadable: {exc}") from None
        for advisory in loaded if isinstance(loaded, list) else [loaded]:
            if not isinstance(advisory, dict) or not advisory.get("id"):
                raise ServiceUnavailable(f"advisory file {path} holds an entry without an id")
            advisories.append(advisory)
    return advisories


def match(advisories: list[dict], packages: list[InstalledPackage]) -> list[Finding]:
    """One finding per (advisory, affected installed package), withdrawn advisories skipped."""
    by_name: dict[tuple[str, str], list[InstalledPackage]] = {}
    for package in packages:
        for name in {package.name, package.source}:
            if name:
                by_name.setdefault((package.ecosystem.lower(), name), []).append(package)
    findings = []
    for advisory in advisories:
        if advisory.get("withdrawn"):
            continue
        seen = set()
        for affected in advisory.get("affected", ()):
            ecosystem = str(affected.get("package", {}).get("ecosystem", "")).split(":", 1)[0]
            name = affected.get("package", {}).get("name", "")
            for package in by_name.get((ecosystem.lower(), name), ()):
                if package in seen:
                    continue
                hit, fixed = _affects(affected, package)
                if hit:
                    seen.add(package)
                    findings.append(Finding(advisory["id"], _severity(advisory, affected),
                                            package.name, package.version, fixed,
                                            _description(advisory)))
    order = {s: i for i, s in enumerate(SEVERITY_KEYS)}
    return sorted(findings, key=lambda f: (order[f.severity], f.package, f.id))


def _affects(affected: dict, package: InstalledPackage) -> tuple[bool, str | None]:
    compare = comparator(package.ecosystem)
    if package.version in affected.get("versions", ()):
        return True, _first_fixed(affected)
    for range_ in affected.get("ranges", ()):
        if range_.get("type") not in ("ECOSYSTEM", "SEMVER"):
            continue  # GIT ranges name commits, not package versions
        inside, fixed = False, None
        for event in range_.get("events", ()):
            if "introduced" in event:
                start = event["introduced"]
                if start == "0" or compare(package.version, start) >= 0:
                    inside, fixed = True, None
            elif "fixed" in event and inside:
                if compare(package.version, event["fixed"]) < 0:
                    return True, event["fixed"]
                inside = False
            elif "last_affected" in event and inside:
                if compare(package.version, event["last_affected"]) <= 0:
                    return True, None
                inside = False
        if inside:
            return True, fixed
    return False, None


def _first_fixed(affected: dict) -> str | None:
    for range_ in affected.get("ranges", ()):
        for event in range_.get("events", ()):
            if "fixed" in event:
                return event["fixed"]
    return None


def _severity(advisory: dict, affected: dict) -> str:
    for source in (affected.get("ecosystem_specific", {}), affected.get("database_specific", {}),
                   advisory.get("database_specific", {})):
        value = source.get("severity") if isinstance(source, dict) else None
        if isinstance(value, str) and value.lower() in _SEVERITY_NAMES:
            return _SEVERITY_NAMES[value.lower()]
    for entry in [*affected.get("severity", ()), *advisory.get("severity", ())]:
        if isinstance(entry, dict) and entry.get("type") == "CVSS_V3":
            score = cvss.base_score(str(entry.get("score", "")))
            if score is not None:
                return cvss.rating(score)
    return "unknown"  # no rating and no CVSS v3 vector (v2/v4 are not scored)


def _description(advisory: dict) -> str:
    text = advisory.get("summary") or (advisory.get("details") or "").strip().split("\n")[0]
    return text[:500]


def threshold_rank(severity: str) -> int:
    """low 0 .. critical 3; unknown ranks above everything (it cannot be ruled out)."""
    return SEVERITIES.index(severity) if severity in SEVERITIES else len(SEVERITIES)

