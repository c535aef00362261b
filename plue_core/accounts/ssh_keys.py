"""SSH public keys: parse and validate real OpenSSH keys, fingerprint them, store them per user.

Accepted: ``ssh-ed25519``, ``ssh-rsa``, ``ecdsa-sha2-nistp256/384/521`` and the security-key
variants, in OpenSSH's one-line form or RFC 4716 (``---- BEGIN SSH2 PUBLIC KEY ----``).
DSA is refused, as Gitea does by default; RSA keys below ``minimum_rsa_key_bits`` too.
"""

from __future__ import annotations

import base64
import binascii
import dataclasses
import hashlib
import struct
from typing import Callable

from plue_core.accounts.models import Account, PublicKey
from plue_core.constraints import unique_write
from plue_core.db import utcnow
from plue_core.errors import Invalid, NotFound

ALLOWED_TYPES = (
    "ssh-ed25519", "ssh-rsa", "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384",
    "ecdsa-sha2-nistp521", "sk-ssh-ed25519@openssh.com", "sk-ecdsa-sha2-nistp256@openssh.com",
)
_RFC4716_BEGIN = "---- BEGIN SSH2 PUBLIC KEY ----"
_RFC4716_END = "---- END SSH2 PUBLIC KEY ----"


@dataclasses.dataclass(frozen=True)
class ParsedKey:
    key_type: str     # the algorithm, e.g. "ssh-ed25519"
    content: str      # normalised "type base64 [comment]"
    fingerprint: str  # "SHA256:..." exactly as ``ssh-keygen -lf`` prints it


def _from_rfc4716(text: str) -> tuple[str, str]:
    """(base64 body, comment) of an RFC 4716 key; header lines may continue with a backslash."""
    lines = [line.strip() for line in text.strip().splitlines()]
    if lines[-1] != _RFC4716_END:
        raise Invalid(f"key: an SSH2 public key must end with {_RFC4716_END!r}")
    body, comment, continuing = [], "", False
    for line in lines[1:-1]:
        if continuing or ":" in line:
            name, _, value = line.partition(":")
            if not continuing and name.strip().lower() == "comment":
                comment = value.strip().strip('"')
            continuing = line.endswith("\\")
            continue
        body.append(line)
    return "".join(body), comment


def _blob_type(blob: bytes) -> str:
    if len(blob) < 4:
        raise ValueError("too short")
    (length,) = struct.unpack(">I", blob[:4])
    return blob[4:4 + length].decode("ascii")


def parse_public_key(text: str, *, minimum_rsa_bits: int) -> ParsedKey:
    """Validate ``text`` as an SSH public key; ``Invalid`` (422) says what is wrong with it."""
    text = (text or "").strip()
    if not text:
        raise Invalid("key: an SSH public key is required (the contents of ~/.ssh/id_ed25519.pub)")
    if "PRIVATE KEY" in text:
        raise Invalid("key: this is a private key; paste the public key (the .pub file) instead")
    if text.startswith(_RFC4716_BEGIN):
        encoded, comment = _from_rfc4716(text)
        declared = None
    else:
        parts = text.split()
        if len(parts) < 2:
            raise Invalid("key: expected '<type> <base64> [comment]', e.g. 'ssh-ed25519 AAAA... me@host'")
        declared, encoded, comment = parts[0], parts[1], " ".join(parts[2:])
    try:
        blob = base64.b64decode(encoded, validate=True)
        key_type = _blob_type(blob)
    except (binascii.Error, ValueError, UnicodeDecodeError):
        raise Invalid("key: the key data is not valid base64-encoded SSH public key data") from None
    if declared is not None and declared != key_type:
        raise Invalid(f"key: the key says it is {declared!r} but its data is {key_type!r}")
    if key_type == "ssh-dss":
        raise Invalid("key: DSA (ssh-dss) keys are not allowed; use ssh-ed25519 or ssh-rsa")
    if key_type not in ALLOWED_TYPES:
        raise Invalid(f"key: unsupported key type {key_type!r}; use one of {', '.join(ALLOWED_TYPES)}")
    # cryptography with the first key parsed, not with the app (docs/serving.md, Memory).
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.hazmat.primitives.serialization import load_ssh_public_key

    try:
        loaded = load_ssh_public_key(f"{key_type} {encoded}".encode())
    except (ValueError, TypeError) as exc:
        raise Invalid(f"key: not a valid {key_type} public key ({exc})") from None
    if isinstance(loaded, rsa.RSAPublicKey) and loaded.key_size < minimum_rsa_bits:
        raise Invalid(f"key: RSA keys must have at least {minimum_rsa_bits} bits; this one has "
                      f"{loaded.key_size}")
    digest = base64.b64encode(hashlib.sha256(blob).digest()).decode().rstrip("=")
    content = f"{key_type} {base64.b64encode(blob).decode()}" + (f" {comment}" if comment else "")
    return ParsedKey(key_type=key_type, content=content, fingerprint=f"SHA256:{digest}")


def add_key(settings: dict, user: Account, *, title: str, key: str,
            read_only: bool = False, in_use: Callable[[str], str | None] = lambda _: None) -> PublicKey:
    """Store a key for ``user``. A key already registered (by anyone), used elsewhere
    (``in_use(fingerprint)`` says why, e.g. a deploy key) or a title the user already uses is
    422, as in Gitea."""
    title = (title or "").strip()
    if not title:
        raise Invalid("title: a key title is required")
    parsed = parse_public_key(key, minimum_rsa_bits=settings["minimum_rsa_key_bits"])
    reason = in_use(parsed.fingerprint)
    if reason:
        raise Invalid(f"key: this key ({parsed.fingerprint}) cannot be added: {reason}")
    with unique_write(f"key: this key ({parsed.fingerprint}) has already been added to an account"):
        if PublicKey.select().where(PublicKey.fingerprint == parsed.fingerprint).exists():
            raise Invalid(f"key: this key ({parsed.fingerprint}) has already been added to an account")
        if PublicKey.select().where((PublicKey.user == user) & (PublicKey.title == title)).exists():
            raise Invalid(f"title: you already have a key named {title!r}")
        return PublicKey.create(user=user, title=title, content=parsed.content,
                                key_type=parsed.key_type, fingerprint=parsed.fingerprint,
                                read_only=bool(read_only))


def keys_of(user: Account, fingerprint: str | None = None):
    query = (PublicKey.select(PublicKey, Account).join(Account)
             .where(PublicKey.user == user).order_by(PublicKey.id))
    if fingerprint:
        query = query.where(PublicKey.fingerprint == fingerprint)
    return query


def find_key_by_fingerprint(fingerprint: str) -> PublicKey | None:
    """The key with this fingerprint, its account joined (one query on the unique index)."""
    return (PublicKey.select(PublicKey, Account).join(Account)
            .where(PublicKey.fingerprint == fingerprint).first())


def mark_used(key: PublicKey) -> None:
    now = utcnow()
    PublicKey.update(last_used_at=now).where(PublicKey.id == key.id).execute()
    key.last_used_at = now


def get_key(user: Account, key_id: int) -> PublicKey:
    if not 0 < key_id < 2 ** 63:  # no such id, and the database could not even compare it
        raise NotFound(f"public key {key_id} does not exist")
    key = PublicKey.get_or_none((PublicKey.id == key_id) & (PublicKey.user == user))
    if key is None:
        raise NotFound(f"public key {key_id} does not exist")
    return key


def delete_key(user: Account, key_id: int) -> None:
    get_key(user, key_id).delete_instance()
