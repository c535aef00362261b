"""Configuration: a TOML file overridden by ``PLUE_*`` environment variables.

Precedence, lowest first: built-in defaults, ``plue.toml`` (path from ``--config`` or
``PLUE_CONFIG``), environment variables, then the mapping passed to ``load_config``.

* Core keys are top-level (``data_dir``, ``database_url``...); the environment spells them
  ``PLUE_DATA_DIR``. Core sections (``[plugins]``, ``[server]``, ``[scheduler]``) and plugin
  sections use ``PLUE_<SECTION>__<KEY>``, e.g. ``PLUE_PLUGINS__DISABLED=issues,pulls``.
* Each plugin validates its own section with the schema from ``register_settings``.
* Unknown keys and bad values raise :class:`StartupError` naming the key.
"""

from __future__ import annotations

import copy
import os
import pathlib
import secrets
import time
import tomllib
from typing import Any, Mapping

from marshmallow import RAISE, Schema, ValidationError, fields, validate

from plue_core.client_address import DEFAULT_TRUSTED_PROXIES, parse_networks
from plue_core.errors import StartupError
from plue_core.plugin_renames import current_plugin_names, current_sections
from plue_core.private_files import private_directory, private_file

ENV_PREFIX = "PLUE_"
# Environment aliases documented in the README's two commands.
ENV_ALIASES = {"PLUE_BIND": ("server", "bind"), "PLUE_WORKERS": ("server", "workers")}


class CommaList(fields.List):
    """A list that also accepts ``"a,b,c"`` (how lists arrive from environment variables)."""

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, str):
            value = [item.strip() for item in value.split(",") if item.strip()]
        return super()._deserialize(value, attr, data, **kwargs)


class NetworkList(CommaList):
    """IP addresses and networks (``trusted_proxies``), parsed once at load."""

    def _deserialize(self, value, attr, data, **kwargs):
        try:
            return parse_networks(super()._deserialize(value, attr, data, **kwargs))
        except ValueError as exc:
            raise ValidationError(str(exc)) from None


class PluginsSettings(Schema):
    class Meta:
        unknown = RAISE

    enabled = CommaList(fields.String(), load_default=None, allow_none=True)
    disabled = CommaList(fields.String(), load_default=list)
    load_entrypoints = fields.Boolean(load_default=True)


class ServerSettings(Schema):
    class Meta:
        unknown = RAISE

    bind = fields.String(load_default="127.0.0.1:8000")
    workers = fields.Integer(load_default=2, validate=validate.Range(min=1))
    threads = fields.Integer(load_default=16, validate=validate.Range(min=1))
    timeout = fields.Integer(load_default=120, validate=validate.Range(min=1))


class SchedulerSettings(Schema):
    class Meta:
        unknown = RAISE

    # "serve": `plue serve` starts the scheduler beside gunicorn; "separate": only a
    # `plue scheduler` host runs jobs; "off": nobody does (tests, embedding).
    mode = fields.String(load_default="serve", validate=validate.OneOf(["serve", "separate", "off"]))
    lease_seconds = fields.Integer(load_default=300, validate=validate.Range(min=1))
    # How long plue_job_run keeps each run: a job every second records 86,400 runs a day.
    job_runs_kept_hours = fields.Integer(load_default=24, validate=validate.Range(min=1))


class DaemonsSettings(Schema):
    class Meta:
        unknown = RAISE

    # "serve": `plue serve` starts one `plue daemons` process (the plugins' long-running
    # services, e.g. the SSH server) beside gunicorn; "separate": only a `plue daemons` host
    # runs them; "off": nobody does (tests, embedding).
    mode = fields.String(load_default="serve", validate=validate.OneOf(["serve", "separate", "off"]))


class PaginationSettings(Schema):
    class Meta:
        unknown = RAISE

    # Gitea's [api] DEFAULT_PAGING_NUM and MAX_RESPONSE_ITEMS.
    default_limit = fields.Integer(load_default=30, validate=validate.Range(min=1))
    max_limit = fields.Integer(load_default=50, validate=validate.Range(min=1))


