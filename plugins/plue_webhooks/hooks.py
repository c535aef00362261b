"""Hooks: create, edit, delete and render them, for whichever owner (a repository, an
organization, a user, or the site's system hooks). Access is decided by the caller (the
resources ask the owners' services); these functions only keep the hook rules."""

from __future__ import annotations

import dataclasses
import urllib.parse

from plue_core import transaction_memo
from plue_core.db import utcnow
from plue_core.errors import Invalid, NotFound
from plue_core.problems import problem
from plue_core.timestamps import rfc3339

from plue_webhooks import event_types
from plue_webhooks.branch_filter import matches
from plue_webhooks.models import Webhook, WebhookAttempt, WebhookDelivery

CONTENT_TYPES = ("json", "form")
HTTP_METHODS = ("POST", "PUT")
# The config fields a type keeps besides url and content_type: Slack's (as Gitea), and the
# package a packagist hook updates (Gitea's API keeps none, so its packagist hooks never send).
EXTRA_FIELDS = {"slack": ("channel", "username", "icon_url", "color"),
                "packagist": ("package_url",)}
# strconv.ParseBool's spellings, which Gitea reads ``config.is_system_webhook`` with.
_TRUE = ("1", "t", "T", "TRUE", "true", "True")
_FALSE = ("0", "f", "F", "FALSE", "false", "False")
# The site administrators' hooks (``/admin/hooks``): system hooks hear every repository;
# default hooks hear nothing themselves — each new repository gets a copy of its own.
SITE_KINDS = ("system", "default")
# ``GET /admin/hooks?type=``: Gitea's default is ``system`` (anything else too).
_SITE_LISTS = {"default": ("default",), "all": SITE_KINDS}
# The transaction memo's keys of the hooks' choices an event's audience made (outbox.heard).
AUDIENCE = "webhooks.audience"


def _hooks_changed() -> None:
    """A hook was written: the audiences this transaction remembered are stale."""
    transaction_memo.drop_where(lambda key: key[:1] == (AUDIENCE,))


@dataclasses.dataclass(frozen=True)
class HookOwner:
    """Whose hooks: ``kind`` repository (``repository_id``), organization or user
    (``owner_id``), or system; ``repository`` is the row for repository hooks."""

    kind: str
    repository_id: int | None = None
    owner_id: int | None = None
    repository: object = None

    def condition(self):
        if self.kind == "system":
            return Webhook.owner_kind.in_(SITE_KINDS)
        where = Webhook.owner_kind == self.kind
        if self.kind == "repository":
            return where & (Webhook.repository_id == self.repository_id)
        if self.kind in ("organization", "user"):
            return where & (Webhook.owner_id == self.owner_id)
        return where


def hooks_of(owner: HookOwner, site_list: str | None = None):
    """``owner``'s hooks; for the site's, those of ``site_list`` (Gitea's ``type``)."""
    where = owner.condition()
    if owner.kind == "system":
        where = Webhook.owner_kind.in_(_SITE_LISTS.get(site_list or "", ("system",)))
    return Webhook.select().where(where).order_by(Webhook.id)


def get_hook(owner: HookOwner, hook_id: int) -> Webhook:
    hook = Webhook.select().where(owner.condition() & (Webhook.id == hook_id)).first()
    if hook is None:
        raise NotFound(f"webhook {hook_id} does not exist")
    return hook


def hook_json(hook: Webhook) -> dict:
    """Gitea's ``Hook``. The secret and the authorization header are write-only."""
    config = {"url": hook.url, "content_type": hook.content_type,
              "http_method": hook.http_method}
    config.update({name: hook.extra_config.get(name, "")
                   for name in EXTRA_FIELDS.get(hook.type, ())})
    return {"id": hook.id, "type": hook.type, "name": hook.name,
            "branch_filter": hook.branch_filter, "config": config,
            "events": event_types.shown(hook.events),
            "authorization_header": "", "active": hook.active,
            "updated_at": rfc3339(hook.updated_at), "created_at": rfc3339(hook.created_at)}


def create_hook(service, owner: HookOwner, options: dict) -> Webhook:
    kind = owner.kind
    is_system = _is_system_webhook(options["config"])  # read (and refused) for every owner
    if kind == "system":
        kind = "system" if is_system else "default"
    hook = Webhook(owner_kind=kind, repository_id=owner.repository_id,
                   owner_id=owner.owner_id, type=options["type"], name=options["name"],
                   active=options["active"], extra_config={})
    _apply_config(service, hook, options["config"], creating=True)
    hook.events = _events(service, options["events"])
    hook.branch_filter = _branch_filter(options["branch_filter"])
    _set_authorization(service, hook, options["authorization_header"])
    hook.save()
    _hooks_changed()
    return hook


def edit_hook(service, hook: Webhook, options: dict) -> Webhook:
    if "config" in options:
        _apply_config(service, hook, options["config"], creating=False)
    if "events" in options:
        hook.events = _events(service, options["events"])
    if "branch_filter" in options:
        hook.branch_filter = _branch_filter(options["branch_filter"])
    if "authorization_header" in options:
        _set_authorization(service, hook, options["authorization_header"])
    for name in ("active", "name"):
        if name in options:
            setattr(hook, name, options[name])
    hook.updated_at = utcnow()
    hook.save()
    _hooks_changed()
    return hook


