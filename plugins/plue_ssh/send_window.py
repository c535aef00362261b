"""How far ahead of an OpenSSH client the server sends git's output: at most ``ssh.send_window``
bytes the client has not acknowledged yet, instead of the client's whole window (2 MiB).

When git on the client's side takes the data in more slowly than it arrives (index-pack hashing
a clone), OpenSSH's client keeps reading and holds what git has not taken in one buffer, which
it grows by allocating a larger one and copying, a packet at a time. With 2 MiB ahead, a 21 MB
clone cost the client about 85,000 page faults and most of its CPU; with 512 KiB ahead, about
6,000. Sending less than the window allows is always allowed (RFC 4254, 5.2), and OpenSSH since
4.7 acknowledges as soon as three packets are outstanding, so the smaller limit never stalls it.
Other clients may acknowledge only at half their window: they keep their whole window.

A limit of W bytes also caps one connection at W per network round trip (512 KiB at a 50 ms
round trip is 10 MB/s): raise ``ssh.send_window`` for far-away clients, or set it to 0."""

from __future__ import annotations

import re

# OpenSSH 4.7 (2007) and later acknowledge every three packets (channel_check_window).
_OPENSSH = re.compile(r"^SSH-2\.0-OpenSSH_(\d+)\.(\d+)")


def limit_send_window(process, limit: int) -> None:
    """Before git's output flows on the asyncssh ``process``'s channel: keep at most ``limit``
    bytes unacknowledged when the client is OpenSSH (0: no limit)."""
    if not limit or not acknowledges_every_few_packets(
            process.get_extra_info("connection").get_extra_info("client_version") or ""):
        return
    channel = process.channel
    # asyncssh has no public setter: its channel counts down the window it may still use and
    # adds each adjustment to it. Lowering that count once (never raising it) keeps what is
    # sent ahead at most ``limit``, and always within the client's own window.
    window = getattr(channel, "_send_window", None)
    if isinstance(window, int) and window > limit:
        channel._send_window = limit


def acknowledges_every_few_packets(client_version: str) -> bool:
    found = _OPENSSH.match(client_version)
    return bool(found) and (int(found[1]), int(found[2])) >= (4, 7)
