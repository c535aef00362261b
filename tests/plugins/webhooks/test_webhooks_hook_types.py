"""Every hook type Gitea's ``CreateHookOption`` names is accepted (201, as Gitea answers) and
delivers its own body: Gitea's ``DingtalkPayload``, ``TelegramPayload``, ``FeishuPayload``,
``WechatworkPayload`` and ``PackagistPayload`` (``services/webhook/<type>.go``), compared
field by field (names and JSON types) at a local receiver, with Gitea's headers."""

from __future__ import annotations

import json
import pathlib
import urllib.parse

import pytest

from tests.plugins.webhooks.receiver import shape_errors

GITEA_SWAGGER = pathlib.Path(__file__).parents[2] / "e2e" / "gitea_swagger_v1.json"
NULL = type(None)
GITEA_ENUM = ("dingtalk", "discord", "gitea", "gogs", "msteams", "slack", "telegram", "feishu",
              "wechatwork", "packagist")
BODIES = {
    "dingtalk": {"msgtype": str, "text": {"content": str},
                 "link": {"text": str, "title": str, "picUrl": str, "messageUrl": str},
                 "markdown": {"text": str, "title": str},
                 "actionCard": {"text": str, "title": str, "hideAvatar": str,
                                "btnOrientation": str, "singleTitle": str, "singleURL": str,
                                "btns": NULL},
                 "feedCard": {"links": NULL}, "at": {"atMobiles": NULL, "isAtAll": bool}},
    "telegram": {"rich_message": {"html": str}},
    "feishu": {"msg_type": str, "content": {"text": str}},
    "wechatwork": {"msgtype": str,
                   "text": {"content": str, "mentioned_list": NULL,
                            "mentioned_mobile_list": NULL},
                   "markdown": {"content": str}},
    "packagist": {"repository": {"url": str}},
}


def test_the_served_document_offers_exactly_giteas_hook_types(forge):
    gitea = json.loads(GITEA_SWAGGER.read_text())["definitions"]["CreateHookOption"]
    served = forge.client.simulate_get("/api/openapi.json").json
    ours = served["components"]["schemas"]["CreateHookOption"]["properties"]["type"]
    assert ours["enum"] == gitea["properties"]["type"]["enum"] == list(GITEA_ENUM)


@pytest.mark.parametrize("kind", GITEA_ENUM)
def test_every_type_gitea_documents_is_created_as_gitea_creates_it(forge, receiver, kind):
    config = {"channel": "#dev"} if kind == "slack" else {}
    hook = forge.add_hook(receiver.url, type=kind, config=config)
    assert hook["type"] == kind
    assert forge.get(f"/repos/alice/project/hooks/{hook['id']}").json["type"] == kind


@pytest.mark.parametrize("kind", sorted(BODIES))
def test_a_push_reaches_each_chat_type_in_giteas_struct_for_it(forge, receiver, kind):
    forge.add_hook(receiver.url, type=kind, config={"package_url": "https://example.org/p"})
    forge.write_file("a.txt", "a\n")
    forge.send()
    [delivery] = receiver.deliveries
    assert delivery.headers["Content-Type"] == "application/json"
    assert delivery.headers["X-Gitea-Event"] == delivery.headers["X-Gitea-Event-Type"] == "push"
    body = json.loads(delivery.body)
    errors = shape_errors(body, BODIES[kind])
    assert not errors, "\n".join(errors)
    assert set(body) == set(BODIES[kind])


def test_the_chat_messages_say_what_happened_with_a_link(forge, receiver):
    for kind in ("dingtalk", "telegram", "feishu", "wechatwork"):
        forge.add_hook(f"{receiver.url}?{kind}", type=kind)
    forge.write_file("a.txt", "a\n")
    forge.send()
    by_kind = {d.path.rsplit("?", 1)[1]: json.loads(d.body) for d in receiver.deliveries}
    card = by_kind["dingtalk"]["actionCard"]
    assert by_kind["dingtalk"]["msgtype"] == "actionCard" and card["hideAvatar"] == "0"
    assert card["title"] == "[alice/project]:main 1 new commit by alice"
    link = urllib.parse.urlsplit(card["singleURL"])
    assert link.scheme == "dingtalk" and "/alice/project" in urllib.parse.parse_qs(
        link.query)["url"][0]
    rich = by_kind["telegram"]["rich_message"]["html"]
    assert rich.startswith('<a href="http') and "1 new commit by alice</a><br>" in rich
    assert by_kind["feishu"]["msg_type"] == "text"
    assert by_kind["feishu"]["content"]["text"].startswith("[alice/project]:main 1 new commit")
    assert by_kind["wechatwork"]["msgtype"] == "markdown"
    assert by_kind["wechatwork"]["markdown"]["content"].startswith("# [[alice/project]:main")


def test_a_telegram_hook_posts_to_the_rich_message_method(forge, receiver):
    hook = forge.add_hook(f"{receiver.url}/bot123:abc/sendMessage?chat_id=7", type="telegram")
    assert hook["config"]["url"].endswith("/sendMessage?chat_id=7")  # kept as given
    forge.write_file("a.txt", "a\n")
    forge.send()
    [delivery] = receiver.deliveries
    assert delivery.path == "/hook/bot123:abc/sendRichMessage?chat_id=7"


def test_a_packagist_hook_names_its_package_on_a_push_only(forge, receiver):
    hook = forge.add_hook(receiver.url, type="packagist", events=["push", "issues"],
                          config={"package_url": "https://packagist.org/packages/a/b"})
    assert hook["config"]["package_url"] == "https://packagist.org/packages/a/b"
    forge.write_file("a.txt", "a\n")
    assert forge.post("/repos/alice/project/issues", {"title": "t"}).status_code == 201
    forge.send()
    bodies = {d.event_type: json.loads(d.body) for d in receiver.deliveries}
    assert bodies == {"push": {"repository": {"url": "https://packagist.org/packages/a/b"}},
                      "issues": {"repository": {"url": ""}}}
