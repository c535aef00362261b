"""Charts drawn on the server as SVG, for the numbers a person would rather look at than read
(the fleet dashboard): horizontal bars and percentage gauges. No script (the CSP allows none
inline) and no ``style`` attribute (nor inline styles): the geometry is in SVG attributes, the
colours in the stylesheet by class. Each chart is an image named by its values
(``role="img"`` with an ``aria-label``), so a screen reader hears the numbers."""

from __future__ import annotations

from markupsafe import Markup, escape

BAR_HEIGHT, GAP, LABEL_WIDTH, VALUE_WIDTH = 18, 6, 110, 56


def _number(value: float) -> str:
    return f"{value:g}" if isinstance(value, (int, float)) else str(value)


def bars(title: str, rows: list[tuple[str, float, str]], *, width: int = 360,
         unit: str = "") -> Markup:
    """One horizontal bar per ``(label, value, css class)``, scaled to the largest value."""
    top = max((value for _, value, _ in rows), default=0) or 1
    room = width - LABEL_WIDTH - VALUE_WIDTH
    height = max(1, len(rows)) * (BAR_HEIGHT + GAP)
    spoken = ", ".join(f"{label} {_number(value)}{unit}" for label, value, _ in rows)
    parts = [f'<svg class="chart" role="img" aria-label="{escape(title)}: {escape(spoken)}" '
             f'viewBox="0 0 {width} {height}" width="{width}" height="{height}">']
    for index, (label, value, css) in enumerate(rows):
        y = index * (BAR_HEIGHT + GAP)
        length = round(room * value / top, 1)
        parts.append(f'<text x="0" y="{y + 13}" class="chart-label">{escape(label)}</text>'
                     f'<rect x="{LABEL_WIDTH}" y="{y}" width="{length}" height="{BAR_HEIGHT}" '
                     f'rx="3" class="bar {escape(css)}"></rect>'
                     f'<text x="{LABEL_WIDTH + length + 6}" y="{y + 13}" class="chart-value">'
                     f'{escape(_number(value))}{escape(unit)}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))


def level(percent: float) -> str:
    """``ok`` below 70 %, ``warn`` below 90 %, else ``high``: the gauge's colour class."""
    return "ok" if percent < 70 else "warn" if percent < 90 else "high"


def gauge(label: str, percent: float | None, *, width: int = 220) -> Markup:
    """A 0-100 % bar with its value; an unknown value (None) is drawn empty and said so."""
    known = percent is not None
    value = max(0.0, min(100.0, float(percent))) if known else 0.0
    room = width - VALUE_WIDTH
    shown = f"{value:.1f} %" if known else "unknown"
    return Markup(
        f'<svg class="chart gauge" role="img" aria-label="{escape(label)}: {shown}" '
        f'viewBox="0 0 {width} {BAR_HEIGHT}" width="{width}" height="{BAR_HEIGHT}">'
        f'<rect x="0" y="0" width="{room}" height="{BAR_HEIGHT}" rx="3" class="track"></rect>'
        f'<rect x="0" y="0" width="{round(room * value / 100, 1)}" height="{BAR_HEIGHT}" rx="3" '
        f'class="bar {level(value) if known else "unknown"}"></rect>'
        f'<text x="{room + 6}" y="13" class="chart-value">{shown}</text></svg>')
