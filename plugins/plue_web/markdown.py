"""Markdown as the pages show it (READMEs, issue bodies, comments): CommonMark with GitHub's
tables, strikethrough, task lists and autolinks, ``#123`` and ``@user`` references turned
into links, fenced code highlighted, and the HTML sanitized with nh3 — raw HTML in the source
is kept only where it is harmless, so nobody's markdown can run a script on another's page."""

from __future__ import annotations

import hashlib
import html
import posixpath
import re
import urllib.parse

import nh3
from markdown_it import MarkdownIt
from mdit_py_plugins.tasklists import tasklists_plugin

from plue_core.bounded_cache import BoundedCache

from plue_web.highlighting import highlight_block

_REFERENCE = re.compile(r"#(\d{1,9})\b|@([A-Za-z0-9](?:[A-Za-z0-9._-]{0,38}[A-Za-z0-9])?)")

_TAGS = set(nh3.ALLOWED_TAGS) | {"input", "details", "summary"}
_ATTRIBUTES = {tag: set(names) for tag, names in nh3.ALLOWED_ATTRIBUTES.items()}
for _tag, _names in {"input": {"type", "checked", "disabled", "aria-label"},
                     "span": {"class"}, "code": {"class"}, "pre": {"class"}, "div": {"class"},
                     "li": {"class"}, "ul": {"class"}, "a": {"class", "href", "title"},
                     "img": {"src", "alt", "title", "width", "height"},
                     "th": {"align"}, "td": {"align"}}.items():
    _ATTRIBUTES.setdefault(_tag, set()).update(_names)
_ATTRIBUTES["a"].discard("rel")  # nh3 sets rel itself (link_rel)


def _references_rule(state, silent: bool) -> bool:
    """``#123`` (an issue or pull request of the repository) and ``@name`` (a user), not
    inside a word or an existing link."""
    pos = state.pos
    links = state.env.get("links")
    if state.src[pos] not in "#@" or state.linkLevel > 0 or not links.get("references"):
        return False
    if pos > 0 and (state.src[pos - 1].isalnum() or state.src[pos - 1] in "_/&-."):
        return False
    match = _REFERENCE.match(state.src, pos)
    if match is None:
        return False
    if match.group(1):
        if not links.get("repository"):
            return False
        href = f"{links['repository']}/issues/{match.group(1)}"
    else:
        href = f"{links['site']}/{urllib.parse.quote(match.group(2))}"
    if not silent:
        opener = state.push("link_open", "a", 1)
        opener.attrs = {"href": href, "class": "ref"}
        text = state.push("text", "", 0)
        text.content = match.group(0)
        state.push("link_close", "a", -1)
    state.pos = match.end()
    return True


def _is_relative(url: str) -> bool:
    """A path inside the repository: no scheme, not site-absolute, not an anchor."""
    return bool(url) and not url.startswith(("/", "#", "?")) and not _SCHEME.match(url)


_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")


def _repository_paths_rule(state) -> None:
    """Links and images with a path relative to the rendered file resolve in the repository,
    at the same ref (links to the file view, images to the raw file), as on Gitea."""
    links = state.env.get("links") or {}
    src, raw = links.get("src"), links.get("raw")
    if not src:
        return
    for block in state.tokens:
        for token in block.children or ():
            if token.type == "link_open" and _is_relative(token.attrGet("href") or ""):
                token.attrSet("href", _resolve(src, token.attrGet("href")))
            elif token.type == "image" and _is_relative(token.attrGet("src") or ""):
                token.attrSet("src", _resolve(raw, token.attrGet("src")))


def _resolve(base: str, relative: str) -> str:
    """``relative`` under ``base`` (a path, or an absolute URL as the API's are), ``..``
    resolved within the path."""
    parts = urllib.parse.urlsplit(base)
    site = f"{parts.scheme}://{parts.netloc}" if parts.netloc else ""
    return site + posixpath.normpath(f"{parts.path}/{relative}")


def _task_labels_rule(state) -> None:
    """A task list's checkbox is named by its item's text (``aria-label``), so assistive
    technology says what is done."""
    for block in state.tokens:
        children = block.children or []
        for position, token in enumerate(children):
            if token.type == "html_inline" and "task-list-item-checkbox" in token.content:
                text = " ".join(child.content.strip() for child in children[position + 1:]
                                if child.type == "text" and child.content.strip())
                label = html.escape(text or "task", quote=True)
                token.content = token.content.replace("<input ", f'<input aria-label="{label}" ', 1)


# A page shows the same bodies on every visit (an issue's comments, a README): their HTML is
# kept per text hash and links, for texts up to this size (a larger one is rendered each time).
CACHED_TEXT_CHARACTERS = 16 * 1024


class MarkdownRenderer:
    def __init__(self, cache_size: int = 256):
        self.rendered = BoundedCache(cache_size)
        self.md = (MarkdownIt("commonmark", {"linkify": True, "html": True,
                                             "highlight": highlight_block})
                   .enable(["table", "strikethrough", "linkify"])
                   .use(tasklists_plugin))
        self.md.inline.ruler.before("emphasis", "references", _references_rule)
        self.md.core.ruler.push("repository_paths", _repository_paths_rule)
        self.md.core.ruler.push("task_labels", _task_labels_rule)

    def render(self, text: str, *, repository_url: str = "", src_base: str = "",
               raw_base: str = "", site_url: str = "", references: bool = True) -> str:
        """Safe HTML for ``text``; ``repository_url`` (``/owner/repo``) resolves ``#123``;
        ``src_base`` and ``raw_base`` (the rendered file's directory in the file view and the
        raw view) resolve relative links and images; ``site_url`` prefixes a ``@name``'s link
        (the API's links are absolute); ``references=False`` leaves ``#123`` and ``@name`` as
        text (Gitea's raw markdown mode)."""
        text = text or ""
        links = {"repository": repository_url, "src": src_base, "raw": raw_base,
                 "site": site_url, "references": references}
        if len(text) > CACHED_TEXT_CHARACTERS:
            return self._render(text, links)
        key = (hashlib.sha256(text.encode()).digest(), *links.values())
        found = self.rendered.get(key)
        if found is None:
            found = self._render(text, links)
            self.rendered.put(key, found)
        return found

    def _render(self, text: str, links: dict) -> str:
        html = self.md.render(text, {"links": links})
        return nh3.clean(html, tags=_TAGS, attributes=_ATTRIBUTES,
                         link_rel="noopener noreferrer nofollow",
                         url_schemes={"http", "https", "mailto"})
