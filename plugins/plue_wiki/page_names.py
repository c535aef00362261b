"""Gitea's three names of a wiki page (services/wiki/wiki_path.go), so a wiki moved between
Gitea and Plue keeps its files and URLs:

* the title a person reads: ``Home Page``, ``100% Free``, ``2000-01-02 meeting``;
* the web path in URLs (``sub_url``): ``Home-Page``, ``100%25+Free``, ``2000-01-02+meeting.-``
  (spaces become dashes; a title holding a dash keeps its dashes and is marked ``.-``);
* the file in the wiki's git repository: ``Home-Page.md``, ``100%25 Free.md``.
"""

from __future__ import annotations

import posixpath
import re
import urllib.parse

from plue_core.errors import BadRequest

# Gitea's reservedWikiNames: the web pages' own paths.
RESERVED = ("_pages", "_new", "_edit", "raw")
DASH_MARKER = ".-"
_BAD_ESCAPE = re.compile(r"%(?![0-9A-Fa-f]{2})")


class InvalidFileName(ValueError):
    """A file of the wiki's repository that is no page (Gitea's ErrWikiInvalidFileName)."""


def _query_escape(text: str) -> str:
    """Go's url.QueryEscape: spaces as ``+``, all but letters, digits and ``-_.~`` escaped."""
    return urllib.parse.quote_plus(text, safe="")


def query_unescape(text: str) -> str:
    """Go's url.QueryUnescape, which refuses a ``%`` not followed by two hex digits."""
    if _BAD_ESCAPE.search(text):
        raise ValueError(f"invalid URL escape in {text!r}")
    return urllib.parse.unquote_plus(text, errors="replace")


def _path_unescape(text: str) -> str:
    """Go's url.PathUnescape (``+`` stays); an invalid escape leaves the text as it is."""
    return text if _BAD_ESCAPE.search(text) else urllib.parse.unquote(text, errors="replace")


def _relative(text: str) -> str:
    """Gitea's util.PathJoinRelX of one element: slashes unified, ``..`` and ``.`` resolved
    inside the root, no leading slash."""
    if not text:
        return ""
    return posixpath.normpath("/" + text.replace("\\", "/")).lstrip("/")


def _unescape_segment(segment: str) -> str:
    if segment.endswith(DASH_MARKER):
        segment = segment[:-len(DASH_MARKER)]
    else:
        segment = segment.replace("-", " ")
    try:
        return query_unescape(segment)
    except ValueError:
        return segment  # still safe: only ever shown as a title


def _escape_segment(segment: str, had_dash_marker: bool) -> str:
    if had_dash_marker or "-" in segment or segment.endswith(".md"):
        segment += DASH_MARKER
    else:
        segment = segment.replace(" ", "-")
    return _query_escape(segment)


def web_path_from_title(title: str) -> str:
    """The web path of a page titled ``title`` (Gitea's UserTitleToWebPath)."""
    web_path = _relative(_escape_segment(title.strip(), False))
    return "unnamed" if web_path in ("", ".") else web_path


def web_path_from_request(raw: str) -> str:
    """The web path of a URL's still-escaped page segment (Gitea's WebPathFromRequest)."""
    return _relative(raw).replace("/", "%2F")


def git_path(web_path: str) -> str:
    """The file holding the page (Gitea's WebPathToGitPath)."""
    if web_path.endswith(".md"):
        return _relative(_path_unescape(web_path))
    segments = []
    for segment in web_path.split("/"):
        marked = segment.endswith(DASH_MARKER)
        segment = _escape_segment(_unescape_segment(segment), marked)
        segments.append(segment.replace("%20", " ").replace("+", " "))
    return "/".join(segments) + ".md"


def web_path_of_file(name: str) -> str:
    """The web path of a file of the wiki (Gitea's GitPathToWebPath); InvalidFileName for a
    file that is no page (not ``.md``, or a name that does not unescape)."""
    if not name.endswith(".md"):
        raise InvalidFileName(name)
    segments = []
    for segment in name[:-len(".md")].split("/"):
        marked = segment.endswith(DASH_MARKER)
        try:
            unescaped = query_unescape(segment[:-len(DASH_MARKER)] if marked
                                        else segment.replace("-", " "))
        except ValueError:
            raise InvalidFileName(name) from None
        segments.append(_escape_segment(unescaped, marked))
    return "/".join(segments)


def title_of(web_path: str) -> str:
    """The title a person reads (Gitea's WebPathToUserTitle, without its directory)."""
    display = posixpath.basename(web_path)
    if display.endswith(".md"):
        display = _path_unescape(display[:-len(".md")])
    return _unescape_segment(display)


def check_not_reserved(web_path: str) -> None:
    """Gitea's validateWebPath: a 400 for a name the web pages use themselves."""
    for segment in web_path.split("/"):
        title = _unescape_segment(segment)
        if title in RESERVED:
            raise BadRequest(f"wiki title is reserved: {title}")
