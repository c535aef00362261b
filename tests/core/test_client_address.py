"""The client's address: the peer, or what trusted proxies report, never what a client claims."""

from __future__ import annotations

import falcon.testing
import pytest

from plue_core.client_address import client_address, parse_networks
from plue_core.config import load_config
from plue_core.errors import StartupError

PROXIES = parse_networks(["127.0.0.0/8", "::1", "10.0.0.0/8"])


def _address(peer: str, **headers: str) -> str:
    req = falcon.testing.create_req(remote_addr=peer, headers=headers)
    return client_address(req, PROXIES)


def test_without_a_proxy_the_peer_is_the_client_whatever_it_claims():
    assert _address("198.51.100.9") == "198.51.100.9"
    assert _address("198.51.100.9", **{"X-Forwarded-For": "203.0.113.1"}) == "198.51.100.9"
    assert _address("198.51.100.9", Forwarded="for=203.0.113.1") == "198.51.100.9"


def test_a_trusted_proxy_reports_the_client():
    assert _address("127.0.0.1", **{"X-Forwarded-For": "203.0.113.1"}) == "203.0.113.1"
    assert _address("::1", **{"X-Forwarded-For": "2001:db8::5"}) == "2001:db8::5"
    assert _address("127.0.0.1") == "127.0.0.1"


def test_the_chain_is_followed_back_past_trusted_proxies_only():
    # client -> 10.1.1.1 (a trusted inner proxy) -> 127.0.0.1; what the client wrote is ignored.
    chain = "6.6.6.6, 203.0.113.1, 10.1.1.1"
    assert _address("127.0.0.1", **{"X-Forwarded-For": chain}) == "203.0.113.1"
    assert _address("127.0.0.1", **{"X-Forwarded-For": "10.2.2.2, 10.1.1.1"}) == "10.2.2.2"


def test_forwarded_is_preferred_and_its_ports_quotes_and_brackets_are_read():
    headers = {"Forwarded": 'for="[2001:db8::7]:4711";proto=https, for=10.1.1.1',
               "X-Forwarded-For": "6.6.6.6"}
    assert _address("127.0.0.1", **headers) == "2001:db8::7"
    assert _address("127.0.0.1", Forwarded="for=203.0.113.9:8080") == "203.0.113.9"


def test_an_unreadable_hop_stops_the_walk_at_the_last_trusted_proxy():
    assert _address("127.0.0.1", **{"X-Forwarded-For": "203.0.113.1, garbage"}) == "127.0.0.1"
    assert _address("127.0.0.1", Forwarded="for=unknown") == "127.0.0.1"


def test_ipv4_mapped_ipv6_peers_are_ipv4():
    assert _address("::ffff:127.0.0.1", **{"X-Forwarded-For": "203.0.113.3"}) == "203.0.113.3"


def test_trusted_proxies_default_to_loopback_and_reject_what_is_not_a_network():
    assert [str(n) for n in load_config(environ={}).trusted_proxies] == ["127.0.0.0/8", "::1/128"]
    assert load_config(environ={"PLUE_TRUSTED_PROXIES": ""}).trusted_proxies == ()
    with pytest.raises(StartupError, match="trusted_proxies: 'proxy' is not an IP address"):
        load_config(environ={"PLUE_TRUSTED_PROXIES": "10.0.0.1,proxy"})
