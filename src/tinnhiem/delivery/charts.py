"""Charts of a round's statistics as inline SVG, drawn on the server.

The input is ``tinnhiem.round-statistics/1`` (:func:`tinnhiem.documents.statistics_to_json`),
the same model the statistics PDF prints, so the page shows the report's
figures and nothing recomputed. No JavaScript, no chart library: rectangles
with integer widths (``count × width // total``), presentation attributes
only (the site's CSP forbids inline styles), a ``<title>`` and ``<desc>``
for screen readers; the page puts a data table beside each chart.
"""

from __future__ import annotations

from typing import Any
from xml.sax.saxutils import escape, quoteattr

from tinnhiem.rules.numbers import format_int_vi

COLORS = ("#1f4e79", "#7fa7d0", "#c0392b")
TEXT_ON = ("#ffffff", "#0b2239", "#ffffff")
WIDTH = 720
LABEL_H = 18
BAR_H = 26
GAP = 14
LEFT = 8
BAR_W = WIDTH - 2 * LEFT


def _svg(chart_id: str, title: str, desc: str, height: int, body: list[str]) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" id={quoteattr(chart_id)} '
        f'viewBox="0 0 {WIDTH} {height}" width="100%" role="img" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc" font-family="serif" font-size="13">'
        f'<title id="{chart_id}-title">{escape(title)}</title>'
        f'<desc id="{chart_id}-desc">{escape(desc)}</desc>' + "".join(body) + "</svg>"
    )


def _widths(counts: list[int], total: int, width: int) -> list[int]:
    """Integer segment widths summing to ``width`` exactly (the last one takes the rest)."""
    if total <= 0:
        return [0] * len(counts)
    widths = [c * width // total for c in counts]
    nonzero = [i for i, c in enumerate(counts) if c]
    if nonzero:
        widths[nonzero[-1]] += width - sum(widths)
    return widths


def stacked_bars(data: dict[str, Any], chart_id: str = "chart-classes") -> str:
    """One horizontal bar per block, split by class (tín nhiệm cao / tín nhiệm /
    tín nhiệm thấp), each bar 100% of the block's persons."""
    blocks = data["blocks"]
    levels = data["overall"]["classes"]
    legend_h = 28
    height = legend_h + len(blocks) * (LABEL_H + BAR_H + GAP) + 4
    body: list[str] = []
    x = LEFT
    for i, level in enumerate(levels):
        body.append(
            f'<rect x="{x}" y="6" width="14" height="14" fill="{COLORS[i % 3]}"/>'
            f'<text x="{x + 20}" y="18">{escape(level["label"])}</text>'
        )
        x += 40 + 9 * len(level["label"])
    y = legend_h
    for block in blocks:
        classes = block["classes"]
        counts = [c["count"] for c in classes]
        parts = [
            f"{c['label']} {format_int_vi(c['count'])}/{format_int_vi(c['total'])} ({c['percent']})"
            for c in classes
        ]
        body.append(
            f'<g class="bar" data-block={quoteattr(block["label"])}>'
            f"<title>{escape(block['label'] + ': ' + '; '.join(parts))}</title>"
            f'<text x="{LEFT}" y="{y + 13}">{escape(block["label"])} — '
            f"{format_int_vi(block['persons'])} cán bộ</text>"
        )
        x = LEFT
        for i, (c, w) in enumerate(
            zip(classes, _widths(counts, block["persons"], BAR_W), strict=True)
        ):
            if w <= 0:
                continue
            body.append(
                f'<rect class="segment" x="{x}" y="{y + LABEL_H}" width="{w}" '
                f'height="{BAR_H}" fill="{COLORS[i % 3]}" data-level="{escape(c["level"])}" '
                f'data-count="{c["count"]}"/>'
            )
            if w >= 60:
                body.append(
                    f'<text x="{x + w // 2}" y="{y + LABEL_H + 18}" text-anchor="middle" '
                    f'fill="{TEXT_ON[i % 3]}">{escape(c["percent"])}</text>'
                )
            x += w
        body.append("</g>")
        y += LABEL_H + BAR_H + GAP
    title = "Mức độ tín nhiệm theo khối"
    desc = "Mỗi khối một thanh, chia theo số cán bộ ở từng mức: " + "; ".join(
        f"{b['label']}: "
        + ", ".join(f"{c['label']} {c['count']} ({c['percent']})" for c in b["classes"])
        for b in blocks
    )
    return _svg(chart_id, title, desc, height, body)


def _label(cx: int, y: int, text: str, width: int = 14) -> str:
    """Centred text on at most two lines (``Từ 80% đến`` / ``dưới 100%``)."""
    words = text.split()
    first: list[str] = []
    while words and len(" ".join([*first, words[0]])) <= width:
        first.append(words.pop(0))
    lines = [" ".join(first), " ".join(words)] if first else [text]
    spans = "".join(
        f'<tspan x="{cx}" dy="{0 if i == 0 else 15}">{escape(line)}</tspan>'
        for i, line in enumerate(lines)
        if line
    )
    return f'<text x="{cx}" y="{y}" text-anchor="middle">{spans}</text>'


def share_histogram(group: dict[str, Any], top_label: str, chart_id: str = "chart-shares") -> str:
    """Persons classed at the top level, by band of their top-level share
    (100%, 80–<100%, … <50%): one column per band."""
    bands = group["high_share_bands"]
    n = len(bands)
    plot_h, base_y, top_pad = 200, 240, 40
    col_w = (BAR_W - 20) // max(n, 1)
    biggest = max((b["count"] for b in bands), default=0)
    body = [f'<line x1="{LEFT}" y1="{base_y}" x2="{WIDTH - LEFT}" y2="{base_y}" stroke="#333333"/>']
    for i, band in enumerate(bands):
        h = band["count"] * plot_h // biggest if biggest else 0
        x = LEFT + 10 + i * col_w
        cx = x + col_w // 2
        body.append(
            f'<g class="column" data-band="{escape(band["band"])}">'
            f"<title>{escape(band['label'])}: {format_int_vi(band['count'])}/"
            f"{format_int_vi(band['total'])} ({escape(band['percent'])})</title>"
            f'<rect x="{x + 8}" y="{base_y - h}" width="{col_w - 16}" height="{h}" '
            f'fill="{COLORS[0]}" data-count="{band["count"]}"/>'
            f'<text x="{cx}" y="{base_y - h - 6}" text-anchor="middle">'
            f"{format_int_vi(band['count'])} ({escape(band['percent'])})</text>"
            + _label(cx, base_y + 18, band["label"])
            + "</g>"
        )
    title = f"Phân bố tỷ lệ phiếu {top_label.lower()} của cán bộ đạt mức {top_label.lower()}"
    desc = "; ".join(f"{b['label']}: {b['count']} người ({b['percent']})" for b in bands)
    return _svg(chart_id, title, desc, base_y + top_pad + 6, body)
