"""Secret scans of given text or of an actions job's log. Only the rule, the line number and
a redacted preview are answered and stored; the secrets themselves never leave this module."""

from __future__ import annotations

import json
import re
import uuid

from plue_core.db import utcnow, write_transaction
from plue_core.errors import NotFound
from plue_core.problems import problem
from plue_security import secret_rules
from plue_security.models import SecretScan
from plue_security.request_errors import RequestInvalid

_JOB_ID = re.compile(r"^(?:job_)?(\d{1,18})$")


def parse_job_id(value) -> int:
    """``123``, ``"123"`` or ``"job_123"`` (the seed's spelling) -> 123."""
    found = _JOB_ID.match(str(value).strip()) if isinstance(value, (int, str)) \
        and not isinstance(value, bool) else None
    if found is None:
        raise RequestInvalid(f"job_id {value!r} is not a job id; expected a number or 'job_<number>'",
                             details=[problem("job_id", value, '123 or "job_123"')])
    return int(found.group(1))


def job_log(ctx, identity, job_id: int) -> str:
    """The job's log through the actions service; 404 when absent or not readable."""
    actions = ctx.services.get("actions")
    if actions is None:
        raise NotFound(f"job {job_id} does not exist (the actions plugin is disabled)")
    text = actions.job_log_text(identity, job_id)
    if text is None:
        raise NotFound(f"job job_{job_id} does not exist")
    return text


def scan(ctx, *, text: str, rules: list[str], job_id: int | None, user_id: int | None) -> SecretScan:
    """Scan ``text`` with ``rules`` and store the redacted findings."""
    limit = ctx.section("security")["max_secret_scan_bytes"]
    if len(text.encode("utf-8", "replace")) > limit:
        raise RequestInvalid(f"the content to scan is larger than {limit} bytes "
                             "([security] max_secret_scan_bytes)",
                             details=[problem("content", expected=f"at most {limit} bytes")])
    findings = secret_rules.scan_text(text, rules)
    with write_transaction(ctx.db):
        return SecretScan.create(
            scan_id=f"secret_{uuid.uuid4().hex[:16]}", job_id=job_id, user_id=user_id,
            rules=json.dumps(rules), findings=json.dumps([f._asdict() for f in findings]), findings_count=len(findings),
            lines_scanned=len(text.splitlines()), scan_date=utcnow())
