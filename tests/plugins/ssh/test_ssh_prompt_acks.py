"""The SSH server acknowledges each TCP segment at once (TCP_QUICKACK before every read), so
OpenSSH's client, which keeps Nagle's algorithm on without a terminal, never waits for a
delayed acknowledgement in the handshake."""

from __future__ import annotations

import socket

import pytest

from plue_ssh.prompt_acks import acknowledge_promptly
from plue_ssh.server import _Connection

QUICKACK = (socket.IPPROTO_TCP, socket.TCP_QUICKACK, 1)


class RecordingSocket:
    """A TCP socket's family, and the options set on it."""

    def __init__(self, family=socket.AF_INET):
        self.family = family
        self.options = []

    def setsockopt(self, level, name, value):
        self.options.append((level, name, value))


class FreshConnection:
    """An asyncssh connection as its transport sees it: extra info and data_received."""

    def __init__(self, sock):
        self.sock = sock
        self.received = []

    def get_extra_info(self, name):
        return self.sock if name == "socket" else None

    def data_received(self, data, datatype=None):
        # What the socket had been told when the data reached asyncssh.
        self.received.append((data, list(self.sock.options)))


class TcpConnection(FreshConnection):
    """The same on a real TCP socket: whether Linux acknowledges at once when data arrives."""

    def acks_promptly(self) -> bool:
        return self.sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_QUICKACK) == 1

    def data_received(self, data, datatype=None):
        self.received.append((data, self.acks_promptly()))


def test_every_read_re_arms_quick_acks_before_asyncssh_sees_the_data():
    sock = RecordingSocket()
    connection = FreshConnection(sock)
    acknowledge_promptly(connection)
    assert sock.options == [QUICKACK]
    connection.data_received(b"SSH-2.0-OpenSSH_9.2p1\r\n")
    connection.data_received(b"kexinit")
    assert connection.received == [(b"SSH-2.0-OpenSSH_9.2p1\r\n", [QUICKACK] * 2),
                                   (b"kexinit", [QUICKACK] * 3)]


@pytest.mark.parametrize("sock", [None, RecordingSocket(socket.AF_UNIX)])
def test_a_connection_that_is_not_tcp_is_left_as_it_is(sock):
    connection = FreshConnection(sock)
    acknowledge_promptly(connection)
    assert "data_received" not in vars(connection)


def test_each_read_on_a_real_socket_turns_delayed_acks_off_again():
    listener = socket.create_server(("127.0.0.1", 0))
    client = socket.create_connection(listener.getsockname())
    server, _ = listener.accept()
    connection = TcpConnection(server)
    try:
        acknowledge_promptly(connection)
        client.sendall(b"KEXINIT")
        connection.data_received(server.recv(7))
        # What Linux does once the server answers promptly: back to delaying acknowledgements.
        server.setsockopt(socket.IPPROTO_TCP, socket.TCP_QUICKACK, 0)
        assert connection.acks_promptly() is False
        client.sendall(b"ECDH_INIT")
        connection.data_received(server.recv(9))
        assert connection.received == [(b"KEXINIT", True), (b"ECDH_INIT", True)]
    finally:
        for each in (client, server, listener):
            each.close()


def test_the_ssh_server_makes_each_connection_acknowledge_promptly():
    sock = RecordingSocket()
    connection = FreshConnection(sock)
    _Connection(ctx=None).connection_made(connection)
    connection.data_received(b"SSH-2.0-OpenSSH_9.2p1\r\n")
    assert connection.received == [(b"SSH-2.0-OpenSSH_9.2p1\r\n", [QUICKACK] * 2)]
