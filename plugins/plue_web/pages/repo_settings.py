"""A repository's settings, at Gitea's paths, for its administrators only (anyone else gets
the 404 Gitea's ``reqRepoAdmin`` gives): ``/settings`` (description, website, visibility,
default branch, units, merge styles), ``/settings/collaboration`` (add, change, remove
collaborators) and ``/settings/branches`` (branch protection rules: list, add, edit,
delete). Every change is the API's own, through ``ctx.services["git_hosting"]`` and
``ctx.services["pulls"]``: the same validation (422 naming the field), the same rules."""

from __future__ import annotations

import falcon

from plue_core.errors import BadRequest, Conflict, Forbidden, Invalid, NotFound
from plue_core.integers import is_digits

from plue_web.pages.base import row_id
from plue_web.pages.repository import RepositoryPage

MERGE_STYLES = (("allow_merge_commits", "Create a merge commit"),
                ("allow_rebase", "Rebase and fast-forward"),
                ("allow_rebase_explicit", "Rebase and create a merge commit"),
                ("allow_squash_merge", "Squash and merge"),
                ("allow_fast_forward_only_merge", "Fast-forward only"))
UNITS = (("has_issues", "Issues"), ("has_pull_requests", "Pull requests"),
         ("has_actions", "Actions"))
PERMISSIONS = ("read", "write", "admin")


class SettingsPage(RepositoryPage):
    """A page of the settings: signed in (else to the sign-in page), the repository visible
    (else 404) and its administrator (else 404 too, as Gitea)."""

    tab = ""

    def admin_access(self, req, owner: str, repo: str, *, writes: bool = False):
        identity = self.require_signed_in(req)
        access = self.hosting.require_repository(identity, owner, repo)
        if not access.allows("admin"):
            raise NotFound(f"repository {owner}/{repo} has no settings you may see")
        if writes:  # an archived repository refuses these changes, as the API does (423)
            self.hosting.require_repository(identity, owner, repo, "admin", writes=True)
        return access.repository

    def show(self, req, resp, repository, template: str, *, status=falcon.HTTP_200,
             **values) -> None:
        self.render(req, resp, template, status=status, **self.common(
            req, repository, settings_tab=self.tab, error=values.pop("error", ""),
            has_hooks="webhooks" in self.face.ctx.services,
            has_deploy_keys="ssh" in self.face.ctx.services, **values))

    def back(self, repository, path: str = "") -> falcon.HTTPSeeOther:
        return falcon.HTTPSeeOther(f"/{repository.owner.name}/{repository.name}/settings{path}")


def _checked(form: dict, name: str) -> bool:
    return form.get(name) not in (None, "", "0", "off")


class RepositorySettingsPage(SettingsPage):
    tab = "options"

    def branch_names(self, repository) -> list[str]:
        if repository.is_empty:
            return []
        with self.hosting.reader(repository) as reader:
            return reader.branch_names()

    def on_get(self, req, resp, owner, repo):
        repository = self.admin_access(req, owner, repo)
        self.show(req, resp, repository, "settings/options.html",
                  branches=self.branch_names(repository), merge_styles=MERGE_STYLES, units=UNITS)

    def on_post(self, req, resp, owner, repo):
        repository = self.admin_access(req, owner, repo)
        form = self.form(req)
        changes = {"description": form.get("description", "").strip(),
                   "website": form.get("website", "").strip(),
                   "private": _checked(form, "private")}
        if form.get("default_branch"):
            changes["default_branch"] = form["default_branch"]
        for name, _ in MERGE_STYLES + UNITS:
            changes[name] = _checked(form, name)
        try:
            self.hosting.edit_repository(repository, changes)
        except (Invalid, NotFound) as refused:  # a 404 here: the branch named does not exist
            return self.show(req, resp, repository, "settings/options.html",
                             status=falcon.HTTP_422, error=refused.message,
                             branches=self.branch_names(repository), merge_styles=MERGE_STYLES,
                             units=UNITS)
        raise self.back(repository)


