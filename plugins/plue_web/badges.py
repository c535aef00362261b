"""A workflow's status badge (``/actions/workflows/{file}/badge.svg``, the ``badge_url`` of
the API's workflows): Gitea's two-part badge, the workflow's name (its file name without the
extension) and the status of its latest run on a branch (Gitea's ``GetWorkflowLatestRun``:
the default branch unless ``?branch=``, any event unless ``?event=``), in Gitea's colours;
``no status`` before the first run."""

from __future__ import annotations

import html

# Gitea's modules/badge StatusColorMap; any other status is grey.
COLORS = {"success": "#4c1", "failure": "#e05d44", "cancelled": "#9f9f9f",
          "skipped": "#9f9f9f", "waiting": "#dfb317", "running": "#dfb317",
          "blocked": "#dfb317"}
DEFAULT_COLOR = "#9f9f9f"
_CHAR_WIDTH, _PADDING = 7, 10  # Verdana 11 px, roughly, as shields-style badges measure


def badge_svg(label: str, message: str) -> str:
    """The badge as SVG text, its parts as wide as their words."""
    color = COLORS.get(message, DEFAULT_COLOR)
    left = len(label) * _CHAR_WIDTH + _PADDING
    right = len(message) * _CHAR_WIDTH + _PADDING
    width = left + right
    label_text, message_text = html.escape(label), html.escape(message)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="20" role="img" '
        f'aria-label="{label_text}: {message_text}"><title>{label_text}: {message_text}</title>'
        f'<rect width="{left}" height="20" fill="#555"/>'
        f'<rect x="{left}" width="{right}" height="20" fill="{color}"/>'
        f'<g fill="#fff" text-anchor="middle" font-family="Verdana,Geneva,DejaVu Sans,sans-serif" '
        f'font-size="11"><text x="{left / 2}" y="14">{label_text}</text>'
        f'<text x="{left + right / 2}" y="14">{message_text}</text></g></svg>')
