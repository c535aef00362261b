"""The allow list (Gitea's webhook.ALLOWED_HOST_LIST): ``external`` by default refuses
loopback, private and link-local addresses, by name after DNS resolution and on redirects,
at connect time; a refused delivery fails at once (no retry) and says why."""

from __future__ import annotations

import http.server
import threading

import pytest

from plue_webhooks.host_guard import HostAllowList, HostNotAllowed
from plue_webhooks.models import WebhookAttempt, WebhookDelivery


@pytest.mark.parametrize("setting, address, allowed", [
    ("external", "8.8.8.8", True),
    ("external", "127.0.0.1", False),
    ("external", "10.1.2.3", False),
    ("external", "192.168.1.1", False),
    ("external", "172.16.0.1", False),
    ("external", "169.254.169.254", False),  # cloud metadata: link-local
    ("external", "::1", False),
    ("external", "fe80::1", False),
    ("external", "fd00::1", False),
    ("external", "0.0.0.0", False),
    ("external", "::ffff:127.0.0.1", False),
    ("loopback", "127.0.0.1", True),
    ("loopback", "8.8.8.8", False),
    ("private", "10.1.2.3", True),
    ("private", "127.0.0.1", False),
    ("external,loopback", "127.0.0.1", True),
    ("10.0.0.0/8", "10.9.9.9", True),
    ("10.0.0.0/8", "11.0.0.1", False),
    ("*", "127.0.0.1", True),
])
def test_addresses_are_judged_as_gitea_does(setting, address, allowed):
    assert HostAllowList(setting).allows_address(address) is allowed


def test_host_name_globs_allow_a_host_by_name():
    hosts = HostAllowList("*.example.com, ci.internal")
    assert hosts.allows_name("hooks.example.com") and hosts.allows_name("CI.internal")
    assert not hosts.allows_name("example.org")


def test_a_name_resolving_to_loopback_is_refused_at_connect_time():
    with pytest.raises(HostNotAllowed, match="127.0.0.1"):
        HostAllowList("external").connect("localhost", 80, 1.0)


def test_by_default_a_hook_cannot_call_the_servers_own_network(build_forge, receiver):
    forge = build_forge(allowed_host_list="external")
    hook = forge.add_hook(receiver.url.replace("127.0.0.1", "localhost"))
    forge.write_file("a.txt", "a\n")
    assert forge.send() == 1
    assert receiver.deliveries == []
    [row] = WebhookDelivery.select()
    assert (row.state, row.attempts) == ("failed", 1)  # never retried
    [attempt] = WebhookAttempt.select()
    assert "allowed_host_list" in attempt.error and attempt.response_status is None
    record = forge.get(f"/repos/alice/project/hooks/{hook['id']}/deliveries").json[0]
    assert "allowed_host_list" in record["history"][0]["error"]


class Redirector:
    """Answers every request with a redirect to ``target``."""

    def __init__(self, target: str):
        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                self.rfile.read(int(self.headers.get("Content-Length") or 0))
                self.send_response(307)
                self.send_header("Location", target)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.port = self.server.server_address[1]

    def close(self):
        self.server.shutdown()
        self.server.server_close()


def test_a_redirect_is_checked_like_the_first_host(build_forge, receiver):
    # The hook's host is allowed by name; the redirect points at a loopback address that
    # the list does not allow.
    redirector = Redirector(receiver.url)
    try:
        forge = build_forge(allowed_host_list="localhost")
        forge.add_hook(f"http://localhost:{redirector.port}/start")
        forge.write_file("a.txt", "a\n")
        forge.send()
        assert receiver.deliveries == []
        [attempt] = WebhookAttempt.select()
        assert "127.0.0.1" in attempt.error and "allowed_host_list" in attempt.error
    finally:
        redirector.close()


def test_an_allowed_redirect_is_followed_with_the_body(build_forge, receiver):
    redirector = Redirector(receiver.url)
    try:
        forge = build_forge(allowed_host_list="loopback")
        forge.add_hook(f"http://127.0.0.1:{redirector.port}/start")
        forge.write_file("a.txt", "a\n")
        forge.send()
        [delivery] = receiver.deliveries
        assert delivery.path == "/hook" and receiver.check(delivery, "s3cret")["ref"] == "refs/heads/main"
    finally:
        redirector.close()
