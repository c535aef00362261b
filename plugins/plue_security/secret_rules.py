"""Regular expressions for well-known secret formats, grouped into the rule names a secret
scan asks for, and the redaction that keeps every found secret out of answers and storage."""

from __future__ import annotations

import dataclasses
import re
from typing import NamedTuple


@dataclasses.dataclass(frozen=True)
class Pattern:
    kind: str            # what was found, e.g. "github_token"
    regex: re.Pattern    # group "secret" (or the whole match) is the secret itself


def _p(kind: str, regex: str, flags: int = 0) -> Pattern:
    return Pattern(kind, re.compile(regex, flags))


RULES: dict[str, tuple[Pattern, ...]] = {
    "api_keys": (
        _p("aws_access_key_id", r"\b(?P<secret>(?:AKIA|ASIA)[0-9A-Z]{16})\b"),
        _p("google_api_key", r"\b(?P<secret>AIza[0-9A-Za-z_\-]{35})\b"),
        _p("stripe_secret_key", r"\b(?P<secret>(?:sk|rk)_live_[0-9A-Za-z]{24,})\b"),
        _p("generic_api_key",
           r"(?i)\b(?:api[_-]?key|apikey|x-api-key)\b\s*[:=]\s*[\"']?(?P<secret>[A-Za-z0-9_\-./+=]{16,})"),
    ),
    "tokens": (
        _p("github_token", r"\b(?P<secret>gh[pousr]_[A-Za-z0-9]{36,255})\b"),
        _p("github_fine_grained_token", r"\b(?P<secret>github_pat_[A-Za-z0-9_]{22,255})\b"),
        _p("gitlab_token", r"\b(?P<secret>glpat-[A-Za-z0-9_\-]{20,})\b"),
        _p("slack_token", r"\b(?P<secret>xox[abposr]-[A-Za-z0-9-]{10,})\b"),
        _p("slack_webhook",
           r"(?P<secret>https://hooks\.slack\.com/services/T[A-Za-z0-9_]+/B[A-Za-z0-9_]+/[A-Za-z0-9_]+)"),
        _p("jwt", r"\b(?P<secret>eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{10,})"),
        _p("bearer_token", r"(?i)\bbearer\s+(?P<secret>[A-Za-z0-9_\-.=]{20,})"),
        _p("generic_token",
           r"(?i)\b(?:access[_-]?token|auth[_-]?token|secret[_-]?token|token)\b\s*[:=]\s*[\"']?"
           r"(?P<secret>[A-Za-z0-9_\-./+=]{12,})"),
    ),
    "passwords": (
        _p("password_assignment",
           r"(?i)\b(?:password|passwd|pwd|pass)\b\s*[:=]\s*(?P<q>[\"']?)(?P<secret>[^\s\"']{4,})(?P=q)"),
        _p("credentials_in_url", r"\b[a-z][a-z0-9+.-]*://[^\s:/@]+:(?P<secret>[^\s@/]{3,})@"),
    ),
    "private_keys": (
        _p("private_key_block", r"(?P<secret>-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----)"),
    ),
}
ALL_RULES = tuple(RULES)


def unknown_rules(names) -> list[str]:
    return [name for name in names if name not in RULES]


def redact(line: str, spans: list[tuple[int, int]], width: int = 160) -> str:
    """The line with each secret replaced by ``[REDACTED]``; a long secret keeps its first 4
    characters (they name the format, e.g. ``ghp_``, and cannot rebuild it); private key
    headers are not secret and stay. Cut to ``width`` characters."""
    out, last = [], 0
    for start, end in sorted(spans):
        if start < last:
            continue
        secret = line[start:end]
        keep = secret if secret.startswith("-----BEGIN") else \
            (secret[:4] if len(secret) >= 20 else "") + "[REDACTED]"
        out += [line[last:start], keep]
        last = end
    out.append(line[last:])
    text = "".join(out).strip()
    return text if len(text) <= width else text[:width - 1] + "…"


class SecretFinding(NamedTuple):
    """One secret found (``SecretFinding``), stored as a JSON object of these fields."""

    rule: str
    type: str
    line: int  # 1-based
    preview: str  # the line with the secret redacted


def scan_text(text: str, rule_names) -> list[SecretFinding]:
    """The secrets found with a redacted ``preview`` of their line; a secret matched
    by two patterns on one line is reported once, under the first rule that found it."""
    findings = []
    for number, line in enumerate(text.splitlines(), start=1):
        taken: list[tuple[int, int]] = []
        hits = []
        for rule in rule_names:
            for pattern in RULES[rule]:
                for found in pattern.regex.finditer(line):
                    span = found.span("secret")
                    if any(s < span[1] and span[0] < e for s, e in taken):
                        continue
                    taken.append(span)
                    hits.append((rule, pattern.kind))
        if hits:
            preview = redact(line, taken)
            findings += [SecretFinding(rule, kind, number, preview) for rule, kind in hits]
    return findings