class CollaborationPage(SettingsPage):
    """``action``: ``add`` (``collaborator``, ``permission``), ``change`` (``name``,
    ``permission``) or ``remove`` (``name``)."""

    tab = "collaboration"

    def on_get(self, req, resp, owner, repo):
        repository = self.admin_access(req, owner, repo)
        self.show(req, resp, repository, "settings/collaboration.html",
                  collaborators=self.hosting.collaborators(repository), permissions=PERMISSIONS)

    def on_post(self, req, resp, owner, repo):
        form = self.form(req)
        action = form.get("action", "")
        if action not in ("add", "change", "remove"):
            raise Invalid(f"action: must be add, change or remove; got {action!r}")
        # Removing works on an archived repository too (the API's DELETE does).
        repository = self.admin_access(req, owner, repo, writes=action != "remove")
        if action == "remove":
            self.hosting.remove_collaborator(repository, form.get("name", ""))
            raise self.back(repository, "/collaboration")
        name = (form.get("collaborator") if action == "add" else form.get("name")) or ""
        try:
            self.hosting.add_collaborator(repository, name.strip(), form.get("permission", ""))
        except Invalid as invalid:
            return self.show(req, resp, repository, "settings/collaboration.html",
                             status=falcon.HTTP_422, error=invalid.message,
                             collaborators=self.hosting.collaborators(repository),
                             permissions=PERMISSIONS)
        raise self.back(repository, "/collaboration")


# The rule form: checkboxes, name lists (comma or line separated) and the approvals count.
RULE_SWITCHES = (("enable_push", "Allow pushes (to those with write access)"),
                 ("enable_push_whitelist", "…only from these users:"),
                 ("enable_status_check", "Require status checks to pass"),
                 ("block_on_rejected_reviews", "Block merging when changes are requested"),
                 ("dismiss_stale_approvals", "Dismiss approvals when new commits are pushed"),
                 ("block_on_outdated_branch", "Block merging when the branch is behind its base"))
RULE_LISTS = (("push_whitelist_usernames", "Users who may push"),
              ("status_check_contexts", "Required status checks"))


def _names(text: str) -> list[str]:
    return [name.strip() for name in text.replace(",", "\n").splitlines() if name.strip()]


class BranchesSettingsPage(SettingsPage):
    tab = "branches"

    def on_get(self, req, resp, owner, repo):
        repository = self.admin_access(req, owner, repo)
        self.show(req, resp, repository, "settings/branches.html",
                  rules=self.face.pulls.protection_rules(repository))


class BranchRuleEditPage(SettingsPage):
    """``GET /settings/branches/edit[?rule_name=]``: the form, empty or of a rule; ``POST``
    saves it (``original_name`` empty: a new rule)."""

    tab = "branches"

    def form_values(self, rule_name: str, options: dict) -> dict:
        return {"rule_name": rule_name, "options": options, "switches": RULE_SWITCHES,
                "lists": {key: "\n".join(options.get(key) or []) for key, _ in RULE_LISTS},
                "list_labels": RULE_LISTS, "original_name": rule_name}

    def on_get(self, req, resp, owner, repo):
        repository = self.admin_access(req, owner, repo)
        name = req.get_param("rule_name") or ""
        options = self.face.pulls.protection_rule(repository, name).options if name else {}
        self.show(req, resp, repository, "settings/branch_rule.html",
                  **self.form_values(name, options))

    def on_post(self, req, resp, owner, repo):
        repository = self.admin_access(req, owner, repo, writes=True)
        form = self.form(req)
        options: dict = {name: _checked(form, name) for name, _ in RULE_SWITCHES}
        for name, _ in RULE_LISTS:
            options[name] = _names(form.get(name, ""))
        approvals = form.get("required_approvals", "").strip() or "0"
        options["required_approvals"] = int(approvals) if is_digits(approvals) and \
            len(approvals) < 10 else approvals  # anything else: the schema's 422 names it
        original = form.get("original_name", "")
        pulls = self.face.pulls
        try:
            if original:
                pulls.edit_protection(repository, original, options)
            else:
                pulls.create_protection(repository,
                                        {**options, "rule_name": form.get("rule_name", "")})
        except (Invalid, BadRequest, Forbidden) as refused:
            # The API's answers: a bad field (422), no name (400), the name taken (403; the
            # viewer's own access was checked above).
            values = self.form_values(form.get("rule_name", original), options)
            values["original_name"] = original
            return self.show(req, resp, repository, "settings/branch_rule.html",
                             status=falcon.code_to_http_status(refused.status),
                             error=refused.message, **values)
        raise self.back(repository, "/branches")


