"""GitHub runner tokens at rest: sealed with AES-256-GCM under a key derived (HKDF-SHA256) from
the server's ``secret_key`` - the approach of the actions plugin's secrets, with this plugin's
own key purpose. A token is decrypted only in memory, to hand it to a starting container."""

from __future__ import annotations

import base64
import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from plue_core.errors import Conflict


class TokenVault:
    def __init__(self, secret_key: str):
        key = HKDF(algorithm=hashes.SHA256(), length=32, salt=b"plue-runners",
                   info=b"plue runner pilot github runner tokens v1").derive(secret_key.encode())
        self._aead = AESGCM(key)

    def seal(self, token: str) -> str:
        nonce = os.urandom(12)
        return base64.b64encode(nonce + self._aead.encrypt(nonce, token.encode(), None)).decode()

    def open(self, sealed: str) -> str:
        raw = base64.b64decode(sealed)
        try:
            return self._aead.decrypt(raw[:12], raw[12:], None).decode()
        except InvalidTag:
            raise Conflict("the runner's github_runner_token cannot be decrypted (was the "
                           "server's secret_key changed?); set it again with PUT") from None


def mask(token: str) -> str:
    """What responses show instead of the token: ``ghr_****cdef`` (the prefix GitHub uses to
    tell token kinds apart and the last four characters); short tokens show nothing."""
    if len(token) < 12:
        return "****"
    prefix = token[:4] if "_" in token[:5] else ""
    return f"{prefix}****{token[-4:]}"
