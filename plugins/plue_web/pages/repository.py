"""A repository's code: its home page (``/{owner}/{repo}``), directories and files
(``/src/...``) and raw files (``/raw/...``). Access is git_hosting's one check
(``require_repository``: a repository the viewer may not see is a 404); git is read through
its reader."""

from __future__ import annotations

import mimetypes
import posixpath

import falcon

from plue_core.content_disposition import content_disposition
from plue_core.errors import BadRequest, NotFound
from plue_core.identity import current_identity

from plue_web.pages.base import Page
from plue_web.pages.code import Location, locate, quote

_BINARY_SNIFF = 8000
_README_NAMES = ("readme.md", "readme.markdown", "readme", "readme.txt", "readme.rst")
_MARKDOWN = (".md", ".markdown")
_IMAGES = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".gif": "image/gif",
           ".webp": "image/webp", ".svg": "image/svg+xml", ".ico": "image/x-icon",
           ".bmp": "image/bmp"}
HIGHLIGHT_CACHE_BYTES = 64 * 1024
# Raw files are user content served from this origin: nothing in them may run.
RAW_POLICY = "default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'; sandbox"



def highlight_lines(name: str, text: str) -> list[str]:
    """A file's highlighted lines; Pygments is imported here, when a page first shows a file
    (face.py: a process that renders no page never loads it)."""
    from plue_web import highlighting

    return highlighting.highlight_lines(name, text)

class RepositoryPage(Page):
    """A page of one repository; ``access`` resolves it (404 for those who may not see it)."""

    def access(self, req, owner: str, repo: str):
        return self.hosting.require_repository(current_identity(req), owner, repo)

    def common(self, req, repository, **values) -> dict:
        """What the repository's header shows on every one of its pages."""
        return {"repository": repository, "repo_url": f"/{repository.owner.name}/{repository.name}",
                "clone_url": self.hosting.clone_url(repository),
                "has_issues": repository.has_issues and self.face.issues is not None,
                "has_pulls": repository.has_pull_requests and self.face.pulls is not None,
                "has_actions": repository.has_actions and self.face.actions is not None,
                "has_releases": repository.has_releases and self.face.releases is not None,
                "has_wiki": repository.has_wiki and "wiki" in self.face.ctx.services,
                **values}


def is_binary(data: bytes) -> bool:
    return b"\0" in data[:_BINARY_SNIFF]


def render_file_markdown(face, location: Location, directory: str, text: str) -> str:
    """A Markdown file of the repository, its relative links and images resolved from
    ``directory`` at the same ref."""
    return face.markdown.render(text, repository_url=location.repo_url,
                                src_base=location.link("src", directory),
                                raw_base=location.link("raw", directory))


class TreeView:
    """A directory's listing with the last commit of each entry, and its README."""

    def __init__(self, face, reader, location: Location, at, entry):
        children = reader.children(entry)
        last = self.last_commits(face, reader, location, at, children)
        self.entries = [{"name": child.name, "kind": child.kind,
                         "url": location.link("src", child.path) if child.kind != "submodule"
                         else "", "commit": last.get(child.path)} for child in children]
        self.readme_name, self.readme_html, self.readme_text = "", "", ""
        self.find_readme(face, reader, location, children)

    @staticmethod
    def last_commits(face, reader, location: Location, at, children) -> dict[str, dict]:
        """Path -> the last commit that touched it (sha, summary, time), from the cache when
        this tree of this commit was listed before."""
        key = (reader.repository.id, at.commit.id, location.path)
        found = face.last_commits.get(key)
        if found is None:
            walked = reader.last_commits(at, location.path, [child.name for child in children])
            found = {path: {"sha": commit.id.decode(), "when": commit.commit_time,
                            "summary": reader.message_of(commit).split("\n", 1)[0]}
                     for path, commit in walked.items()}
            face.last_commits.put(key, found)
        return found

    def find_readme(self, face, reader, location: Location, children) -> None:
        readme = next((child for name in _README_NAMES for child in children
                       if child.kind == "file" and child.name.lower() == name), None)
        if readme is not None and reader.blob_size(readme) <= face.settings["max_highlight_bytes"]:
            data = reader.blob(readme)
            if not is_binary(data):
                self.readme_name = readme.name
                text = data.decode("utf-8", "replace")
                if readme.name.lower().endswith(_MARKDOWN):
                    self.readme_html = render_file_markdown(face, location, location.path, text)
                else:
                    self.readme_text = text


class RepositoryHomePage(RepositoryPage):
    def on_get(self, req, resp, owner, repo):
        if repo.endswith(".git"):  # a clone URL opened in a browser
            raise falcon.HTTPMovedPermanently(f"/{owner}/{quote(repo[:-4])}")
        repository = self.access(req, owner, repo).repository
        values = self.common(req, repository, tree=None, branches=[], last_commit=None,
                             location=None, tag_count=0)
        with self.hosting.reader(repository) as reader:
            if not reader.is_empty:
                try:
                    at = reader.resolve(None)
                except NotFound:  # the default branch is gone; the others are listed
                    at = None
                values["branches"] = reader.branch_names()
                values["tag_count"] = len(reader.tag_names())
                if at is not None:
                    location = Location(values["repo_url"], "branch", repository.default_branch)
                    values.update(location=location, last_commit=commit_row(reader, at.commit),
                                  tree=TreeView(self.face, reader, location, at,
                                                reader.entry(at, "")))
        self.render(req, resp, "repo/home.html", **values)