class CoreSettings(Schema):
    class Meta:
        unknown = RAISE

    data_dir = fields.String(load_default="var")
    database_url = fields.String(load_default=None, allow_none=True)
    database_pool_size = fields.Integer(load_default=20, validate=validate.Range(min=1))
    # PostgreSQL: compiled hot queries as server-side prepared statements (off behind a pooler
    # in transaction mode, which moves a connection's statements between server sessions).
    database_prepared_statements = fields.Boolean(load_default=True)
    secret_key = fields.String(load_default=None, allow_none=True, validate=validate.Length(min=32))
    # None: derived from server.bind by public_url_from_bind (as Gitea derives ROOT_URL).
    base_url = fields.URL(load_default=None, allow_none=True, require_tld=False)
    site_name = fields.String(load_default="Plue")
    # Below this much free space (MiB) on the data directory's disk, /health is "degraded" and
    # admins get a system_alerts event (docs/websocket.md).
    disk_space_low_mb = fields.Integer(load_default=1024, validate=validate.Range(min=0))
    max_body_size = fields.Integer(load_default=10 * 1024 * 1024, validate=validate.Range(min=1))
    cors_origins = CommaList(fields.String(), load_default=list)
    # Peers whose Forwarded / X-Forwarded-For is believed (plue_core.client_address).
    trusted_proxies = NetworkList(fields.String(),
                                  load_default=lambda: parse_networks(DEFAULT_TRUSTED_PROXIES))
    log_level = fields.String(load_default="INFO", validate=validate.OneOf(
        ["DEBUG", "INFO", "WARNING", "ERROR"]))
    plugins = fields.Nested(PluginsSettings, load_default=lambda: PluginsSettings().load({}))
    server = fields.Nested(ServerSettings, load_default=lambda: ServerSettings().load({}))
    scheduler = fields.Nested(SchedulerSettings, load_default=lambda: SchedulerSettings().load({}))
    daemons = fields.Nested(DaemonsSettings, load_default=lambda: DaemonsSettings().load({}))
    pagination = fields.Nested(PaginationSettings, load_default=lambda: PaginationSettings().load({}))


CORE_SECTIONS = {"plugins", "server", "scheduler", "daemons", "pagination"}


def _error_message(errors: Mapping, prefix: str = "") -> str:
    parts = []
    for key, value in errors.items():
        path = f"{prefix}{key}"
        if isinstance(value, Mapping):
            parts.append(_error_message(value, path + "."))
        else:
            reason = "; ".join(str(v) for v in value) if isinstance(value, list) else str(value)
            if reason == "Unknown field.":
                reason = "unknown key"
            parts.append(f"{path}: {reason}")
    return ", ".join(parts)


