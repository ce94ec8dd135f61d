"""Matplotlib figures as inline SVG: sharp when zoomed or printed, no image files, no network.

Several SVGs in one page share one id space, so every id of a figure gets the figure's own
prefix. Text stays text (svg.fonttype none): it can be searched, copied and read aloud.
"""
import html
import io
import re

import matplotlib

matplotlib.use("svg")
import matplotlib.pyplot as plt  # noqa: E402

# One look for every figure; the same input always gives the same bytes (hashsalt, no date).
STYLE = {
    "svg.fonttype": "none",
    "svg.hashsalt": "vtrial-report",
    "font.family": "sans-serif",
    "font.size": 9,
    "axes.titlesize": 10,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "legend.fontsize": 8,
    "legend.frameon": False,
}
plt.rcParams.update(STYLE)

_ID = re.compile(r'\bid="([^"]+)"')


def new_figure(width_in=6.4, height_in=3.6, **subplots):
    return plt.subplots(figsize=(width_in, height_in), **subplots)


def to_svg(fig, prefix, label):
    """The figure as an <svg> element (XML prolog and DOCTYPE dropped); the figure is closed."""
    buffer = io.StringIO()
    fig.savefig(buffer, format="svg", bbox_inches="tight", metadata={"Date": None, "Creator": None})
    plt.close(fig)
    svg = buffer.getvalue()
    svg = svg[svg.index("<svg"):]
    ids = set(_ID.findall(svg))
    if ids:
        pattern = re.compile(r'(id="|#)(' + "|".join(re.escape(i) for i in sorted(ids, key=len, reverse=True)) +
                             r')(?=["\)])')
        svg = pattern.sub(lambda m: m.group(1) + prefix + "-" + m.group(2), svg)
    # A figure is an image with a name for screen readers; its numbers are in the table below it.
    svg = svg.replace("<svg ", f'<svg role="img" aria-label="{html.escape(label)}" class="plot" ', 1)
    return svg
