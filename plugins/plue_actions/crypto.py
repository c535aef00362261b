"""Secrets at rest and the tokens runners and tasks carry.

Values are sealed with AES-256-GCM under a key derived from the server's ``secret_key`` with
HKDF-SHA256 (so rotating the secret key is the one way to invalidate them). Tokens are 160
random bits, so a plain SHA-256 is a safe, indexable hash (no salt or slow KDF is needed for
values nobody can guess).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import secrets

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

TASK_TOKEN_PREFIX = "plta_"  # lets authentication tell a task token apart without a query


class SecretBox:
    """Encrypt and decrypt short texts (secret values, private keys) for storage."""

    def __init__(self, secret_key: str, purpose: bytes = b"plue actions secrets v1"):
        key = HKDF(algorithm=hashes.SHA256(), length=32, salt=b"plue-actions",
                   info=purpose).derive(secret_key.encode())
        self._aead = AESGCM(key)

    def encrypt(self, plaintext: str | bytes) -> str:
        data = plaintext.encode() if isinstance(plaintext, str) else plaintext
        nonce = os.urandom(12)
        return base64.b64encode(nonce + self._aead.encrypt(nonce, data, None)).decode()

    def decrypt_bytes(self, stored: str) -> bytes:
        raw = base64.b64decode(stored)
        try:
            return self._aead.decrypt(raw[:12], raw[12:], None)
        except InvalidTag:
            raise ValueError("stored secret cannot be decrypted: was the server's secret_key "
                             "changed?") from None

    def decrypt(self, stored: str) -> str:
        return self.decrypt_bytes(stored).decode()


def new_token() -> str:
    """40 hex characters, as Gitea's runner and registration tokens."""
    return secrets.token_hex(20)


def new_task_token() -> str:
    return TASK_TOKEN_PREFIX + secrets.token_hex(20)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def same_hash(token: str, stored_hash: str) -> bool:
    return hmac.compare_digest(token_hash(token), stored_hash)
