"""GitHub runner tokens at rest: sealed by the core's :mod:`plue_core.sealing` under this
plugin's own key. A token is decrypted only in memory, to hand it to a starting container."""

from __future__ import annotations

from plue_core.errors import Conflict
from plue_core.sealing import SecretBox


class TokenVault:
    def __init__(self, secret_key: str):
        self._box = SecretBox(secret_key, salt=b"plue-runners",
                              purpose=b"plue runner pilot github runner tokens v1")

    def seal(self, token: str) -> str:
        return self._box.encrypt(token)

    def open(self, sealed: str) -> str:
        try:
            return self._box.decrypt(sealed)
        except ValueError:
            raise Conflict("the runner's github_runner_token cannot be decrypted (was the "
                           "server's secret_key changed?); set it again with PUT") from None


def mask(token: str) -> str:
    """What responses show instead of the token: ``ghr_****cdef`` (the prefix GitHub uses to
    tell token kinds apart and the last four characters); short tokens show nothing."""
    if len(token) < 12:
        return "****"
    prefix = token[:4] if "_" in token[:5] else ""
    return f"{prefix}****{token[-4:]}"
