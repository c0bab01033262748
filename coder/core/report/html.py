"""The report as one self-contained HTML page: inline CSS, charts as inline SVG images, no network.

Every piece of user text is escaped; nothing in the page refers to another file or address.
"""

from __future__ import annotations

import base64
from html import escape

from coder.core.report import charts
from coder.core.report.model import Finding, Quote, Report, ThemeTable

JOINT_HEADERS = ("Group", "Positive / respondents", "95% interval", "Benchmark for this group", "Difference",
                 "Linked themes: participants mentioning / counted")
CSS = """
body{font-family:Georgia,'Times New Roman',serif;max-width:46em;margin:2em auto;padding:0 1em;color:#111;line-height:1.45}
h1,h2,h3,h4{font-family:Arial,Helvetica,sans-serif;line-height:1.2}
h5,h6{font-size:1em}
h2{border-bottom:2px solid #333;padding-bottom:.2em;margin-top:2em}
.sub,.created,figcaption,.note{color:#444;font-size:.9em}
.finding{font-size:1.15em;font-weight:bold}
img.chart{width:100%;height:auto}
table{border-collapse:collapse;font-family:Arial,Helvetica,sans-serif;font-size:.85em;margin:.5em 0 1em}
th,td{border:1px solid #999;padding:.25em .5em;text-align:left;vertical-align:top}
td.n{text-align:right;white-space:nowrap}
.l2{padding-left:1.5em}.l3{padding-left:3em}.l4{padding-left:4.5em}
blockquote{margin:0;padding:.3em 1em;border-left:4px solid #555;font-style:italic}
figure.quote{margin:.8em 0 .8em 1em}
figure.other blockquote{border-left:4px dashed #555}
.view{font-family:Arial,Helvetica,sans-serif;font-size:.8em;text-transform:uppercase;letter-spacing:.05em}
@media print{body{max-width:none}h2{page-break-after:avoid}figure{page-break-inside:avoid}}
"""


def _img(svg: bytes, alt: str) -> str:
    data = base64.b64encode(svg).decode("ascii")
    return f'<img class="chart" src="data:image/svg+xml;base64,{data}" alt="{escape(alt)}">'


def _quote(q: Quote, other: bool = False) -> str:
    label = f"; {escape(q.label)}" if q.label else ""
    return (f'<figure class="quote{" other" if other else ""}"><blockquote>\u201c{escape(q.text)}\u201d</blockquote>'
            f"<figcaption>\u2014 {escape(q.descriptor)}{label}</figcaption></figure>")


def _finding(f: Finding) -> str:
    svg, _ = charts.render(charts.finding_chart, f)
    out = [f'<section class="key-finding" id="finding-{escape(f.id)}">',
           f'<p class="finding">{escape(f.sentence)}</p>', _img(svg, charts.finding_alt(f))]
    if f.breakdown:
        out.append(f"<p>{escape(f.breakdown)}</p>")
    if f.benchmark:
        out.append(f'<p class="note">{escape(f.benchmark.text)}</p>')
    out.append(f'<p class="note">Question: \u201c{escape(f.wording)}\u201d</p></section>')
    return "\n".join(out)


def _theme_table(t: ThemeTable) -> str:
    head = "".join(f"<th>{escape(h)}</th>" for h in t.headers)
    rows = [f"<tr><td class='l{min(level, 4)}'>{escape(name)}</td>" + "".join(f"<td class='n'>{escape(c)}</td>"
                                                                             for c in cells) + "</tr>"
            for level, name, cells in t.rows]
    rows.append("<tr><td>not yet counted (interviewed, transcripts not done)</td>"
                + "".join(f"<td class='n'>{escape(c)}</td>" for c in t.not_counted) + "</tr>")
    return (f"<table class='themes'><caption>Participants mentioning each theme by {escape(t.variable)}: "
            f"mentioning/counted in the group (percent)</caption><thead><tr><th>Theme</th>{head}</tr></thead>"
            f"<tbody>{''.join(rows)}</tbody></table>")


def _joint(f: Finding) -> str:
    rows = "".join(f"<tr><td>{escape(r.group)}</td><td class='n'>{escape(r.display)}</td><td>{escape(r.interval)}</td>"
                   f"<td>{escape(r.benchmark)}</td><td class='n'>{escape(r.difference)}</td>"
                   f"<td>{escape(r.linked_themes)}</td></tr>" for r in f.rows)
    out = [f"<h3>{escape(f.wording)}</h3>", f"<p><b>Figure:</b> {escape(f.sentence)}</p>",
           "<table class='joint'><thead><tr>" + "".join(f"<th>{h}</th>" for h in JOINT_HEADERS)
           + f"</tr></thead><tbody>{rows}</tbody></table>",
           '<p class="view">Supporting quotes (speakers who answered positively, or were not asked)</p>']
    out += [_quote(q) for q in f.supporting] or ["<p class='note'>No supporting quote coded.</p>"]
    if f.other_views:
        out.append('<p class="view">Other views (speakers who answered otherwise, or not at all)</p>')
        out += [_quote(q, other=True) for q in f.other_views]
    return "\n".join(out)


def render_html(r: Report) -> str:
    out = ["<!DOCTYPE html>", '<html lang="en"><head><meta charset="utf-8">',
           '<meta name="viewport" content="width=device-width, initial-scale=1">',
           f"<title>{escape(r.title)}</title><style>{CSS}</style></head><body>",
           f"<h1>{escape(r.title)}</h1>", f'<p class="sub">{escape(r.subtitle)}</p>',
           f'<p class="created">Produced by coder on {escape(r.created)}.</p>',
           '<h2 id="key-findings">Key findings</h2>']
    out += [_finding(f) for f in r.findings] or ["<p>No questionnaire outcomes are defined.</p>"]
    out.append('<h2 id="themes">Themes</h2>')
    if r.theme_chart and r.theme_chart.themes:
        svg, _ = charts.render(charts.theme_chart, r.theme_chart)
        out.append(_img(svg, charts.theme_alt(r.theme_chart)))
    out += [_theme_table(t) for t in r.theme_tables]
    out.append('<h2 id="quotes">Themes in participants\u2019 and practitioners\u2019 own words</h2>')
    for s in r.themes:
        h = min(s.level + 2, 6)
        out.append(f'<h{h} id="theme-{escape(s.id)}">{escape(s.name)}</h{h}>')
        if s.definition:
            out.append(f'<p class="note">{escape(s.definition)}</p>')
        if s.share:
            out.append(f"<p>Mentioned by {escape(s.share)} of the counted participants.</p>")
        out += [_quote(q) for q in s.quotes]
    out.append('<h2 id="joint-display">Outcomes, themes and quotes together</h2>')
    out += [_joint(f) for f in r.findings]
    out.append('<h2 id="method">Method notes</h2>')
    out += [f"<h3>{escape(n.heading)}</h3><p>{escape(n.text)}</p>" for n in r.method]
    out.append('<h2 id="codebook">Appendix: the codebook</h2><table><thead><tr><th>Theme</th><th>id</th>'
               "<th>Definition</th></tr></thead><tbody>")
    out += [f"<tr><td class='l{min(level, 4)}'>{escape(name)}</td><td>{escape(cid)}</td><td>{escape(d)}</td></tr>"
            for level, cid, name, d in r.codebook]
    out.append("</tbody></table></body></html>")
    return "\n".join(out) + "\n"
