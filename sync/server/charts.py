"""Small SVG bar charts rendered on the server (no script, no CDN): the demand page's charts.

Every text is escaped; colours come from classes in static/style.css (the page's CSP allows no
inline style). Each chart is an ``<svg role="img">`` with a ``<title>`` and, for screen readers,
the same figures in the table the page shows beside it.
"""
from __future__ import annotations

from markupsafe import Markup, escape


def columns(points: list[tuple[str, int]], title: str, *, width: int = 760, height: int = 200) -> Markup:
    """Vertical bars, one per point (days), with the largest value and every 7th label."""
    top = max([n for _l, n in points] + [1])
    pad_l, pad_b, pad_t = 36, 22, 14
    inner_w, inner_h = width - pad_l - 4, height - pad_b - pad_t
    step = inner_w / max(len(points), 1)
    bar = max(step * 0.75, 1.0)
    parts = [f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" aria-label="{escape(title)}">'
             f'<title>{escape(title)}</title>',
             f'<line class="axis" x1="{pad_l}" y1="{pad_t + inner_h}" x2="{width - 4}" y2="{pad_t + inner_h}"/>',
             f'<text class="tick" x="{pad_l - 4}" y="{pad_t + 4}" text-anchor="end">{top}</text>',
             f'<text class="tick" x="{pad_l - 4}" y="{pad_t + inner_h}" text-anchor="end">0</text>']
    for i, (label, n) in enumerate(points):
        h = inner_h * n / top
        x = pad_l + i * step + (step - bar) / 2
        parts.append(f'<rect class="bar" x="{x:.1f}" y="{pad_t + inner_h - h:.1f}" width="{bar:.1f}" '
                     f'height="{h:.1f}"><title>{escape(label)}: {n}</title></rect>')
        if len(points) <= 14 or i % 7 == 0:
            parts.append(f'<text class="tick" x="{x + bar / 2:.1f}" y="{height - 6}" text-anchor="middle">'
                         f'{escape(label)}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))


def bars(items: list[tuple[str, int]], title: str, *, width: int = 560, row: int = 26,
         label_width: int = 250) -> Markup:
    """Horizontal bars with their label and value, largest first as given."""
    top = max([n for _l, n in items] + [1])
    height = row * max(len(items), 1) + 6
    inner = width - label_width - 56
    parts = [f'<svg class="chart bars" viewBox="0 0 {width} {height}" role="img" aria-label="{escape(title)}">'
             f'<title>{escape(title)}</title>']
    for i, (label, n) in enumerate(items):
        y = 3 + i * row
        shown = label if len(label) <= 34 else label[:33] + "…"
        w = inner * n / top
        parts.append(f'<text class="label" x="{label_width - 8}" y="{y + row * 0.65:.1f}" text-anchor="end">'
                     f'{escape(shown)}<title>{escape(label)}</title></text>'
                     f'<rect class="bar" x="{label_width}" y="{y + 3}" width="{max(w, 1):.1f}" height="{row - 8}"/>'
                     f'<text class="value" x="{label_width + w + 6:.1f}" y="{y + row * 0.65:.1f}">{n}</text>')
    if not items:
        parts.append(f'<text class="label" x="8" y="{row * 0.65:.1f}">–</text>')
    parts.append("</svg>")
    return Markup("".join(parts))
