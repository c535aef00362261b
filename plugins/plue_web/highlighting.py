"""Code highlighting with Pygments, line by line (so each line has its own number and
anchor), with CSS classes only: the stylesheet colours them, and the Content-Security-Policy
needs no inline styles."""

from __future__ import annotations

import html

from pygments.formatters import HtmlFormatter
from pygments.lexers import TextLexer, get_lexer_by_name, get_lexer_for_filename
from pygments.token import STANDARD_TYPES
from pygments.util import ClassNotFound

CSS_SCOPE = ".hl"


def _css_class(token_type) -> str:
    """Pygments' class for a token type: its own, or its nearest ancestor's plus suffixes."""
    suffix = ""
    name = STANDARD_TYPES.get(token_type)
    while name is None:
        suffix = "-" + token_type[-1] + suffix
        token_type = token_type.parent
        name = STANDARD_TYPES.get(token_type)
    return name + suffix


def _lexer_for(filename: str, text: str):
    try:
        return get_lexer_for_filename(filename, text, stripnl=False, ensurenl=False)
    except ClassNotFound:
        return TextLexer(stripnl=False, ensurenl=False)


def _spans(lexer, text: str) -> list[str]:
    """HTML for each line of ``text``."""
    lines: list[list[str]] = [[]]
    for token_type, value in lexer.get_tokens(text):
        css = _css_class(token_type)
        for index, piece in enumerate(value.split("\n")):
            if index:
                lines.append([])
            if piece:
                escaped = html.escape(piece, quote=False)
                lines[-1].append(f'<span class="{css}">{escaped}</span>' if css else escaped)
    if len(lines) > 1 and not lines[-1]:
        lines.pop()  # the file's final newline ends the last line, it opens none
    return ["".join(parts) for parts in lines]


def highlight_lines(filename: str, text: str) -> list[str]:
    """The highlighted HTML of each line of a file."""
    return _spans(_lexer_for(filename, text), text)


def highlight_block(code: str, language: str, _attributes: str) -> str:
    """A fenced code block of markdown (markdown-it's ``highlight`` option)."""
    try:
        lexer = get_lexer_by_name(language, stripnl=False) if language else TextLexer()
    except ClassNotFound:
        lexer = TextLexer()
    body = "\n".join(_spans(lexer, code))
    return f'<pre class="hl"><code>{body}</code></pre>'


def stylesheet() -> str:
    """The token colours, scoped under ``.hl``."""
    return HtmlFormatter(style="default").get_style_defs(CSS_SCOPE)
