"""The message each hook type receives: ``gitea`` the payload itself; the chat types
(``slack``, ``discord``, ``msteams``, ``dingtalk``, ``telegram``, ``feishu``, ``wechatwork``)
a message in their own formats, summarising the payload in one line with a link (as Gitea's
``services/webhook/<type>.go`` do); ``packagist`` Packagist's update-package request."""

from __future__ import annotations

import html
import urllib.parse

from plue_webhooks import event_types

GREEN, BLUE, RED, GREY = 0x1AC600, 0x0366D6, 0xFF0000, 0x4F545C


def _name(user: dict | None) -> str:
    return (user or {}).get("login") or (user or {}).get("username") or "someone"


def summary(event_type: str, payload: dict) -> tuple[str, str, int]:
    """``(text, url, color)`` for a chat message about ``payload``."""
    repo = payload.get("repository") or {}
    full_name = repo.get("full_name", "")
    sender = _name(payload.get("sender") or payload.get("pusher"))
    where = f"[{full_name}]"
    if event_type == "push":
        branch = payload["ref"].rsplit("/", 1)[-1] if payload.get("ref") else ""
        count = payload.get("total_commits", 0)
        noun = "commit" if count == 1 else "commits"
        lines = [f"{where}:{branch} {count} new {noun} by {sender}"]
        lines += [f"{c['id'][:10]}: {c['message'].splitlines()[0] if c['message'] else ''}"
                  for c in payload.get("commits", [])]
        return "\n".join(lines), payload.get("compare_url") or repo.get("html_url", ""), BLUE
    if event_type in ("create", "delete"):
        verb = "created" if event_type == "create" else "deleted"
        color = GREEN if event_type == "create" else RED
        return (f"{where} {payload.get('ref_type')} {payload.get('ref')} {verb} by {sender}",
                repo.get("html_url", ""), color)
    if event_type == "fork":
        forkee = payload.get("forkee") or {}
        return (f"{forkee.get('full_name')} is forked to {full_name}", repo.get("html_url", ""),
                GREY)
    if event_type == "repository":
        return (f"{where} repository {payload.get('action')} by {sender}",
                repo.get("html_url", ""), GREY)
    thing = payload.get("pull_request") if event_type.startswith("pull_request") \
        else payload.get("issue")
    thing = thing or payload.get("issue") or {}
    number = thing.get("number", payload.get("number"))
    title = thing.get("title", "")
    if "comment" in event_type and payload.get("comment"):
        text = f"{where} new comment on #{number} {title} by {sender}"
        return text, payload["comment"].get("html_url") or thing.get("html_url", ""), GREY
    if event_type in event_types.REVIEW_TYPES:
        verdict = (payload.get("review") or {}).get("type", "").rsplit("_", 1)[-1]
        return (f"{where} pull request #{number} {title} review {verdict} by {sender}",
                thing.get("html_url", ""), GREEN if verdict == "approved" else RED)
    action = payload.get("action", event_type)
    kind = "pull request" if event_type.startswith("pull_request") else "issue"
    color = GREEN if action == "opened" else RED if action == "closed" else BLUE
    return f"{where} {kind} {action}: #{number} {title} by {sender}", thing.get("html_url", ""), color


def slack_message(hook, event_type: str, payload: dict) -> dict:
    text, url, color = summary(event_type, payload)
    extra = hook.extra_config
    message = {"channel": extra.get("channel", ""), "username": extra.get("username", ""),
               "icon_url": extra.get("icon_url", ""), "text": f"{text}\n<{url}|open>" if url else text}
    if extra.get("color"):
        message["attachments"] = [{"color": extra["color"], "text": text}]
    return message


def discord_message(hook, event_type: str, payload: dict) -> dict:
    text, url, color = summary(event_type, payload)
    title, _, rest = text.partition("\n")
    sender = payload.get("sender") or payload.get("pusher") or {}
    return {"embeds": [{"title": title, "description": rest, "url": url, "color": color,
                        "author": {"name": _name(sender), "url": sender.get("html_url", ""),
                                   "icon_url": sender.get("avatar_url", "")}}]}


