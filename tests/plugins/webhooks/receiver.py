"""A local webhook receiver that checks each delivery the way a real consumer would: the
HMAC verifies with the secret, the headers are Gitea's, the JSON has the field names and
types of Gitea's payload struct for the event (``modules/structs/hook.go``). It answers with
the statuses it is told to (a queue; 200 when empty) and records everything it got."""

from __future__ import annotations

import dataclasses
import hashlib
import hmac
import http.server
import json
import threading
import urllib.parse

# Gitea's structs, field by field, with the JSON type each field holds ("?" : may be null).
USER = {"id": int, "login": str, "full_name": str, "email": str, "avatar_url": str,
        "username": str}
REPOSITORY = {"id": int, "owner": dict, "name": str, "full_name": str, "description": str,
              "private": bool, "fork": bool, "html_url": str, "clone_url": str,
              "default_branch": str, "created_at": str, "updated_at": str, "permissions": dict}
PAYLOAD_USER = {"name": str, "email": str, "username": str}
PAYLOAD_COMMIT = {"id": str, "message": str, "url": str, "author": PAYLOAD_USER,
                  "committer": PAYLOAD_USER, "verification": "?", "timestamp": str,
                  "added": list, "removed": list, "modified": list}
ISSUE = {"id": int, "url": str, "html_url": str, "number": int, "user": USER, "title": str,
         "body": str, "labels": list, "assignees": "?list", "state": str, "comments": int,
         "created_at": str, "updated_at": str, "repository": dict}
COMMENT = {"id": int, "html_url": str, "issue_url": str, "user": USER, "body": str,
           "created_at": str, "updated_at": str}
PULL_REQUEST = {"id": int, "url": str, "number": int, "user": USER, "title": str, "body": str,
                "state": str, "html_url": str, "merged": bool, "base": dict, "head": dict,
                "merge_base": str, "created_at": str, "updated_at": str}
STRUCTS = {
    "push": {"ref": str, "before": str, "after": str, "compare_url": str,
             "commits": [PAYLOAD_COMMIT], "total_commits": int, "head_commit": "?commit",
             "repository": REPOSITORY, "pusher": USER, "sender": USER},
    "create": {"sha": str, "ref": str, "ref_type": str, "repository": REPOSITORY,
               "sender": USER},
    "delete": {"ref": str, "ref_type": str, "pusher_type": str, "repository": REPOSITORY,
               "sender": USER},
    "fork": {"forkee": REPOSITORY, "repository": REPOSITORY, "sender": USER},
    "repository": {"action": str, "repository": REPOSITORY, "organization": USER,
                   "sender": USER},
    "issues": {"action": str, "number": int, "issue": ISSUE, "repository": REPOSITORY,
               "sender": USER, "commit_id": str},
    "issue_comment": {"action": str, "issue": ISSUE, "comment": COMMENT,
                      "repository": REPOSITORY, "sender": USER, "is_pull": bool},
    "pull_request": {"action": str, "number": int, "pull_request": PULL_REQUEST,
                     "requested_reviewer": "?", "repository": REPOSITORY, "sender": USER,
                     "commit_id": str, "review": "?"},
}
WORKFLOW_RUN = {"id": int, "url": str, "html_url": str, "display_title": str, "path": str,
                "event": str, "run_attempt": int, "run_number": int, "head_sha": str,
                "head_branch": str, "status": str, "conclusion": str, "repository": dict,
                "started_at": str, "completed_at": str}
WORKFLOW_JOB = {"id": int, "url": str, "html_url": str, "run_id": int, "run_url": str,
                "name": str, "labels": list, "head_sha": str, "status": str,
                "conclusion": str, "steps": list, "created_at": str, "started_at": str,
                "completed_at": str}
WORKFLOW = {"id": str, "name": str, "path": str, "state": str, "url": str, "html_url": str,
            "badge_url": str}
STRUCTS["workflow_run"] = {"action": str, "workflow": WORKFLOW, "workflow_run": WORKFLOW_RUN,
                           "repository": REPOSITORY, "sender": USER}
STRUCTS["workflow_job"] = {"action": str, "workflow_job": WORKFLOW_JOB,
                           "repository": REPOSITORY, "sender": USER}
STRUCTS["status"] = {"commit": PAYLOAD_COMMIT, "context": str, "created_at": str,
                     "description": str, "id": int, "repository": REPOSITORY, "sender": USER,
                     "sha": str, "state": str, "target_url": str, "updated_at": str}
STRUCTS["pull_request_comment"] = {**STRUCTS["issue_comment"], "pull_request": PULL_REQUEST}
STRUCTS["pull_request_sync"] = STRUCTS["pull_request"]
STRUCTS["pull_request_review_request"] = {**STRUCTS["pull_request"], "requested_reviewer": USER}
for verdict in ("approved", "rejected", "comment"):
    STRUCTS[f"pull_request_review_{verdict}"] = {**STRUCTS["pull_request"],
                                                 "review": {"type": str, "content": str}}
