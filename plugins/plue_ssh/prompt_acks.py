"""Acknowledge every TCP segment from an SSH client at once instead of up to 40 ms later.

OpenSSH's client leaves Nagle's algorithm on for a session without a terminal (``git``'s), so
it holds a small packet back until its previous one is acknowledged; Linux delays that
acknowledgement (up to 40 ms) whenever the server has nothing to send back at once. The
handshake has two such turns (the client's KEXINIT then its ECDH_INIT, its NEWKEYS then its
SERVICE_REQUEST), so each connection waited about 80 ms for nothing. ``TCP_QUICKACK`` turns the
delay off, but Linux turns it back on as soon as the server answers, so it is set again before
each chunk the connection reads. Elsewhere than Linux this does nothing."""

from __future__ import annotations

import socket

_QUICKACK = getattr(socket, "TCP_QUICKACK", None)


def acknowledge_promptly(connection) -> None:
    """Make the asyncssh ``connection`` (just made, nothing read yet) acknowledge promptly."""
    sock = connection.get_extra_info("socket")
    if _QUICKACK is None or sock is None or sock.family not in (socket.AF_INET, socket.AF_INET6):
        return
    received = connection.data_received

    def data_received(data: bytes, datatype=None) -> None:
        _quick_ack(sock)
        received(data, datatype)

    # The transport calls its protocol's data_received for each read; asyncssh has no hook of
    # its own there, so the connection's is wrapped (one setsockopt per read).
    connection.data_received = data_received
    _quick_ack(sock)


def _quick_ack(sock: socket.socket) -> None:
    try:
        sock.setsockopt(socket.IPPROTO_TCP, _QUICKACK, 1)
    except OSError:
        pass  # the socket closed under us; asyncssh sees it on its own
