"""Which hosts webhooks may call: Gitea's ``webhook.ALLOWED_HOST_LIST`` semantics, checked
when connecting (after DNS resolution, on every redirect), so a hook cannot make the server
call its own network by naming a host that resolves to it.

The list is comma-separated: ``external`` (global unicast addresses that are not private:
the default), ``private`` (RFC 1918 and fc00::/7), ``loopback``, ``*`` (anything), CIDR
ranges (``10.1.0.0/16``), and host-name globs (``*.example.com``), which allow a host by the
name the hook's URL gives, whatever it resolves to."""

from __future__ import annotations

import fnmatch
import ipaddress
import socket

_PRIVATE = [ipaddress.ip_network(net) for net in
            ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "fc00::/7")]


class HostNotAllowed(OSError):
    """The target is not on the allow list: never retried."""


def _is_private(ip) -> bool:
    return any(ip in net for net in _PRIVATE if net.version == ip.version)


def _is_global_unicast(ip) -> bool:
    """Go's ``net.IP.IsGlobalUnicast``: not loopback, link-local, multicast, unspecified nor
    the IPv4 broadcast address."""
    return not (ip.is_loopback or ip.is_link_local or ip.is_multicast or ip.is_unspecified
                or ip == ipaddress.ip_address("255.255.255.255"))


class HostAllowList:
    def __init__(self, setting: str):
        self.setting = setting
        self.builtins: set[str] = set()
        self.networks = []
        self.host_globs: list[str] = []
        for item in (part.strip().lower() for part in (setting or "external").split(",")):
            if not item:
                continue
            if item in ("external", "private", "loopback", "*"):
                self.builtins.add(item)
                continue
            try:
                self.networks.append(ipaddress.ip_network(item, strict=False))
            except ValueError:
                self.host_globs.append(item)

    def allows_name(self, host: str) -> bool:
        host = host.lower().rstrip(".")
        return "*" in self.builtins or any(fnmatch.fnmatchcase(host, glob)
                                           for glob in self.host_globs)

    def allows_address(self, ip) -> bool:
        ip = ipaddress.ip_address(ip)
        if ip.version == 6 and ip.ipv4_mapped is not None:
            ip = ip.ipv4_mapped
        if "*" in self.builtins:
            return True
        if "loopback" in self.builtins and ip.is_loopback:
            return True
        if "private" in self.builtins and _is_private(ip):
            return True
        if "external" in self.builtins and _is_global_unicast(ip) and not _is_private(ip):
            return True
        return any(ip in net for net in self.networks if net.version == ip.version)

    def connect(self, host: str, port: int, timeout: float) -> socket.socket:
        """A socket to ``host`` connected to an address the list allows (the name checked
        first, then each resolved address); HostNotAllowed when none is."""
        by_name = self.allows_name(host)
        refused = []
        last_error: OSError | None = None
        for family, kind, proto, _name, address in socket.getaddrinfo(host, port, 0,
                                                                       socket.SOCK_STREAM):
            if not (by_name or self.allows_address(address[0])):
                refused.append(address[0])
                continue
            sock = socket.socket(family, kind, proto)
            sock.settimeout(timeout)
            try:
                sock.connect(address)
                return sock
            except OSError as exc:
                sock.close()
                last_error = exc
        if last_error is not None:
            raise last_error
        raise HostNotAllowed(f"{host} resolves to {', '.join(refused) or 'nothing'}, which "
                             f"webhooks.allowed_host_list ({self.setting!r}) does not allow")
