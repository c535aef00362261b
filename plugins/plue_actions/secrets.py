"""Secrets: repository, owner (organization or user) scope; encrypted at rest; never returned.

Two ways to set one, both accepted on the same PUT: Gitea's plaintext ``data`` (over TLS) and
GitHub's ``encrypted_value`` sealed with the scope's public key (``GET .../secrets/public-key``,
a libsodium sealed box), which the server opens and stores under its own key. PyNaCl (libsodium)
is imported by the first key pair or sealed value, not with the app (docs/serving.md, Memory).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re

from plue_core.constraints import create_or_update
from plue_core.db import CompiledSelect, utcnow, write_transaction
from plue_core.errors import Invalid, InvalidArgument, NotFound

from plue_actions.crypto import SecretBox
from plue_actions.models import Secret, SecretKeyPair

NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
MAX_SECRET_SIZE = 64 * 1024
RESERVED_PREFIXES = ("GITHUB_", "GITEA_")


def check_name(name: str, what: str = "secret") -> str:
    """Names are upper-cased; GitHub's rules: letters, digits, underscores, no digit first,
    no GITHUB_/GITEA_ prefix. Refused as Gitea's ``ValidateName`` refuses them: 400."""
    if not NAME.match(name or ""):
        raise InvalidArgument(f"invalid {what} name {name!r}: use letters, digits and "
                              f"underscores, not starting with a digit")
    if len(name) > 255:  # the column's width: PostgreSQL refuses longer ones
        raise InvalidArgument(f"invalid {what} name: at most 255 characters, got {len(name)}")
    upper = name.upper()
    if upper.startswith(RESERVED_PREFIXES):
        raise InvalidArgument(f"invalid {what} name {name!r}: the GITHUB_ and GITEA_ prefixes "
                              "are reserved")
    return upper


def _scope(owner_id: int, repository_id: int):
    return (Secret.owner_id == owner_id) & (Secret.repository_id == repository_id)


def key_pair(box: SecretBox, owner_id: int, repository_id: int) -> SecretKeyPair:
    """The scope's X25519 key pair, made on first use (private key stored encrypted)."""
    where = (SecretKeyPair.owner_id == owner_id) & (SecretKeyPair.repository_id == repository_id)
    row = SecretKeyPair.get_or_none(where)
    if row is not None:
        return row
    import nacl.public

    private = nacl.public.PrivateKey.generate()
    public = bytes(private.public_key)
    with write_transaction():
        row = SecretKeyPair.get_or_none(where)
        if row is None:
            row = SecretKeyPair.create(
                owner_id=owner_id, repository_id=repository_id,
                key_id=str(int.from_bytes(hashlib.sha256(public).digest()[:7], "big")),
                public_key=base64.b64encode(public).decode(),
                private_key=box.encrypt(bytes(private)))
    return row


def open_sealed_value(box: SecretBox, owner_id: int, repository_id: int, encrypted_value: str,
                      key_id: str | None) -> str:
    pair = key_pair(box, owner_id, repository_id)
    if key_id and str(key_id) != pair.key_id:
        raise Invalid(f"key_id {key_id!r} is not this scope's public key (expected {pair.key_id}); "
                      "fetch .../actions/secrets/public-key again")
    import nacl.exceptions
    import nacl.public

    try:
        sealed = base64.b64decode(encrypted_value, validate=True)
        private = nacl.public.PrivateKey(box.decrypt_bytes(pair.private_key))
        return nacl.public.SealedBox(private).decrypt(sealed).decode()
    except (binascii.Error, ValueError, nacl.exceptions.CryptoError, UnicodeDecodeError):
        raise Invalid("encrypted_value is not a base64 libsodium sealed box made with this "
                      "scope's public key (GET .../actions/secrets/public-key)") from None


def put_secret(box: SecretBox, owner_id: int, repository_id: int, name: str, *,
               data: str | None = None, encrypted_value: str | None = None,
               key_id: str | None = None, description: str = "") -> bool:
    """Create or replace a secret; True when it was created."""
    name = check_name(name)
    if encrypted_value is not None:
        data = open_sealed_value(box, owner_id, repository_id, encrypted_value, key_id)
    if data is None:
        raise Invalid("data is required (or encrypted_value with key_id)")
    if len(data.encode()) > MAX_SECRET_SIZE:
        raise Invalid(f"a secret holds at most {MAX_SECRET_SIZE} bytes")

    def write() -> bool:
        with write_transaction():
            row = Secret.get_or_none(_scope(owner_id, repository_id) & (Secret.name == name))
            if row is None:
                Secret.create(owner_id=owner_id, repository_id=repository_id, name=name,
                              data=box.encrypt(data), description=description or "")
                return True
            row.data, row.updated = box.encrypt(data), utcnow()
            if description is not None:
                row.description = description
            row.save()
            return False

    return create_or_update(write)  # two PUTs of a new name at once: one creates, one replaces


def delete_secret(owner_id: int, repository_id: int, name: str) -> None:
    deleted = Secret.delete().where(_scope(owner_id, repository_id)
                                    & (Secret.name == (name or "").upper())).execute()
    if not deleted:
        raise NotFound(f"secret {name!r} does not exist")


def list_secrets(owner_id: int, repository_id: int):
    return Secret.select().where(_scope(owner_id, repository_id)).order_by(Secret.name)


_FOR_REPOSITORY = CompiledSelect(  # every claim's: compiled once
    lambda owner_id, repository_id: Secret.select().where(
        ((Secret.owner_id == owner_id) & (Secret.repository_id == 0))
        | ((Secret.owner_id == 0) & (Secret.repository_id == repository_id))),
    int, int)


def secrets_for_repository(box: SecretBox, owner_id: int, repository_id: int) -> dict[str, str]:
    """Owner secrets overridden by repository secrets, decrypted (for a task only)."""
    rows = _FOR_REPOSITORY.rows(owner_id, repository_id)
    values: dict[str, str] = {}
    for row in sorted(rows, key=lambda r: r.repository_id != 0):
        values[row.name] = box.decrypt(row.data)
    return values
