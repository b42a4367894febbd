"""Charts drawn on the server as SVG (no JavaScript library): the same markup on the page and in the PDF.

Readable without colour: every series has its own dash pattern and marker shape and is named at the end of
its line; the chart carries its title, and the page shows the numbers in a table beside it."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

WIDTH, HEIGHT = 640, 300
LEFT, RIGHT, TOP, BOTTOM = 48, 150, 36, 40
DASHES = ("", "6 3", "2 3", "10 3 2 3", "1 5", "12 6")
MARKERS = ("circle", "square", "triangle", "diamond", "cross", "circle-open")


@dataclass
class Chart:
    name: str
    title: str
    x_labels: list[str]
    series: dict[str, list[float]]
    y_label: str = ""
    percent: bool = False

    @property
    def svg(self) -> SafeString:
        return mark_safe(line_chart_svg(self))

    @property
    def table_rows(self) -> list[list[str]]:
        return [
            [x, *(_fmt(values[i], self.percent) for values in self.series.values())]
            for i, x in enumerate(self.x_labels)
        ]


def _fmt(value: float, percent: bool) -> str:
    return f"{value:.0%}" if percent else f"{value:g}"


def _path(*points: tuple[float, float], close=True) -> str:
    d = " L".join(f"{x:.1f},{y:.1f}" for x, y in points)
    return f'<path d="M{d}{" Z" if close else ""}"/>'


def _marker(kind: str, x: float, y: float) -> str:
    if kind == "square":
        return f'<rect x="{x - 3.5:.1f}" y="{y - 3.5:.1f}" width="7" height="7"/>'
    if kind == "triangle":
        return _path((x, y - 4.5), (x + 4.5, y + 3.5), (x - 4.5, y + 3.5))
    if kind == "diamond":
        return _path((x, y - 5), (x + 5, y), (x, y + 5), (x - 5, y))
    if kind == "cross":
        return _path((x - 4, y - 4), (x + 4, y + 4), close=False) + _path(
            (x - 4, y + 4), (x + 4, y - 4), close=False
        )
    if kind == "circle-open":
        return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" fill="#fff"/>'
    return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4"/>'


def line_chart_svg(chart: Chart) -> str:
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    top_value = 1.0 if chart.percent else max([v for s in chart.series.values() for v in s] + [1])
    n = max(len(chart.x_labels), 1)

    def px(i: int) -> float:
        return LEFT + (plot_w * (i + 0.5) / n)

    def py(v: float) -> float:
        return TOP + plot_h - plot_h * (v / top_value)

    title_id = f"chart-{escape(chart.name)}-title"
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'width="{WIDTH}" height="{HEIGHT}" role="img" aria-labelledby="{title_id}" '
        'font-family="DejaVu Sans, sans-serif" font-size="11">',
        f'<title id="{title_id}">{escape(chart.title)}</title>',
        f'<text x="{LEFT}" y="18" font-size="13" font-weight="bold">{escape(chart.title)}</text>',
    ]
    for step in range(5):  # grid and the y axis' values
        value = top_value * step / 4
        y = py(value)
        parts.append(f'<line x1="{LEFT}" y1="{y:.1f}" x2="{LEFT + plot_w}" y2="{y:.1f}" stroke="#ccc"/>')
        label = escape(_fmt(round(value, 2), chart.percent))
        parts.append(f'<text x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end">{label}</text>')
    every = max(1, n // 12)
    for i, label in enumerate(chart.x_labels):
        if i % every == 0:
            parts.append(
                f'<text x="{px(i):.1f}" y="{TOP + plot_h + 16}" text-anchor="middle">{escape(label)}</text>'
            )
    if chart.y_label:
        parts.append(f'<text x="{LEFT}" y="{TOP - 6}" font-style="italic">{escape(chart.y_label)}</text>')
    for k, (name, values) in enumerate(chart.series.items()):
        dash = DASHES[k % len(DASHES)]
        points = " ".join(f"{px(i):.1f},{py(v):.1f}" for i, v in enumerate(values))
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        parts.append(f'<g class="series" fill="#1a1a1a" stroke="#1a1a1a"><title>{escape(name)}</title>')
        parts.append(f'<polyline points="{points}" fill="none" stroke-width="2"{dash_attr}/>')
        parts.extend(_marker(MARKERS[k % len(MARKERS)], px(i), py(v)) for i, v in enumerate(values))
        if values:
            y_end = py(values[-1]) + 4 + (k % 3 - 1) * 3
            parts.append(f'<text x="{LEFT + plot_w + 8}" y="{y_end:.1f}" stroke="none">{escape(name)}</text>')
        parts.append("</g>")
    parts.append("</svg>")
    return "".join(parts)