class BranchRuleDeletePage(SettingsPage):
    def on_post(self, req, resp, owner, repo):
        repository = self.admin_access(req, owner, repo, writes=True)
        self.face.pulls.delete_protection(repository, self.form(req).get("rule_name", ""))
        raise self.back(repository, "/branches")


class ActionsValuesPage(SettingsPage):
    """``/settings/actions/secrets`` and ``/settings/actions/variables``: names and
    descriptions listed, a value written once and never shown again (not even a variable's,
    on these pages). ``action``: ``add`` (``name``, ``data``, ``description``) or ``delete``
    (``name``)."""

    kind = "secret"  # or "variable"

    @property
    def tab(self) -> str:
        return f"{self.kind}s"

    def rows(self, repository) -> list[dict]:
        actions = self.face.actions
        return (actions.repository_secrets(repository.id) if self.kind == "secret"
                else actions.repository_variables(repository.id))

    def show_list(self, req, resp, repository, *, status=falcon.HTTP_200, error="",
                  name="", description="") -> None:
        self.show(req, resp, repository, "settings/actions_values.html", status=status,
                  error=error, kind=self.kind, rows=self.rows(repository), name=name,
                  description=description)

    def on_get(self, req, resp, owner, repo):
        self.show_list(req, resp, self.admin_access(req, owner, repo))

    def on_post(self, req, resp, owner, repo):
        repository = self.admin_access(req, owner, repo, writes=True)
        form = self.form(req)
        action, name = form.get("action", ""), form.get("name", "").strip()
        actions = self.face.actions
        if action == "delete":
            if self.kind == "secret":
                actions.delete_repository_secret(repository.id, name)
            else:
                actions.delete_repository_variable(repository.id, name)
            raise self.back(repository, f"/actions/{self.kind}s")
        if action != "add":
            raise Invalid(f"action: must be add or delete; got {action!r}")
        description = form.get("description", "").strip()
        try:
            if not form.get("data"):  # Gitea's form requires it (the API takes "" as data)
                raise Invalid(f"value: a {self.kind} needs a value")
            if self.kind == "secret":
                actions.put_repository_secret(repository.id, name, form.get("data", ""),
                                              description)
            else:
                actions.create_repository_variable(repository.id, name, form.get("data", ""),
                                                   description)
        except (Invalid, Conflict) as refused:  # the value is not sent back into the form
            # A form's refusal is 422 (the API answers a refused name 400, as Gitea's does).
            status = falcon.HTTP_422 if isinstance(refused, Invalid) else falcon.HTTP_409
            return self.show_list(req, resp, repository, status=status,
                                  error=refused.message, name=name, description=description)
        raise self.back(repository, f"/actions/{self.kind}s")


class SecretsPage(ActionsValuesPage):
    kind = "secret"


class VariablesPage(ActionsValuesPage):
    kind = "variable"


