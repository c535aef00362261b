"""Secrets at rest and the tokens runners and tasks carry.

Values are sealed by the core's :mod:`plue_core.sealing` (AES-256-GCM, key derived from the
server's ``secret_key``) under actions' own key. Tokens are 160 random bits, so a plain
SHA-256 is a safe, indexable hash (no salt or slow KDF is needed for values nobody can guess).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from plue_core import sealing

TASK_TOKEN_PREFIX = "plta_"  # lets authentication tell a task token apart without a query


class SecretBox(sealing.SecretBox):
    """Actions' secrets and sealed-box private keys (the core's box, under actions' key)."""

    def __init__(self, secret_key: str, purpose: bytes = b"plue actions secrets v1"):
        super().__init__(secret_key, salt=b"plue-actions", purpose=purpose)


def new_token() -> str:
    """40 hex characters, as Gitea's runner and registration tokens."""
    return secrets.token_hex(20)


def new_task_token() -> str:
    return TASK_TOKEN_PREFIX + secrets.token_hex(20)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def same_hash(token: str, stored_hash: str) -> bool:
    return hmac.compare_digest(token_hash(token), stored_hash)