def commit_row(reader, commit) -> dict:
    """A commit as the pages list it (history, branches, tags, a tree's last commit)."""
    author = reader.author_of(commit)
    message = reader.message_of(commit)
    return {"sha": commit.id.decode(), "summary": message.split("\n", 1)[0],
            "author": author.name, "when": commit.commit_time}


class SourcePage(RepositoryPage):
    """``/src/{branch|tag|commit}/{ref}/{path}``: a directory or a file."""

    def on_get(self, req, resp, owner, repo, kind, rest):
        repository = self.access(req, owner, repo).repository
        values = self.common(req, repository)
        with self.hosting.reader(repository) as reader:
            location, at = locate(reader, values["repo_url"], kind, rest)
            entry = reader.entry(at, location.path)
            values.update(location=location, last_commit=commit_row(reader, at.commit),
                          branches=reader.branch_names())
            if entry.kind == "dir":
                values["tree"] = TreeView(self.face, reader, location, at, entry)
                values["pull_offer"] = self.pull_offer(reader, location, at, values)
                return self.render(req, resp, "repo/tree.html", **values)
            values["file"] = self.file_view(req, reader, location, entry)
        self.render(req, resp, "repo/file.html", **values)

    @staticmethod
    def pull_offer(reader, location: Location, at, values: dict) -> str:
        """The comparison of a branch that is ahead of the default branch (a pull request
        to open), else ''. The walk stops at the first commit found."""
        repository = values["repository"]
        default = repository.default_branch
        if not values["has_pulls"] or location.kind != "branch" or location.ref == default \
                or default not in values["branches"]:
            return ""
        ahead, _ = reader.commits_between(reader.resolve(default).commit, at.commit, 1,
                                          count=False)
        if not ahead:
            return ""
        return f"{values['repo_url']}/compare/{quote(default)}...{quote(location.ref)}"

    def file_view(self, req, reader, location: Location, entry) -> dict:
        name = entry.name
        extension = posixpath.splitext(name)[1].lower()
        view = {"name": name, "kind": entry.kind, "size": 0, "image": False, "binary": False,
                "too_large": False, "lines": [], "markdown": "", "raw_url": location.link("raw"),
                "source_url": f"{location.link('src')}?display=source"}
        if entry.kind == "submodule":
            return view
        view["size"] = size = reader.blob_size(entry)
        if extension in _IMAGES:
            view["image"] = True
            return view
        if size > self.face.settings["max_highlight_bytes"]:
            view["too_large"] = True
            return view
        data = reader.blob(entry)
        if is_binary(data):
            view["binary"] = True
            return view
        text = data.decode("utf-8", "replace")
        if extension in _MARKDOWN and req.get_param("display") != "source":
            directory = posixpath.dirname(location.path)
            view["markdown"] = render_file_markdown(self.face, location, directory, text)
        else:
            view["lines"] = self.highlighted(entry, name, text)
        return view

    def highlighted(self, entry, name: str, text: str) -> list[str]:
        """The file's highlighted lines; small files' are remembered by blob id and lexer
        (the name's extension chooses it)."""
        if len(text) > HIGHLIGHT_CACHE_BYTES:
            return highlight_lines(name, text)
        key = (entry.sha, posixpath.splitext(name)[1].lower() or name)
        lines = self.face.highlighted.get(key)
        if lines is None:
            lines = highlight_lines(name, text)
            self.face.highlighted.put(key, lines)
        return lines


class RawPage(RepositoryPage):
    """``/raw/{branch|tag|commit}/{ref}/{path}``: the file's bytes, never run as a page."""

    def on_get(self, req, resp, owner, repo, kind, rest):
        repository = self.access(req, owner, repo).repository
        with self.hosting.reader(repository) as reader:
            location, at = locate(reader, f"/{owner}/{repo}", kind, rest)
            entry = reader.entry(at, location.path)
            if entry.kind not in ("file", "symlink"):
                raise NotFound(f"{location.path or '/'} is a {entry.kind}, not a file")
            data = reader.blob(entry)
        extension = posixpath.splitext(entry.name)[1].lower()
        if extension in _IMAGES:
            content_type = _IMAGES[extension]
        elif not is_binary(data):
            content_type = "text/plain; charset=utf-8"
        else:
            content_type = mimetypes.guess_type(entry.name)[0] or "application/octet-stream"
        resp.content_type = content_type
        resp.data = data
        resp.set_header("Content-Security-Policy", RAW_POLICY)
        resp.set_header("X-Content-Type-Options", "nosniff")
        resp.set_header("Content-Disposition", content_disposition("inline", entry.name))


class ArchivePage(RepositoryPage):
    """``/archive/{ref}.zip`` and ``.tar.gz``: the files at a branch, tag or commit, where a
    tag's ``zipball_url`` and ``tarball_url`` point (git_hosting's ``archive``)."""

    def on_get(self, req, resp, owner, repo, name):
        repository = self.access(req, owner, repo).repository
        try:
            archive = self.hosting.archive(repository, name)
        except BadRequest as error:  # an unknown format: no download here, a missing page
            raise NotFound(error.message) from None
        resp.content_type = archive.content_type
        resp.stream = archive.chunks
        resp.set_header("Content-Disposition", content_disposition("attachment", archive.filename))
