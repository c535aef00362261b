"""Secrets that prove identity: bcrypt passwords, hashed access tokens, pinned-algorithm JWTs."""

from __future__ import annotations

import contextlib
import datetime
import functools
import hashlib
import hmac
import secrets
import threading
import time

import bcrypt

JWT_ALGORITHM = "HS256"
JWT_ISSUER = "plue"
# bcrypt hashes only the first 72 bytes; the bcrypt package refuses longer passwords.
MAX_PASSWORD_BYTES = 72


def hash_password(password: str, rounds: int) -> str:
    return bcrypt.hashpw(password.encode(), bcrypt.gensalt(rounds=rounds)).decode()


class PasswordChecker:
    """bcrypt costs ~0.2 s at the default cost, and Basic auth sends the password on every git
    request: remember successful checks for a while, keyed by a hash of (stored hash, password)
    so a password change or a wrong password never hits the cache."""

    def __init__(self, ttl_seconds: float = 300.0, max_entries: int = 4096):
        self._ttl = ttl_seconds
        self._max = max_entries
        self._ok: dict[bytes, float] = {}
        self._lock = threading.Lock()
        self._in_flight: dict[bytes, list] = {}  # key -> [lock, waiters]

    @staticmethod
    def _key(password: str, stored_hash: str) -> bytes:
        return hashlib.sha256(stored_hash.encode() + b"\0" + password.encode()).digest()

    @contextlib.contextmanager
    def one_at_a_time(self, password: str, stored_hash: str | None):
        """Hold while checking this credential: concurrent requests with the same credential
        (a CI job's parallel git fetches) wait for the first check and then find it
        remembered, instead of each counting an attempt against the login locks. Yields
        whether it waited: what the caller read before may have changed meanwhile."""
        if not stored_hash:
            yield False
            return
        key = self._key(password, stored_hash)
        with self._lock:
            entry = self._in_flight.setdefault(key, [threading.Lock(), 0])
            entry[1] += 1
        try:
            waited = not entry[0].acquire(blocking=False)
            if waited:
                entry[0].acquire()
            try:
                yield waited
            finally:
                entry[0].release()
        finally:
            with self._lock:
                entry[1] -= 1
                if entry[1] == 0:
                    self._in_flight.pop(key, None)

    def remembers(self, password: str, stored_hash: str | None) -> bool:
        """Whether this password was checked correct lately (no bcrypt needed)."""
        if not stored_hash:
            return False
        with self._lock:
            return self._ok.get(self._key(password, stored_hash), 0) > time.monotonic()

    def check(self, password: str, stored_hash: str | None) -> bool:
        if not stored_hash:
            return False
        if self.remembers(password, stored_hash):
            return True
        key = self._key(password, stored_hash)
        now = time.monotonic()
        try:
            ok = bcrypt.checkpw(password.encode(), stored_hash.encode())
        except ValueError:
            return False
        if ok:
            with self._lock:
                if len(self._ok) >= self._max:
                    self._ok.clear()
                self._ok[key] = now + self._ttl
        return ok


def new_access_token() -> str:
    """40 hex characters, the shape Gitea clients expect in ``sha1``."""
    return secrets.token_hex(20)


def token_digest(token: str) -> str:
    """Tokens are 160 random bits, so a fast hash is enough (no brute force to slow down)."""
    return hashlib.sha256(token.encode()).hexdigest()


def looks_like_access_token(value: str) -> bool:
    return len(value) == 40 and all(c in "0123456789abcdef" for c in value)


def issue_jwt(secret_key: str, *, user_id: int, username: str, ttl_seconds: int,
              audience: str) -> str:
    # pyjwt imports cryptography (≈ 10 MB a process, its Rust library's pages included) though
    # HS256 needs none of it: imported by the first JWT, not with the app (docs/serving.md).
    import jwt

    now = datetime.datetime.now(datetime.timezone.utc)
    claims = {"sub": str(user_id), "name": username, "iss": JWT_ISSUER, "aud": audience,
              "iat": now, "exp": now + datetime.timedelta(seconds=ttl_seconds)}
    return jwt.encode(claims, _jwt_key(secret_key), algorithm=JWT_ALGORITHM)


def decode_jwt(secret_key: str, token: str) -> dict:
    """Raises ``jwt.InvalidTokenError`` unless HS256, signed by us, unexpired."""
    import jwt

    return jwt.decode(token, _jwt_key(secret_key), algorithms=[JWT_ALGORITHM], issuer=JWT_ISSUER,
                      options={"require": ["exp", "iat", "sub"], "verify_aud": False})


@functools.lru_cache(maxsize=8)
def _jwt_key(secret_key: str) -> bytes:
    # A key of its own per purpose, derived from the server secret.
    return hmac.new(secret_key.encode(), b"plue-jwt-v1", hashlib.sha256).digest()