def msteams_message(hook, event_type: str, payload: dict) -> dict:
    text, url, color = summary(event_type, payload)
    title, _, rest = text.partition("\n")
    sender = payload.get("sender") or payload.get("pusher") or {}
    repo = payload.get("repository") or {}
    return {"@type": "MessageCard", "@context": "https://schema.org/extensions",
            "themeColor": f"{color:06x}", "title": title, "summary": title,
            "sections": [{"activityTitle": _name(sender), "activitySubtitle": title,
                          "activityImage": sender.get("avatar_url", ""), "text": rest,
                          "facts": [{"name": "Repository:", "value": repo.get("full_name", "")},
                                    {"name": "Event:", "value": event_type}],
                          "markdown": True}],
            "potentialAction": [{"@type": "OpenUri", "name": "View in Plue",
                                 "targets": [{"os": "default", "uri": url}]}]}


def dingtalk_message(hook, event_type: str, payload: dict) -> dict:
    """Gitea's ``DingtalkPayload`` (the dingtalk_webhook library's ``Payload``, every part
    present): a single-link ``actionCard`` whose link opens in the browser."""
    text, url, _ = summary(event_type, payload)
    title = text.partition("\n")[0]
    link = "dingtalk://dingtalkclient/page/link?pc_slide=false&url=" + urllib.parse.quote_plus(url)
    return {"msgtype": "actionCard", "text": {"content": ""},
            "link": {"text": "", "title": "", "picUrl": "", "messageUrl": ""},
            "markdown": {"text": "", "title": ""},
            "actionCard": {"text": text.strip(), "title": title.strip(), "hideAvatar": "0",
                           "btnOrientation": "", "singleTitle": "view", "singleURL": link,
                           "btns": None},
            "feedCard": {"links": None}, "at": {"atMobiles": None, "isAtAll": False}}


def telegram_message(hook, event_type: str, payload: dict) -> dict:
    """Gitea's ``TelegramPayload``: ``rich_message.html``, the title a link, lines joined by
    ``<br>`` (rich messages collapse bare newlines)."""
    text, url, _ = summary(event_type, payload)
    title, _, rest = text.partition("\n")
    first = f'<a href="{html.escape(url)}">{html.escape(title)}</a>' if url else html.escape(title)
    lines = [first, *map(html.escape, rest.splitlines())] if rest else [first]
    return {"rich_message": {"html": "<br>".join(lines)}}


def feishu_message(hook, event_type: str, payload: dict) -> dict:
    """Gitea's ``FeishuPayload``: a ``text`` message, lines joined by CRLF."""
    text, url, _ = summary(event_type, payload)
    lines = [*text.splitlines(), url] if url else text.splitlines()
    return {"msg_type": "text", "content": {"text": "\r\n".join(lines).strip()}}


def wechatwork_message(hook, event_type: str, payload: dict) -> dict:
    """Gitea's ``WechatworkPayload``: a ``markdown`` message (its ``text`` part empty)."""
    text, url, _ = summary(event_type, payload)
    title, _, rest = text.partition("\n")
    content = f"# [{title}]({url})" if url else f"# {title}"
    if rest:
        content += "\r\n\r\n" + "\n".join(f" > {line}" for line in rest.splitlines())
    return {"msgtype": "markdown",
            "text": {"content": "", "mentioned_list": None, "mentioned_mobile_list": None},
            "markdown": {"content": content}}


def packagist_message(hook, event_type: str, payload: dict) -> dict:
    """Gitea's ``PackagistPayload``: the package to update on a push, an empty URL for any
    other event (as Gitea's convertor answers them)."""
    url = hook.extra_config.get("package_url", "") if event_type == "push" else ""
    return {"repository": {"url": url}}


# The types whose body is their own message (always JSON), not the payload.
CHAT_FORMATS = {"slack": slack_message, "discord": discord_message, "msteams": msteams_message,
                "dingtalk": dingtalk_message, "telegram": telegram_message,
                "feishu": feishu_message, "wechatwork": wechatwork_message,
                "packagist": packagist_message}