class Config:
    """Validated configuration: core keys as attributes, plugin sections via ``section()``."""

    def __init__(self, core: dict[str, Any], raw: dict[str, Any], source: str | None,
                 deprecations: list[str] | None = None):
        self._core = core
        self._raw = raw
        self._sections: dict[str, dict[str, Any]] = {}
        self.source = source
        # What this configuration says in a way that still works but will not for ever
        # (a renamed plugin's former name); told once by report_deprecations.
        self.deprecations = list(deprecations or ())
        self._deprecations_reported = False

    def __getattr__(self, name: str) -> Any:
        try:
            return self._core[name]
        except KeyError:
            raise AttributeError(name) from None

    @property
    def data_path(self) -> pathlib.Path:
        return pathlib.Path(self._core["data_dir"])

    def section(self, name: str) -> dict[str, Any]:
        """The validated settings of plugin section ``name`` (empty when it declared none)."""
        return self._sections.get(name, {})

    def validate_sections(self, schemas: Mapping[str, type[Schema]], tolerated: set[str]) -> None:
        """Validate plugin sections; a section nobody owns is an error unless ``tolerated``
        (the sections of disabled plugins, so disabling a plugin needs no config surgery)."""
        for name, schema in schemas.items():
            data = self._raw.get(name, {})
            if not isinstance(data, Mapping):
                raise StartupError(f"config: [{name}] must be a table")
            try:
                self._sections[name] = schema(unknown=RAISE).load(data)
            except ValidationError as exc:
                raise StartupError(f"config: {_error_message(exc.messages, name + '.')}") from None
        for name in self._raw:
            if name not in schemas and name not in CORE_SECTIONS and name not in self._core \
                    and name not in tolerated:
                raise StartupError(f"config: unknown key {name!r}")

    def report_deprecations(self, report) -> None:
        """Hand each deprecation notice to ``report``, the first time only: the CLI prints
        them when it loads the config, the app logs them when it is built from it."""
        if not self._deprecations_reported:
            self._deprecations_reported = True
            for notice in self.deprecations:
                report(notice)

    def as_dict(self, *, redact: bool = True) -> dict[str, Any]:
        """Everything, for ``plue config show``; keys that hold secrets are redacted."""
        merged = copy.deepcopy(self._core)
        merged.update(copy.deepcopy(self._sections))
        return _redact(merged) if redact else merged


_SECRET_WORDS = ("secret", "password", "token", "key")


def _redact(value: Any, key: str = "") -> Any:
    if isinstance(value, dict):
        return {k: _redact(v, k) for k, v in value.items()}
    if value and any(word in key.lower() for word in _SECRET_WORDS):
        return "***"
    if key == "database_url" and isinstance(value, str) and "@" in value:
        scheme, rest = value.split("://", 1)
        return f"{scheme}://***@{rest.rsplit('@', 1)[1]}"
    return value


def redacted_database_url(url: str) -> str:
    """``database_url`` as it may be shown: without its password."""
    return _redact(url, "database_url")


def _deep_merge(base: dict, override: Mapping) -> dict:
    for key, value in override.items():
        if isinstance(value, Mapping) and isinstance(base.get(key), dict):
            _deep_merge(base[key], value)
        else:
            base[key] = value
    return base


def environment_overrides(environ: Mapping[str, str]) -> dict[str, Any]:
    """``PLUE_DATA_DIR`` -> ``{"data_dir": ...}``; ``PLUE_SECTION__KEY`` -> nested."""
    overrides: dict[str, Any] = {}
    core_keys = set(CoreSettings().fields) - CORE_SECTIONS
    for name, value in environ.items():
        if not name.startswith(ENV_PREFIX) or name == "PLUE_CONFIG":
            continue
        if name in ENV_ALIASES:
            section, key = ENV_ALIASES[name]
            overrides.setdefault(section, {})[key] = value
            continue
        rest = name[len(ENV_PREFIX):].lower()
        if "__" in rest:
            section, key = rest.split("__", 1)
            overrides.setdefault(section, {})[key] = value
        elif rest in core_keys:
            overrides[rest] = value
        # Other PLUE_* variables (PLUE_URL, PLUE_TOKEN for the SDK scripts) are not config.
    return overrides


