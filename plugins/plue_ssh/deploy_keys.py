"""Deploy keys of a repository (Gitea's ``/repos/{owner}/{repo}/keys``): plain functions
over the model. The key is parsed and fingerprinted by the accounts' one SSH key parser
(``ctx.services["accounts"].parse_ssh_key``). As in Gitea, a key registered by a user cannot
become a deploy key, and the same deploy key may be added to several repositories (each with
its own title and read_only)."""

from __future__ import annotations

from plue_core.accounts.models import PublicKey
from plue_core.constraints import unique_write
from plue_core.errors import Invalid, NotFound

from plue_ssh.models import DeployKey


def keys_of(repository_id: int, *, key_id: int | None = None, fingerprint: str | None = None):
    query = DeployKey.select().where(DeployKey.repository_id == repository_id).order_by(DeployKey.id)
    if key_id is not None:
        query = query.where(DeployKey.id == key_id)
    if fingerprint:
        query = query.where(DeployKey.fingerprint == fingerprint)
    return query


def get_key(repository_id: int, key_id: int) -> DeployKey:
    key = None
    if 0 < key_id < 2 ** 63:  # beyond that no such id, and the database could not compare it
        key = DeployKey.get_or_none((DeployKey.id == key_id) & (DeployKey.repository_id == repository_id))
    if key is None:
        raise NotFound(f"deploy key {key_id} does not exist")
    return key


def add_key(accounts, repository_id: int, added_by_id: int, *, title: str,
            key: str, read_only: bool = True) -> DeployKey:
    """``accounts`` is ``ctx.services["accounts"]`` (it parses the key). Gitea's errors, all 422: the key is a user's key ("Key content has been used as
    non-deploy key"), already a deploy key of this repository, or the title is taken here."""
    title = (title or "").strip()
    if not title:
        raise Invalid("title: a key title is required")
    parsed = accounts.parse_ssh_key(key)
    if PublicKey.select().where(PublicKey.fingerprint == parsed.fingerprint).exists():
        raise Invalid("Key content has been used as non-deploy key")
    with unique_write("This key has already been added to this repository"):
        existing = keys_of(repository_id)
        if existing.where(DeployKey.fingerprint == parsed.fingerprint).exists():
            raise Invalid("This key has already been added to this repository")
        if existing.where(DeployKey.title == title).exists():
            raise Invalid("A key with the same name already exists")
        return DeployKey.create(repository_id=repository_id, title=title, content=parsed.content,
                                key_type=parsed.key_type, fingerprint=parsed.fingerprint,
                                read_only=bool(read_only), created_by_id=added_by_id)


def delete_key(repository_id: int, key_id: int) -> None:
    get_key(repository_id, key_id).delete_instance()


def is_deploy_key(fingerprint: str) -> bool:
    return DeployKey.select().where(DeployKey.fingerprint == fingerprint).exists()


def delete_keys_of(repository_id: int) -> None:
    DeployKey.delete().where(DeployKey.repository_id == repository_id).execute()
