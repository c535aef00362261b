"""A smart HTTP POST sent with ``Content-Encoding: gzip``: its start is inflated before the
answer begins, so a body that is no gzip is git's plain-text 400 (not a 200 with nothing in
it), and nothing is logged with a traceback — also when the stream breaks further on."""

from __future__ import annotations

import gzip
import logging
import os

import pytest

from plue_git_hosting.transport import CHUNK

HEADERS = {"Content-Type": "application/x-git-upload-pack-request", "Content-Encoding": "gzip"}


def _pkt(line: str) -> bytes:
    return f"{len(line) + 4:04x}{line}".encode()


@pytest.fixture
def head(forge) -> str:
    forge.create_repo("zipped", auto_init=True)
    return forge.get("/repos/alice/zipped/branches/main").json["commit"]["id"]


def _upload_pack(forge, body: bytes):
    return forge.client.simulate_post("/alice/zipped.git/git-upload-pack", body=body,
                                      headers=HEADERS)


def _tracebacks(caplog) -> list:
    return [record for record in caplog.records
            if record.exc_info or record.levelno >= logging.ERROR]


@pytest.mark.parametrize("body", [
    b"0032want 0000000000000000000000000000000000000000\n",  # a plain request
    b"\x1f\x8b\x08\x00cut short",  # a gzip header, then the body ends
    b"\x1f\x8b\x09\x00\x00\x00\x00\x00\x00\x03abc",  # an unknown compression method
    b"not gzip at all" * 10])
def test_a_body_that_is_not_gzip_is_a_plain_text_400(forge, head, caplog, body):
    caplog.set_level(logging.DEBUG)
    response = _upload_pack(forge, body)
    assert response.status_code == 400
    assert response.headers["Content-Type"].startswith("text/plain")
    assert "gzip" in response.text
    assert _tracebacks(caplog) == []


def test_a_corrupt_checksum_is_refused_too(forge, head, caplog):
    request = _pkt(f"want {head} no-progress\n") + b"0000" + _pkt("done\n")
    body = bytearray(gzip.compress(request))
    body[-8] ^= 0xFF  # the CRC-32 of the trailer
    response = _upload_pack(forge, bytes(body))
    assert response.status_code == 400 and "not valid gzip" in response.text
    assert _tracebacks(caplog) == []


def test_a_gzip_body_is_still_answered(forge, head):
    request = _pkt(f"want {head} no-progress\n") + b"0000" + _pkt("done\n")
    response = _upload_pack(forge, gzip.compress(request))
    assert response.status_code == 200
    assert response.content.startswith(b"0008NAK\n") and b"PACK" in response.content


def test_a_stream_that_breaks_after_its_start_logs_no_traceback(forge, head, caplog):
    # Haves of unknown commits (random, so they compress poorly) make the body span several
    # reads, git reading all of them; only the checksum at its end is wrong, found after the
    # answer has begun: git gets a short request and fails, the log says so plainly.
    caplog.set_level(logging.DEBUG)
    haves = b"".join(_pkt(f"have {os.urandom(20).hex()}\n") for _ in range(6000))
    request = _pkt(f"want {head} no-progress\n") + b"0000" + haves + _pkt("done\n")
    body = bytearray(gzip.compress(request))
    assert len(body) > 2 * CHUNK
    body[-8] ^= 0xFF
    response = _upload_pack(forge, bytes(body))
    assert response.status_code == 200  # already answering when the break is read
    assert b"PACK" not in response.content
    assert any("not valid gzip" in record.getMessage() for record in caplog.records)
    assert _tracebacks(caplog) == []
