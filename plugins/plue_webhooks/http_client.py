"""One HTTP request of a delivery: every connection made through the allow list (redirects
too), a timeout on connecting and reading, at most ``MAX_REDIRECTS`` redirects followed."""

from __future__ import annotations

import dataclasses
import http.client
import ssl
import urllib.parse

from plue_webhooks.host_guard import HostAllowList

MAX_REDIRECTS = 5


@dataclasses.dataclass
class Answer:
    status: int
    headers: dict
    body: bytes


def _connection(url: urllib.parse.SplitResult, allow: HostAllowList, timeout: float):
    host = url.hostname or ""
    if url.scheme == "https":
        port = url.port or 443

        class Guarded(http.client.HTTPSConnection):
            def connect(self):
                raw = allow.connect(host, port, timeout)
                self.sock = self._context.wrap_socket(raw, server_hostname=host)

        return Guarded(host, port, timeout=timeout, context=ssl.create_default_context())
    port = url.port or 80

    class GuardedPlain(http.client.HTTPConnection):
        def connect(self):
            self.sock = allow.connect(host, port, timeout)

    return GuardedPlain(host, port, timeout=timeout)


def send(method: str, url: str, headers: dict, body: bytes, *, allow: HostAllowList,
         timeout: float, body_limit: int) -> Answer:
    """The final answer (after redirects); OSError (HostNotAllowed included) and
    http.client errors propagate."""
    for _ in range(MAX_REDIRECTS + 1):
        parts = urllib.parse.urlsplit(url)
        connection = _connection(parts, allow, timeout)
        try:
            target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
            connection.request(method, target, body=body, headers=headers)
            response = connection.getresponse()
            data = response.read(body_limit + 1) if body_limit else b""
            answer = Answer(response.status, dict(response.getheaders()), data)
        finally:
            connection.close()
        location = answer.headers.get("Location") or answer.headers.get("location")
        if answer.status not in (301, 302, 303, 307, 308) or not location:
            return answer
        following = urllib.parse.urljoin(url, location)
        if urllib.parse.urlsplit(following).netloc != parts.netloc:
            # Credentials stay with the host they were meant for (as Go's client does).
            headers = {k: v for k, v in headers.items() if k.lower() != "authorization"}
        url = following
        if answer.status in (301, 302, 303):  # as browsers and Go do: the body is dropped
            method, body = "GET", b""
            headers = {k: v for k, v in headers.items() if k.lower() != "content-type"}
    return answer
