"""Gitea's default (template) hooks: ``POST /admin/hooks`` without
``config.is_system_webhook: "true"`` makes a default hook, which hears nothing itself; each
repository created afterwards (a new one, a fork) gets a repository hook of its own copied from
it. ``GET /admin/hooks?type=system|default|all`` lists them as Gitea (``system`` by default)."""

from __future__ import annotations


def test_a_default_hook_is_copied_into_each_new_repository_and_hears_nothing_itself(
        forge, receiver):
    default = forge.add_hook(receiver.url + "?default", path="/admin/hooks", as_user="root",
                             events=["push"], branch_filter="main")
    system = forge.add_hook(receiver.url + "?system", path="/admin/hooks", as_user="root",
                            events=["repository"], config={"is_system_webhook": "true"})

    listed = {kind: [hook["id"] for hook in forge.get("/admin/hooks", params=params,
                                                      as_user="root").json]
              for kind, params in (("plain", {}), ("system", {"type": "system"}),
                                   ("default", {"type": "default"}), ("all", {"type": "all"}),
                                   ("other", {"type": "nonsense"}))}
    assert listed == {"plain": [system["id"]], "system": [system["id"]],
                      "default": [default["id"]], "all": [default["id"], system["id"]],
                      "other": [system["id"]]}
    assert forge.get(f"/admin/hooks/{default['id']}", as_user="root").json == default

    assert forge.get("/repos/alice/project/hooks").json == []  # made before: no copy
    forge.create_repo("fresh")
    copies = forge.get("/repos/alice/fresh/hooks").json
    assert len(copies) == 1 and copies[0]["id"] != default["id"]
    assert {key: copies[0][key] for key in ("type", "config", "events", "branch_filter",
                                             "active")} == \
        {key: default[key] for key in ("type", "config", "events", "branch_filter", "active")}
    forked = forge.post("/repos/alice/project/forks", {"name": "project-fork"}, as_user="bob")
    assert forked.status_code == 202, forked.text
    assert len(forge.get("/repos/bob/project-fork/hooks", as_user="bob").json) == 1

    forge.write_file("a.txt", "a\n")               # alice/project: no copy of its own
    forge.write_file("a.txt", "a\n", repo="alice/fresh")
    forge.send()
    heard = sorted((d.path, d.event_type) for d in receiver.deliveries)
    assert heard == [("/hook?default", "push"),    # the copy in alice/fresh, with the secret
                     ("/hook?system", "repository"), ("/hook?system", "repository")]
    pushed = receiver.of("push")[0]
    assert receiver.check(pushed, "s3cret")["repository"]["full_name"] == "alice/fresh"

    # The copy is the repository's own: editing or deleting the default leaves it.
    assert forge.delete(f"/admin/hooks/{default['id']}", as_user="root").status_code == 204
    assert forge.get(f"/admin/hooks/{default['id']}", as_user="root").status_code == 404
    assert len(forge.get("/repos/alice/fresh/hooks").json) == 1


def test_is_system_webhook_is_read_as_gitea_reads_a_boolean(forge, receiver):
    for raw, kind in (("True", "system"), ("1", "system"), ("false", "default"), ("", "default")):
        hook = forge.add_hook(receiver.url, path="/admin/hooks", as_user="root",
                              config={"is_system_webhook": raw})
        ids = [h["id"] for h in forge.get("/admin/hooks", params={"type": kind},
                                          as_user="root").json]
        assert hook["id"] in ids, raw
    refused = forge.post("/admin/hooks", {"type": "gitea", "config": {
        "url": receiver.url, "content_type": "json", "is_system_webhook": "yes"}}, as_user="root")
    assert refused.status_code == 422 and refused.json["message"] == "Invalid is_system_webhook value"
    # Gitea reads it for every owner; a repository's hook stays the repository's.
    assert forge.post("/repos/alice/project/hooks", {"type": "gitea", "config": {
        "url": receiver.url, "content_type": "json", "is_system_webhook": "yes"}}).status_code == 422
    hook = forge.add_hook(receiver.url, config={"is_system_webhook": "true"})
    assert forge.get("/repos/alice/project/hooks").json[0]["id"] == hook["id"]