def load_config(path: str | os.PathLike | None = None, overrides: Mapping[str, Any] | None = None,
                *, environ: Mapping[str, str] | None = None) -> Config:
    """Read defaults, the TOML file, the environment and ``overrides`` into a :class:`Config`."""
    environ = os.environ if environ is None else environ
    path = path or environ.get("PLUE_CONFIG")
    raw: dict[str, Any] = {}
    if path:
        try:
            raw = tomllib.loads(pathlib.Path(path).read_text())
        except FileNotFoundError:
            raise StartupError(f"config file {path} not found; create it or unset PLUE_CONFIG") from None
        except tomllib.TOMLDecodeError as exc:
            raise StartupError(f"config file {path} is not valid TOML: {exc}") from None
    # A renamed plugin's section is moved in each source before they merge, so precedence
    # holds across old and new names (PLUE_RUNNER_PILOT__X beats [runners] x in the file).
    notices: list[str] = []
    current_sections(raw, f"config file {path}", "[{name}]", notices, _deep_merge)
    environment = environment_overrides(environ)
    current_sections(environment, "environment", "PLUE_{NAME}__*", notices, _deep_merge)
    overrides = dict(overrides or {})
    current_sections(overrides, "config overrides", "[{name}]", notices, _deep_merge)
    _deep_merge(raw, environment)
    _deep_merge(raw, overrides)

    core_input = {k: v for k, v in raw.items() if k in CoreSettings().fields}
    try:
        core = CoreSettings().load(core_input)
    except ValidationError as exc:
        raise StartupError(f"config: {_error_message(exc.messages)}") from None
    if core["database_url"] is None:
        core["database_url"] = f"sqlite:///{core['data_dir']}/plue.db"
    if core["base_url"] is None:
        core["base_url"] = public_url_from_bind(core["server"]["bind"])
    for key in ("enabled", "disabled"):
        core["plugins"][key] = current_plugin_names(core["plugins"][key], f"[plugins] {key}",
                                                    notices)
    plugin_raw = {k: v for k, v in raw.items() if k not in CoreSettings().fields}
    return Config(core, plugin_raw, str(path) if path else None, notices)


# Addresses that mean "every interface": no client can use them, so links say localhost
# (Gitea's default DOMAIN).
_WILDCARD_HOSTS = {"", "0.0.0.0", "::", "[::]"}
GUNICORN_DEFAULT_PORT = 8000


def public_url_from_bind(bind: str) -> str:
    """The URL clients reach a server listening on ``bind`` (``host:port``) at: the default of
    ``base_url``, so every link Plue writes follows the address it listens on."""
    if bind.startswith(("unix:", "fd://")):
        raise StartupError(f"config: server.bind {bind!r} is not a TCP address, so no public URL "
                           "can be derived from it; set base_url")
    host, port = bind, str(GUNICORN_DEFAULT_PORT)
    if bind.startswith("["):  # [::1]:8000
        closing = bind.find("]")
        host, rest = bind[:closing + 1], bind[closing + 1:]
        if rest.startswith(":"):
            port = rest[1:]
    elif bind.count(":") == 1:
        host, port = bind.split(":")
    if not port.isdigit() or not 0 < int(port) < 65536:
        raise StartupError(f"config: server.bind {bind!r}: the port must be a number from 1 to 65535")
    host = "localhost" if host in _WILDCARD_HOSTS else host
    if ":" in host and not host.startswith("["):  # a bare IPv6 address without a port
        host = f"[{host}]"
    # Scheme-based normalisation (RFC 3986 6.2.3), as Gitea does: no ":80" for http.
    return f"http://{host}" if port == "80" else f"http://{host}:{port}"


def peek_secret_key(config: Config) -> str:
    """The configured or stored ``secret_key`` without creating one: when there is none yet,
    a throwaway key held in memory only (what is built with it is never stored)."""
    if not config.secret_key:
        key_file = config.data_path / "secret_key"
        stored = key_file.read_text().strip() if key_file.is_file() else ""
        config._core["secret_key"] = stored if len(stored) >= 32 else secrets.token_urlsafe(48)
    return config.secret_key


def ensure_secret_key(config: Config) -> str:
    """The configured ``secret_key``, or one generated once into ``<data_dir>/secret_key``."""
    if config.secret_key:
        return config.secret_key
    key_file = config.data_path / "secret_key"
    private_file(key_file)
    if not key_file.exists():
        private_directory(config.data_path)
        # O_EXCL: when several workers start at once, exactly one writes the key.
        try:
            fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass
        else:
            with os.fdopen(fd, "w") as handle:
                handle.write(secrets.token_urlsafe(48))
    key = key_file.read_text().strip()
    if len(key) < 32:  # another worker created the file but has not written it yet
        time.sleep(0.2)
        key = key_file.read_text().strip()
    config._core["secret_key"] = key
    return key
