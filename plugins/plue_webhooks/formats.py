"""The message each hook type receives: ``gitea`` the payload itself; ``slack``, ``discord``
and ``msteams`` a chat message in their own formats, summarising the payload in one line
with a link (as Gitea's ``services/webhook/{slack,discord,msteams}.go`` do)."""

from __future__ import annotations

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


CHAT_FORMATS = {"slack": slack_message, "discord": discord_message, "msteams": msteams_message}
