"""The server sends at most ``ssh.send_window`` bytes ahead of an OpenSSH client (whose
acknowledgements come every three packets), and the whole window to any other client."""

from __future__ import annotations

import pytest
from marshmallow import ValidationError

from plue_ssh.send_window import acknowledges_every_few_packets, limit_send_window
from plue_ssh.settings import SshSettings


class Channel:
    def __init__(self, window):
        self._send_window = window


class Connection:
    def __init__(self, client_version):
        self.client_version = client_version

    def get_extra_info(self, name):
        return self.client_version if name == "client_version" else None


class Process:
    def __init__(self, client_version, window):
        self.connection = Connection(client_version)
        self.channel = Channel(window)

    def get_extra_info(self, name):
        return self.connection if name == "connection" else None


@pytest.mark.parametrize("version, limited", [
    ("SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u6", True),
    ("SSH-2.0-OpenSSH_4.7", True),
    ("SSH-2.0-OpenSSH_10.0", True),
    ("SSH-2.0-OpenSSH_4.6p1", False),
    ("SSH-2.0-PuTTY_Release_0.81", False),
    ("SSH-2.0-libssh2_1.10.0", False),
    ("SSH-2.0-Go", False),
    ("", False),
])
def test_only_openssh_from_4_7_is_known_to_acknowledge_every_few_packets(version, limited):
    assert acknowledges_every_few_packets(version) is limited
    process = Process(version, 2 * 1024 * 1024)
    limit_send_window(process, 512 * 1024)
    assert process.channel._send_window == (512 * 1024 if limited else 2 * 1024 * 1024)


def test_the_limit_only_ever_lowers_what_the_client_allows():
    small = Process("SSH-2.0-OpenSSH_9.2p1", 200 * 1024)
    limit_send_window(small, 512 * 1024)
    assert small.channel._send_window == 200 * 1024
    unlimited = Process("SSH-2.0-OpenSSH_9.2p1", 2 * 1024 * 1024)
    limit_send_window(unlimited, 0)
    assert unlimited.channel._send_window == 2 * 1024 * 1024


def test_the_setting_is_0_or_at_least_four_openssh_packets():
    assert SshSettings().load({})["send_window"] == 512 * 1024
    assert SshSettings().load({"send_window": 0})["send_window"] == 0
    assert SshSettings().load({"send_window": 131072})["send_window"] == 131072
    with pytest.raises(ValidationError, match="must be 0 .* or from 131072"):
        SshSettings().load({"send_window": 65536})
