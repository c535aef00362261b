"""Who is at the other end: the client's address for a request.

The connection's peer is the client, unless that peer is one of the configured
``trusted_proxies``: then the address the proxies report (``Forwarded: for=`` or, without it,
``X-Forwarded-For``) is followed from the nearest hop backwards, past every trusted proxy, to
the first address that is not one — as Gitea's ``REVERSE_PROXY_TRUSTED_PROXIES`` and Rails'
``trusted_proxies`` do. A header sent by anyone else is ignored, so a client cannot pick its
own address. Login throttling keys on this address (docs/admin.md, "Behind a reverse proxy").
"""

from __future__ import annotations

import ipaddress
from typing import Iterable

import falcon

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
Address = ipaddress.IPv4Address | ipaddress.IPv6Address

# Gitea's default: a proxy on the same machine.
DEFAULT_TRUSTED_PROXIES = ("127.0.0.0/8", "::1/128")


def parse_networks(values: Iterable[str]) -> tuple[Network, ...]:
    """``["10.0.0.0/8", "192.0.2.7"]`` -> networks; ValueError names the entry that is not one."""
    networks = []
    for value in values:
        try:
            networks.append(ipaddress.ip_network(value.strip(), strict=False))
        except ValueError:
            raise ValueError(f"{value!r} is not an IP address or network "
                             "(e.g. 10.0.0.5 or 10.0.0.0/8)") from None
    return tuple(networks)


def parse_address(value: str | None) -> Address | None:
    """An IP from a peer address or a forwarded hop (``[2001:db8::1]:443``, ``192.0.2.1:80``,
    quoted or not); ``None`` for ``unknown``, obfuscated names and garbage."""
    text = (value or "").strip().strip('"')
    if text.startswith("["):
        text = text[1:text.find("]")] if "]" in text else ""
    elif text.count(":") == 1:  # IPv4 with a port; a bare IPv6 has several colons
        text = text.split(":", 1)[0]
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        return address.ipv4_mapped
    return address


def _forwarded_hops(req: falcon.Request) -> list[str]:
    """The reported chain, client first: RFC 7239 ``Forwarded`` when sent, else
    ``X-Forwarded-For`` (every header line, in order)."""
    if req.get_header("Forwarded"):
        return [element.src or "" for element in (req.forwarded or [])]
    header = req.get_header("X-Forwarded-For") or ""
    return [hop for hop in (part.strip() for part in header.split(",")) if hop]


def client_address(req: falcon.Request, trusted_proxies: tuple[Network, ...]) -> str:
    """The client's IP address as text (the peer's own text when it is not an IP at all)."""
    peer = parse_address(req.remote_addr)
    if peer is None:
        return req.remote_addr or ""

    def trusted(address: Address) -> bool:
        return any(address.version == net.version and address in net for net in trusted_proxies)

    address = peer
    if trusted(peer):
        for hop in reversed(_forwarded_hops(req)):
            reported = parse_address(hop)
            if reported is None:  # a hop we cannot read: stop at the last proxy we trust
                break
            address = reported
            if not trusted(reported):
                break
    return str(address)
