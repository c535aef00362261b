"""Gitea's rendering operations (POST /markdown, /markdown/raw, /markup): a text rendered as the
web pages render it (``ctx.services["web"].markdown``: one renderer, sanitised with nh3),
answered as ``text/html``.

The modes are Gitea's: ``markdown`` (the default) renders the text alone, relative links against
``Context``; ``comment``, ``gfm``, ``wiki`` and ``file`` also turn ``#123`` into a link to the
issue of the repository ``Context`` names and ``@name`` into a link to the account. A
``Context`` of ``/{owner}/{repo}/src/{branch|commit|tag}/{ref and directory}`` resolves relative
links in the file view and images in the raw view at that ref, as Gitea resolves them (its
links are absolute: on the configured base URL). Nothing is read from the database: a link
names a repository, it does not show it."""

from __future__ import annotations

from marshmallow import Schema, fields

from plue_core.errors import Invalid
from plue_core.openapi import operation
from plue_core.validation import load_body

TAGS = ("miscellaneous",)
HTML = "text/html; charset=utf-8"
# The modes that render references; any other but "markdown" (or none) is a 422 on /markup.
FULL_MODES = ("gfm", "comment", "wiki", "file")
# What Gitea's markdown renderer claims in file mode (setting.Markdown.FileExtensions).
MARKDOWN_EXTENSIONS = (".md", ".markdown", ".mdown", ".mkd", ".livemd")


class MarkdownOptionSchema(Schema):
    Text = fields.String(load_default="", metadata={"description": "Text markdown to render"})
    Mode = fields.String(load_default="", metadata={
        "description": "Mode to render (markdown, comment, wiki, file)"})
    Context = fields.String(load_default="", metadata={
        "description": "URL path for rendering issue, media and file links"})
    Wiki = fields.Boolean(load_default=False, metadata={
        "description": "Is it a wiki page? (use mode=wiki instead)"})


class MarkupOptionSchema(MarkdownOptionSchema):
    FilePath = fields.String(load_default="", metadata={
        "description": "File path for detecting extension in file mode"})


class Markup:
    """Renders for the three resources: the web plugin's renderer and the site's base URL."""

    def __init__(self, ctx):
        self.ctx = ctx
        self.site = ctx.config.base_url.rstrip("/")

    def render(self, text: str, mode: str, context: str, file_path: str = "") -> str:
        if mode not in ("", "markdown", *FULL_MODES):
            raise Invalid(f"Unknown mode: {mode}")
        if mode == "file" and not file_path.lower().endswith(MARKDOWN_EXTENSIONS):
            raise Invalid(f"unsupported file to render: {file_path!r}")
        if not text:
            return ""
        context = "/" + context.strip("/") if context.strip("/") else ""
        base = f"{self.site}{context}" if context else ""
        links = {"src_base": base, "raw_base": base, "site_url": self.site,
                 "references": mode in FULL_MODES}
        parts = context.split("/", 5)  # "", owner, repo, "src", kind, ref and directory
        if mode in FULL_MODES and len(parts) >= 3:
            links["repository_url"] = f"{self.site}/{parts[1]}/{parts[2]}"
            if len(parts) == 6 and parts[3] == "src" and parts[4] in ("branch", "commit", "tag"):
                # Context is the rendered file's directory (FilePath's included), at its ref.
                links["raw_base"] = f"{self.site}/{parts[1]}/{parts[2]}/raw/{parts[4]}/{parts[5]}"
        return self.ctx.services["web"].markdown.render(text, **links)


class MarkdownResource:
    def __init__(self, markup: Markup):
        self.markup = markup

    @operation("Render a markdown document as HTML", request=MarkdownOptionSchema, tags=TAGS,
               text_response="text/html", operation_id="renderMarkdown")
    def on_post(self, req, resp):
        form = load_body(req, MarkdownOptionSchema)
        # /markdown knows two modes besides plain markdown; any other renders as plain.
        mode = form["Mode"] if form["Mode"] in ("comment", "gfm") else "markdown"
        resp.content_type = HTML
        resp.text = self.markup.render(form["Text"], mode, form["Context"])


class MarkdownRawResource:
    def __init__(self, markup: Markup):
        self.markup = markup

    @operation("Render raw markdown as HTML", text_request="text/plain", tags=TAGS,
               text_response="text/html", operation_id="renderMarkdownRaw")
    def on_post(self, req, resp):
        # The body size is bounded by BodyLimitMiddleware, as every body is.
        text = req.bounded_stream.read().decode("utf-8", errors="replace")
        resp.content_type = HTML
        resp.text = self.markup.render(text, "markdown", "")


class MarkupResource:
    def __init__(self, markup: Markup):
        self.markup = markup

    @operation("Render a markup document as HTML", request=MarkupOptionSchema, tags=TAGS,
               text_response="text/html", operation_id="renderMarkup")
    def on_post(self, req, resp):
        form = load_body(req, MarkupOptionSchema)
        # Wiki is deprecated for Mode "wiki", and Gitea no longer reads it either.
        resp.content_type = HTML
        resp.text = self.markup.render(form["Text"], form["Mode"], form["Context"],
                                       form["FilePath"])