def delete_hook(hook: Webhook) -> None:
    """The hook and its delivery records (explicitly: SQLite may not enforce cascades)."""
    deliveries = WebhookDelivery.select(WebhookDelivery.id).where(WebhookDelivery.webhook == hook.id)
    WebhookAttempt.delete().where(WebhookAttempt.delivery.in_(deliveries)).execute()
    WebhookDelivery.delete().where(WebhookDelivery.webhook == hook.id).execute()
    hook.delete_instance()
    _hooks_changed()


def copy_default_hooks(repository_id: int) -> None:
    """A new repository gets its own copy of each default hook, as Gitea's
    ``CopyDefaultWebhooksToRepo``: from then on a repository hook like any other."""
    now = utcnow()
    copied = False
    for hook in Webhook.select().where(Webhook.owner_kind == "default").order_by(Webhook.id):
        data = {**hook.__data__, "owner_kind": "repository", "repository_id": repository_id,
                "owner_id": None, "created_at": now, "updated_at": now}
        data.pop("id")
        Webhook.create(**data)
        copied = True
    if copied:
        _hooks_changed()


def delete_hooks_where(condition) -> None:
    for hook in Webhook.select().where(condition):
        delete_hook(hook)


# --- validation --------------------------------------------------------------------------------


def _apply_config(service, hook: Webhook, config: dict, *, creating: bool) -> None:
    if creating or "url" in config:
        hook.url = _url(config.get("url", ""))
    if creating or "content_type" in config:
        content_type = config.get("content_type", "")
        if content_type not in CONTENT_TYPES:
            raise Invalid("config.content_type must be json or form",
                          details=[problem("config.content_type", content_type, "json or form")])
        hook.content_type = content_type
    if "http_method" in config or creating:
        method = (config.get("http_method") or "POST").upper()
        if method not in HTTP_METHODS:
            raise Invalid("config.http_method must be POST or PUT",
                          details=[problem("config.http_method", method, "POST or PUT")])
        hook.http_method = method
    if "secret" in config:
        hook.sealed_secret = service.secret_box.encrypt(config["secret"]) if config["secret"] else ""
    fields = EXTRA_FIELDS.get(hook.type, ())
    if fields:
        extra = dict(hook.extra_config)
        extra.update({name: config[name] for name in fields if name in config})
        hook.extra_config = extra
    if hook.type == "slack" and not hook.extra_config.get("channel", "").strip():
        raise Invalid("config.channel: a slack hook needs a channel",
                      details=[problem("config.channel", expected="a Slack channel")])


def _is_system_webhook(config: dict) -> bool:
    """Gitea's reading of ``config.is_system_webhook``: absent or empty is false (a default
    hook), otherwise a Go boolean spelling or a 422."""
    raw = config.get("is_system_webhook", "")
    if raw in _TRUE or raw in _FALSE or raw == "":
        return raw in _TRUE
    raise Invalid("Invalid is_system_webhook value",
                  details=[problem("config.is_system_webhook", raw, "true or false")])


def _url(url: str) -> str:
    try:  # "http://[zz]/" or a port past 65535: no request could ever be sent there
        parsed = urllib.parse.urlsplit(url)
        _ = parsed.port  # raises for a port that is not a number in range
    except ValueError:
        parsed = None
    if parsed is None or parsed.scheme not in ("http", "https") or not parsed.hostname:
        raise Invalid("config.url must be an http or https URL",
                      details=[problem("config.url", url, "an http:// or https:// URL")])
    return url


def _events(service, events: list[str]) -> list[str]:
    known = service.selectable_events()
    unknown = [name for name in events if name not in known]
    if unknown:
        raise Invalid(f"events: unknown webhook event(s): {', '.join(unknown)}",
                      details=[problem("events", unknown, "events among: "
                                       + ", ".join(sorted(known)))])
    # Gitea's default: a hook without events receives pushes.
    return list(dict.fromkeys(events)) or ["push"]


def _branch_filter(pattern: str) -> str:
    pattern = pattern.strip()
    if pattern.count("{") != pattern.count("}"):
        raise Invalid("branch_filter has unbalanced braces",
                      details=[problem("branch_filter", pattern, "a glob such as main or {main,release/*}")])
    return pattern


def _set_authorization(service, hook: Webhook, header: str) -> None:
    if "\r" in header or "\n" in header:
        raise Invalid("authorization_header must be one line",
                      details=[problem("authorization_header", expected="one line")])
    hook.sealed_authorization = service.authorization_box.encrypt(header) if header else ""


def wanted_by(events: list[str], branch_filter: str, event_type: str,
              branch: str | None) -> bool:
    """Whether a hook with ``events`` and ``branch_filter`` receives an event of
    ``event_type`` about ``branch`` (None: about no branch)."""
    if not event_types.selects(events, event_type):
        return False
    if branch is not None and event_type in event_types.BRANCH_FILTERED:
        return matches(branch_filter, branch)
    return True
