"""Sealing short secrets for storage (secret values, private keys, third-party tokens).

AES-256-GCM under a key derived from the server's ``secret_key`` with HKDF-SHA256. Each use
derives its own key (``salt`` and ``purpose``), so a value sealed for one purpose cannot be
opened as another; rotating ``secret_key`` makes every sealed value unreadable on purpose.

cryptography (≈ 10 MB a process with its Rust library) is imported and the key derived on the
first seal or unseal, not when a service makes its box with the app: a process that opens no
sealed value never loads it (docs/serving.md, Memory).
"""

from __future__ import annotations

import base64
import os

NONCE_SIZE = 12


class SecretBox:
    """Encrypt and decrypt short texts for storage, for one purpose."""

    def __init__(self, secret_key: str, *, salt: bytes, purpose: bytes):
        self._derivation = (secret_key, salt, purpose)
        self._cipher = None  # AESGCM, on first use

    def _aead(self):
        if self._cipher is None:
            # Two threads may both derive it: the same key, either one kept.
            from cryptography.hazmat.primitives import hashes
            from cryptography.hazmat.primitives.ciphers.aead import AESGCM
            from cryptography.hazmat.primitives.kdf.hkdf import HKDF

            secret_key, salt, purpose = self._derivation
            self._cipher = AESGCM(HKDF(algorithm=hashes.SHA256(), length=32, salt=salt,
                                       info=purpose).derive(secret_key.encode()))
        return self._cipher

    def encrypt(self, plaintext: str | bytes) -> str:
        data = plaintext.encode() if isinstance(plaintext, str) else plaintext
        nonce = os.urandom(NONCE_SIZE)
        return base64.b64encode(nonce + self._aead().encrypt(nonce, data, None)).decode()

    def decrypt_bytes(self, stored: str) -> bytes:
        """The plaintext; ValueError when it was sealed under another key or altered."""
        from cryptography.exceptions import InvalidTag

        raw = base64.b64decode(stored)
        try:
            return self._aead().decrypt(raw[:NONCE_SIZE], raw[NONCE_SIZE:], None)
        except InvalidTag:
            raise ValueError("stored secret cannot be decrypted: was the server's secret_key "
                             "changed?") from None

    def decrypt(self, stored: str) -> str:
        return self.decrypt_bytes(stored).decode()
