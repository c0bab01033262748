"""Charts (matplotlib, Agg): readable without colour, labelled directly, sized for A4, byte-reproducible.

A key finding: one bar per group with its Wilson 95% interval, the figure
written beside it, and the group's own benchmark as a dashed reference line.
Themes: percent of counted participants mentioning each theme, one hatched
bar per group.  A suppressed figure (None) is never drawn: its row says
"not shown".  SVG (for the page) keeps text as text; PNG is for Word.
"""

from __future__ import annotations

import io

from coder.core.report.model import Finding, ThemeChart

WIDTH = 6.3  # inches: the text width of A4 with 2.5 cm margins
HATCHES = ("", "//", "..", "xx", "\\\\", "++")
FILLS = ("#9ecae1", "#fdd0a2", "#c7e9c0", "#dadaeb", "#fcbba1", "#d9d9d9")
NOT_SHOWN = "not shown (small numbers)"
STYLE = {"svg.hashsalt": "coder-report", "svg.fonttype": "none", "font.family": "DejaVu Sans",
         "font.size": 9, "hatch.linewidth": 0.6, "axes.spines.top": False, "axes.spines.right": False}


def _figure(height: float):
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    return Figure(figsize=(WIDTH, height), dpi=100, layout="constrained")


def render(draw, *args) -> tuple[bytes, bytes]:
    """(SVG bytes, PNG bytes) of the chart ``draw(fig, *args)`` makes: the same input gives the same bytes."""
    import matplotlib

    with matplotlib.rc_context(STYLE):
        fig = draw(*args)
        svg, png = io.BytesIO(), io.BytesIO()
        fig.savefig(svg, format="svg", metadata={"Date": None})
        fig.savefig(png, format="png", dpi=150, metadata={"Software": None})
    return svg.getvalue(), png.getvalue()


def finding_chart(f: Finding):
    bars = list(reversed(f.bars))
    fig = _figure(0.9 + 0.45 * len(bars))
    ax = fig.add_subplot()
    ys = range(len(bars))
    for y, b in zip(ys, bars):
        if b.percent is None:
            ax.text(1, y, NOT_SHOWN, va="center", fontsize=8, style="italic")
            continue
        ax.barh(y, b.percent, height=0.6, color="#c6dbef", edgecolor="black", linewidth=0.6)
        if b.low is not None and b.high is not None:
            ax.errorbar(b.percent, y, xerr=[[b.percent - b.low], [b.high - b.percent]], fmt="none",
                        ecolor="black", elinewidth=0.8, capsize=3)
        ax.text(min((b.high or b.percent) + 1.5, 101), y, f"{b.percent:.0f}%  ({b.display.split(' ')[0]})",
                va="center", fontsize=8)
        if b.benchmark is not None:
            ax.plot([b.benchmark, b.benchmark], [y - 0.42, y + 0.42], color="black", linestyle=(0, (3, 2)),
                    linewidth=1.4)
            ax.text(b.benchmark, y - 0.45, f"benchmark {b.benchmark:g}%", fontsize=7, ha="center", va="top")
    ax.set_yticks(list(ys), [b.label for b in bars])
    ax.set_xlim(0, 118)
    ax.set_xticks(range(0, 101, 20), [f"{x}%" for x in range(0, 101, 20)])
    ax.set_ylim(-0.8, len(bars) - 0.4)
    ax.set_xlabel("respondents with a positive answer (bar), Wilson 95% interval (whiskers), "
                  "benchmark (dashed)", fontsize=7)
    return fig


def finding_alt(f: Finding) -> str:
    parts = [f"{b.label}: " + (NOT_SHOWN if b.percent is None else
                               f"{b.percent:.0f}% ({b.display}), 95% interval {b.low:g}% to {b.high:g}%")
             + (f", benchmark {b.benchmark:g}%" if b.benchmark is not None else "") for b in f.bars]
    return f"Bar chart: {f.wording} " + "; ".join(parts) + "."


def theme_chart(c: ThemeChart):
    n, k = len(c.themes), len(c.series)
    fig = _figure(1.0 + 0.22 * n * k + 0.1 * n)
    ax = fig.add_subplot()
    step = 1.0 / (k + 0.6)
    for s, (value, percents) in enumerate(c.series):
        for t, p in enumerate(percents):
            y = n - 1 - t + (k - 1 - s - (k - 1) / 2) * step
            if p is None:
                ax.text(1, y, "not shown", va="center", fontsize=6, style="italic")
                continue
            ax.barh(y, p, height=step * 0.9, color=FILLS[s % len(FILLS)], hatch=HATCHES[s % len(HATCHES)],
                    edgecolor="black", linewidth=0.5)
            ax.text(p + 1, y, f"{p:.0f}% {value}" if k > 1 else f"{p:.0f}%", va="center", fontsize=6)
    ax.set_yticks(range(n), [_indent(lvl) + name for lvl, name in reversed(c.themes)])
    for label, (lvl, _) in zip(ax.get_yticklabels(), reversed(c.themes)):
        label.set_fontweight("bold" if lvl == 1 else "normal")
    ax.set_xlim(0, 135)
    ax.set_xticks(range(0, 101, 20), [f"{x}%" for x in range(0, 101, 20)])
    ax.set_xlabel("counted participants mentioning the theme (% of the group)", fontsize=7)
    if k > 1:
        from matplotlib.patches import Patch

        sizes = c.sizes or ("?",) * k
        ax.legend(handles=[Patch(facecolor=FILLS[s % len(FILLS)], hatch=HATCHES[s % len(HATCHES)], edgecolor="black",
                                 label=f"{value} (N={size})") for s, ((value, _), size) in enumerate(zip(c.series, sizes))],
                  loc="lower center", bbox_to_anchor=(0.4, 1.0), ncols=min(k, 3), fontsize=7, frameon=False)
    return fig


def _indent(level: int) -> str:
    """Themes in bold; a sub-theme marked with one dash per level below its theme (labels are right-aligned)."""
    return "\u2013 " * (level - 1)


def theme_alt(c: ThemeChart) -> str:
    rows = []
    for t, (_, name) in enumerate(c.themes):
        cells = [f"{v} {'not shown' if ps[t] is None else f'{ps[t]:.0f}%'}" for v, ps in c.series]
        rows.append(f"{name}: " + ", ".join(cells))
    return f"Bar chart of participants mentioning each theme by {c.variable}: " + "; ".join(rows) + "."
