"""The ``[accounts]`` config section (environment: ``PLUE_ACCOUNTS__<KEY>``).

Every key carries its documentation in ``metadata["description"]``; docs/accounts.md lists
them all.
"""

from marshmallow import Schema, fields, validate


def _doc(text: str) -> dict:
    return {"description": text}


class AccountsSettings(Schema):
    """Users, organizations, credentials and login throttling."""

    bcrypt_rounds = fields.Integer(
        load_default=12, validate=validate.Range(min=4, max=16),
        metadata=_doc("bcrypt cost for new password hashes (each +1 doubles the work; tests use 4)."))
    open_registration = fields.Boolean(
        load_default=True,
        metadata=_doc("Whether anyone may sign up with POST /auth/register (Gitea's "
                      "DISABLE_REGISTRATION inverted). Administrators can always create users."))
    min_password_length = fields.Integer(
        load_default=8, validate=validate.Range(min=1),
        metadata=_doc("Shortest password accepted on registration and by administrators."))
    jwt_ttl_seconds = fields.Integer(
        load_default=86400, validate=validate.Range(min=60),
        metadata=_doc("Lifetime of the JWTs handed out by RunnerHub's POST /api/auth/login "
                      "(seed 002: \"expiresIn\": \"24h\")."))
    pilot_jwt_ttl_seconds = fields.Integer(
        load_default=3600, validate=validate.Range(min=60),
        metadata=_doc("Lifetime of the JWTs handed out by Runner Pilot's POST /auth/login "
                      "(seed 001: \"expires_in\": 3600)."))
    login_max_failures = fields.Integer(
        load_default=10, validate=validate.Range(min=1),
        metadata=_doc("Failed password logins for one account from one client address before "
                      "that pair is locked (429 with Retry-After); other addresses and other "
                      "accounts are not affected."))
    login_max_failures_per_address = fields.Integer(
        load_default=30, validate=validate.Range(min=1),
        metadata=_doc("Failed password logins from one client address, whatever the account, "
                      "before the address is locked (password spraying)."))
    login_max_failures_per_account = fields.Integer(
        load_default=100, validate=validate.Range(min=1),
        metadata=_doc("Failed password logins for one account from all addresses before the "
                      "account is locked for every address that has failed logins of its own; "
                      "an address without failures still logs in."))
    login_lock_seconds = fields.Integer(
        load_default=60, validate=validate.Range(min=1),
        metadata=_doc("Length of the first lock; each further failure doubles it."))
    login_max_lock_seconds = fields.Integer(
        load_default=900, validate=validate.Range(min=1),
        metadata=_doc("Longest lock, however many failures (Keycloak's maxFailureWait)."))
    login_window_seconds = fields.Integer(
        load_default=3600, validate=validate.Range(min=1),
        metadata=_doc("Failures are forgotten this long after the last one (and on a correct "
                      "password, for the account)."))
    minimum_rsa_key_bits = fields.Integer(
        load_default=3071, validate=validate.Range(min=1024),
        metadata=_doc("Smallest RSA SSH key accepted (Gitea's [ssh.minimum_key_sizes] RSA)."))
    allow_create_organization = fields.Boolean(
        load_default=True,
        metadata=_doc("Whether new users may create organizations (Gitea's "
                      "DEFAULT_ALLOW_CREATE_ORGANIZATION); administrators can change it per user."))
    disable_regular_org_creation = fields.Boolean(
        load_default=False,
        metadata=_doc("When true only site administrators may create organizations (Gitea's "
                      "[admin] DISABLE_REGULAR_ORG_CREATION)."))