HEADER_EVENTS = {"pull_request_sync": "pull_request", "pull_request_comment": "issue_comment",
                 "pull_request_review_request": "pull_request",
                 "pull_request_review_approved": "pull_request_approved",
                 "pull_request_review_rejected": "pull_request_rejected",
                 "pull_request_review_comment": "pull_request_comment"}
for change in ("label", "assign", "milestone"):
    STRUCTS[f"issue_{change}"] = STRUCTS["issues"]
    STRUCTS[f"pull_request_{change}"] = STRUCTS["pull_request"]
    HEADER_EVENTS[f"issue_{change}"] = "issues"
    HEADER_EVENTS[f"pull_request_{change}"] = "pull_request"


def shape_errors(value, spec, path="$") -> list[str]:
    """Where ``value`` differs from the struct ``spec`` (names and JSON types)."""
    if spec == "?":
        return []
    if isinstance(spec, str) and spec.startswith("?"):
        if value is None:
            return []
        spec = {"commit": PAYLOAD_COMMIT, "list": list}[spec[1:]]
    if isinstance(spec, dict):
        if not isinstance(value, dict):
            return [f"{path}: expected an object, got {type(value).__name__}"]
        errors = [f"{path}.{name}: missing" for name in spec if name not in value]
        return errors + [error for name, inner in spec.items() if name in value
                         for error in shape_errors(value[name], inner, f"{path}.{name}")]
    if isinstance(spec, list):
        if not isinstance(value, list):
            return [f"{path}: expected an array"]
        return [error for i, item in enumerate(value)
                for error in shape_errors(item, spec[0], f"{path}[{i}]")]
    if spec is int and isinstance(value, bool) or not isinstance(value, spec):
        return [f"{path}: expected {spec.__name__}, got {type(value).__name__} {value!r}"]
    return []


@dataclasses.dataclass
class Delivery:
    method: str
    path: str
    headers: dict
    body: bytes

    @property
    def event_type(self) -> str:
        return self.headers["X-Gitea-Event-Type"]

    @property
    def uuid(self) -> str:
        return self.headers["X-Gitea-Delivery"]

    @property
    def payload_text(self) -> bytes:
        """The payload's JSON text: the body, or a form's ``payload`` field (Gitea signs it)."""
        if self.headers.get("Content-Type") == "application/x-www-form-urlencoded":
            return urllib.parse.parse_qs(self.body.decode())["payload"][0].encode()
        return self.body

    @property
    def payload(self) -> dict:
        return json.loads(self.payload_text)


class WebhookReceiver:
    """``url`` to give a hook; ``answers`` statuses to return in order; ``deliveries`` what
    arrived; ``check(delivery, secret)`` verifies it as a consumer would."""

    def __init__(self):
        self.deliveries: list[Delivery] = []
        self.answers: list[int] = []
        receiver = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def _handle(self):
                length = int(self.headers.get("Content-Length") or 0)
                receiver.deliveries.append(Delivery(self.command, self.path,
                                                    dict(self.headers.items()),
                                                    self.rfile.read(length)))
                status = receiver.answers.pop(0) if receiver.answers else 200
                self.send_response(status)
                self.send_header("Content-Type", "text/plain")
                self.send_header("X-Receiver", "test")
                self.end_headers()
                self.wfile.write(f"answered {status}".encode())

            do_POST = do_PUT = do_GET = _handle

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"

    def close(self):
        self.server.shutdown()
        self.server.server_close()

    def of(self, event_type: str) -> list[Delivery]:
        return [d for d in self.deliveries if d.event_type == event_type]

    def check(self, delivery: Delivery, secret: str | None) -> dict:
        """The payload, after verifying signature, headers and shape like a consumer."""
        headers = delivery.headers
        event_type = delivery.event_type
        event = HEADER_EVENTS.get(event_type, event_type)
        assert headers["X-Gitea-Event"] == event and headers["X-GitHub-Event"] == event
        assert headers["X-GitHub-Delivery"] == headers["X-Gitea-Delivery"] == delivery.uuid
        assert len(delivery.uuid) == 36
        if secret is not None:
            expected = hmac.new(secret.encode(), delivery.payload_text,
                                hashlib.sha256).hexdigest()
            assert hmac.compare_digest(headers["X-Gitea-Signature"], expected)
            assert headers["X-Hub-Signature-256"] == f"sha256={expected}"
        else:  # Gitea sends the signature headers empty without a secret
            assert headers["X-Gitea-Signature"] == headers["X-Gogs-Signature"] == ""
            assert headers["X-Hub-Signature"] == "sha1="
            assert headers["X-Hub-Signature-256"] == "sha256="
        payload = delivery.payload
        errors = shape_errors(payload, STRUCTS[event_type])
        assert not errors, "\n".join(errors)
        return payload
