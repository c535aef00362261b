"""What a delivery sends: the body in the hook's content type and format, and the headers
Gitea sends (``services/webhook/deliver.go``), signed with the hook's secret.

Gitea signs the payload's JSON text, not the body on the wire: a ``form`` delivery's body is
``payload=<the JSON, URL-encoded>`` and its signature is the HMAC of that JSON, so a receiver
written for Gitea verifies the ``payload`` field it decoded."""

from __future__ import annotations

import hashlib
import hmac
import json
import urllib.parse

from plue_webhooks import event_types
from plue_webhooks.formats import CHAT_FORMATS

REDACTED = "[redacted]"
# Never kept in a delivery record: the secret shows through its signatures.
SECRET_HEADERS = frozenset({"authorization", "x-gitea-signature", "x-gogs-signature",
                            "x-hub-signature", "x-hub-signature-256"})


def body_of(hook, event_type: str, payload: dict) -> tuple[bytes, str, bytes]:
    """``(body, content type, signed)``: chat types always speak JSON; ``gitea`` and ``gogs``
    hooks JSON or a form with the JSON in its ``payload`` field; ``signed`` is the JSON text
    (what Gitea's signatures cover)."""
    message = CHAT_FORMATS[hook.type](hook, event_type, payload) \
        if hook.type in CHAT_FORMATS else payload
    text = json.dumps(message, indent=2, ensure_ascii=False)
    if hook.type not in CHAT_FORMATS and hook.content_type == "form":
        return (urllib.parse.urlencode({"payload": text}).encode(),
                "application/x-www-form-urlencoded", text.encode())
    return text.encode(), "application/json", text.encode()


def url_of(hook) -> str:
    """Where the request goes: the hook's URL; a telegram hook's Bot API ``sendMessage``
    becomes ``sendRichMessage``, the method its ``rich_message`` body is for (as Gitea's)."""
    if hook.type != "telegram":
        return hook.url
    parts = urllib.parse.urlsplit(hook.url)
    if not parts.path.endswith("/sendMessage"):
        return hook.url
    path = parts.path.removesuffix("/sendMessage") + "/sendRichMessage"
    return urllib.parse.urlunsplit(parts._replace(path=path))


def headers_of(delivery, event_type: str, signed: bytes, content_type: str, secret: str,
               authorization: str) -> dict:
    """Gitea's headers; the signatures are HMACs of ``signed`` (the payload's JSON text)."""
    event = event_types.header_event(event_type)
    headers = {
        "Content-Type": content_type,
        "User-Agent": "Plue-Webhooks",
        "X-Gitea-Delivery": delivery.uuid, "X-Gitea-Event": event,
        "X-Gitea-Event-Type": event_type,
        "X-Gogs-Delivery": delivery.uuid, "X-Gogs-Event": event,
        "X-Gogs-Event-Type": event_type,
        "X-GitHub-Delivery": delivery.uuid, "X-GitHub-Event": event,
        "X-GitHub-Event-Type": event_type,
    }
    # Gitea sends the signature headers whatever the secret: empty without one.
    sha256 = sha1 = ""
    if secret:
        sha256 = hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()
        sha1 = hmac.new(secret.encode(), signed, hashlib.sha1).hexdigest()
    headers.update({"X-Gitea-Signature": sha256, "X-Gogs-Signature": sha256,
                    "X-Hub-Signature": f"sha1={sha1}", "X-Hub-Signature-256": f"sha256={sha256}"})
    if authorization:
        headers["Authorization"] = authorization
    return headers


def redacted(headers: dict) -> dict:
    return {name: REDACTED if name.lower() in SECRET_HEADERS else value
            for name, value in headers.items()}