class HooksPage(SettingsPage):
    """``/settings/hooks`` (when the webhooks plugin is enabled): the repository's hooks
    (URL, events, active), a Gitea hook added (``url``, ``content_type``, ``secret``,
    ``event_{name}`` checkboxes — none: pushes, as Gitea — ``branch_filter``, ``active``)
    or deleted (``action=delete``, ``id``). The secret is written, never shown."""

    tab = "hooks"

    @property
    def webhooks(self):
        return self.face.ctx.services["webhooks"]

    def show_list(self, req, resp, repository, *, status=falcon.HTTP_200, error="",
                  values=None) -> None:
        self.show(req, resp, repository, "settings/hooks.html", status=status, error=error,
                  hooks=self.webhooks.repository_hooks(repository),
                  events=sorted(self.webhooks.selectable_events()),
                  values=values or {"url": "", "content_type": "json", "branch_filter": "",
                                    "events": ["push"], "active": True})

    def on_get(self, req, resp, owner, repo):
        self.show_list(req, resp, self.admin_access(req, owner, repo))

    def on_post(self, req, resp, owner, repo):
        repository = self.admin_access(req, owner, repo)
        form = self.form(req)
        if form.get("action") == "delete":
            raw = form.get("id", "")
            self.webhooks.delete_repository_hook(repository, row_id(raw))
            raise self.back(repository, "/hooks")
        events = [name[len("event_"):] for name in form if name.startswith("event_")]
        values = {"url": form.get("url", "").strip(), "content_type": form.get("content_type", ""),
                  "branch_filter": form.get("branch_filter", "").strip(), "events": events,
                  "active": _checked(form, "active")}
        try:
            self.webhooks.create_repository_hook(repository, {
                "type": "gitea", "events": events, "active": values["active"],
                "branch_filter": values["branch_filter"],
                "config": {"url": values["url"], "content_type": values["content_type"],
                           "secret": form.get("secret", "")}})
        except Invalid as invalid:  # the secret is not sent back into the form
            return self.show_list(req, resp, repository, status=falcon.HTTP_422,
                                  error=invalid.message, values=values)
        raise self.back(repository, "/hooks")


class HookPage(HooksPage):
    """``/settings/hooks/{hook_id}``, Gitea's hook page: its settings and its recent
    deliveries (event, delivery id, state, the last answer or error), with Gitea's **Test
    delivery** (``action=test``: the default branch's last commit as a push) and a delivery's
    **Redeliver** (``action=redeliver``, ``id``), through ``ctx.services["webhooks"]``."""

    def on_get(self, req, resp, owner, repo, hook_id):
        repository = self.admin_access(req, owner, repo)
        self.show(req, resp, repository, "settings/hook.html",
                  hook=self.webhooks.repository_hook(repository, hook_id),
                  deliveries=self.webhooks.repository_hook_deliveries(repository, hook_id))

    def on_post(self, req, resp, owner, repo, hook_id):
        identity = self.require_signed_in(req)
        repository = self.admin_access(req, owner, repo)
        form = self.form(req)
        action = form.get("action")
        if action == "test":
            self.webhooks.test_repository_hook(repository, hook_id, identity)
        elif action == "redeliver":
            self.webhooks.redeliver_repository_delivery(repository, hook_id,
                                                        row_id(form.get("id", "")))
        else:
            raise BadRequest(f"action: {action!r} is not test or redeliver")
        raise self.back(repository, f"/hooks/{hook_id}")


class DeployKeysPage(SettingsPage):
    """``/settings/keys`` (when the ssh plugin is enabled), Gitea's deploy keys page: the
    repository's keys (title, fingerprint, read-only or not), one added (``title``,
    ``content``, ``is_writable`` -- Gitea's fields) or deleted (``action=delete``, ``id``),
    through ``ctx.services["ssh"]``: the API's rules and 422s."""

    tab = "keys"

    @property
    def ssh(self):
        return self.face.ctx.services["ssh"]

    def show_list(self, req, resp, repository, *, status=falcon.HTTP_200, error="",
                  values=None) -> None:
        self.show(req, resp, repository, "settings/keys.html", status=status, error=error,
                  keys=list(self.ssh.deploy_keys_of(repository.id)),
                  values=values or {"title": "", "content": "", "is_writable": False})

    def on_get(self, req, resp, owner, repo):
        self.show_list(req, resp, self.admin_access(req, owner, repo))

    def on_post(self, req, resp, owner, repo):
        identity = self.require_signed_in(req)
        repository = self.admin_access(req, owner, repo)
        form = self.form(req)
        if form.get("action") == "delete":
            self.ssh.delete_deploy_key(repository.id, row_id(form.get("id", "")))
            raise self.back(repository, "/keys")
        values = {"title": form.get("title", "").strip(), "content": form.get("content", ""),
                  "is_writable": _checked(form, "is_writable")}
        try:
            self.ssh.add_deploy_key(repository.id, identity.user_id, title=values["title"],
                                    key=values["content"], read_only=not values["is_writable"])
        except Invalid as invalid:
            return self.show_list(req, resp, repository, status=falcon.HTTP_422,
                                  error=invalid.message, values=values)
        raise self.back(repository, "/keys")
