"""The report's content, read from the export tables (one engine: no figure is computed twice).

Every number, quote and descriptor here is a cell of a table ``coder export``
writes with the same options (``joint_display``, ``joint_display_quotes``,
``theme_by_group``, ``theme_by_<group>``, ``quote_matrix``, ``codebook``), and
the method notes come from the same ``manifest.json``.  A suppressed cell
(``--min-cell``) has no percentage in those tables, so it can never reach a chart.
"""

from __future__ import annotations

import re
from datetime import datetime, timezone
from pathlib import Path

from coder.core.export import ExportInput, ExportOptions, build_tables
from coder.core.export.index import ALL
from coder.core.report.method import method_notes
from coder.core.report.model import (Bar, Benchmark, Finding, JointRow, Quote, Report, ThemeChart, ThemeSection,
                                     ThemeTable)

_WHOLE = re.compile(r"\((\d+)%\)$")


def build_report(inp: ExportInput, options: ExportOptions, agreements: list[str] = (),
                 now: datetime | None = None) -> Report:
    """The report of ``inp`` as ``coder export`` with ``options`` would tabulate it."""
    from coder.core.export import manifest as mf
    from coder.core.export import waves, writer

    view, wave = waves.view(inp, options.wave)
    tables = build_tables(view, options)
    by_name = {t.name: t for t in tables}
    data = {t.name: writer.csv_bytes(t) for t in tables}  # the manifest cites each table's digest
    manifest = mf.manifest(view, options, tables, {t.name: Path(t.file) for t in tables},
                           {name: mf.sha256(b) for name, b in data.items()}, now=now)
    book = inp.codebook
    who = f"coder: {options.coder}" if options.coder else "coders: " + (", ".join(manifest["coders"]) or "none yet")
    created = (now or datetime.now(timezone.utc)).strftime("%Y-%m-%d %H:%M UTC")
    report = Report(title=f"Evaluation report: {inp.name}",
                    subtitle="; ".join(filter(None, [f"codebook: {book.name}", who,
                                                     f"wave {wave}" if wave else ""])),
                    created=created)
    report.findings = findings(by_name["joint_display"], by_name["joint_display_quotes"], inp)
    records = by_name["theme_by_group"].records()
    report.theme_chart = theme_chart(records)
    crosstabs = [t for t in tables if t.name.startswith("theme_by_") and t.name not in ("theme_by_group",
                                                                                       "theme_by_outcome")]
    report.theme_tables = [theme_table(t, records) for t in crosstabs]
    report.themes = theme_sections(by_name["codebook"], by_name["quote_matrix"], crosstabs[0] if crosstabs else None)
    report.method = method_notes(manifest, by_name, agreements)
    report.codebook = [(r["level"], r["code_id"], r["name"], r["definition"]) for r in by_name["codebook"].records()]
    return report


def _whole(display: str) -> str | None:
    m = _WHOLE.search(display or "")
    return m.group(1) if m else None


def _note(note: str) -> str:
    """The benchmark's own note, without the scope the table puts first ("for all respondents; ...")."""
    return note.split("; ", 1)[1] if "; " in note else ""


def _pct(value: float) -> str:
    return f"{value:g}"


def _quote(r: dict, label: str = "") -> Quote:
    return Quote(r["quote"], r["descriptor"], label)


def findings(joint, joint_quotes, inp: ExportInput) -> list[Finding]:
    outcomes = {o.id: o for o in inp.outcomes}
    quotes = joint_quotes.records()
    out = []
    rows = joint.records()
    for oid in dict.fromkeys(r["outcome_id"] for r in rows):
        o = outcomes[oid]
        mine = [r for r in rows if r["outcome_id"] == oid]
        top = mine[0]
        bench = None
        if top["benchmark_percent"] is not None:
            bench = Benchmark(top["benchmark_percent"], top["benchmark_source"], top["benchmark_year"],
                              top["benchmark_population"], _note(top["benchmark_note"]))
        bars = tuple(Bar("All respondents" if r["group_variable"] == ALL else r["group_value"], r["display"],
                         r["percent"], r["ci_low"], r["ci_high"], r["benchmark_percent"]) for r in mine)
        own = [q for q in quotes if q["outcome_id"] == oid]

        def view(name: str) -> tuple[Quote, ...]:  # every group's quotes, each once, the whole sample's first
            return tuple(dict.fromkeys(_quote(q, _answer(q)) for q in own if q["view"] == name))

        out.append(Finding(oid, o.wording, sentence(o, top, bench), breakdown(mine), bars, bench,
                           top["linked_themes"], view("supporting"), view("other view"),
                           tuple(joint_row(r) for r in mine)))
    return out


def _answer(q: dict) -> str:
    a = q["answer"]
    return a if a in ("not asked", "asked, no answer") else f"answer: {a}"


def joint_row(r: dict) -> JointRow:
    group = "All respondents" if r["group_variable"] == ALL else f"{r['group_variable']}: {r['group_value']}"
    interval = "" if r["ci_low"] is None else f"{r['ci_low']:g}% to {r['ci_high']:g}%"
    if r["benchmark_percent"] is None:
        bench = r["benchmark_note"]
    else:
        bench = f"{r['benchmark_percent']:g}% ({', '.join(filter(None, [r['benchmark_source'], r['benchmark_year']]))})"
    diff = "" if r["difference_pp"] is None else f"{r['difference_pp']:+g} points"
    return JointRow(group, r["display"], interval, bench, diff, r["linked_themes"])


def sentence(o, row: dict, bench: Benchmark | None) -> str:
    """'59% agreed they can influence ... (52 of 88 respondents), compared with 22% for people living in ...'."""
    p = _whole(row["display"])
    if p is None:
        return f"The figure for \u201c{o.wording}\u201d is not shown: too few respondents ({row['display']})."
    what = o.finding or f"answered {' or '.join(o.positive)} to \u201c{o.wording}\u201d"
    k, n = row["display"].split(" ")[0].split("/")
    text = f"{p}% {what} ({k} of {n} respondents)"
    if bench is not None:
        source = ", ".join(filter(None, [bench.source, bench.year]))
        whom = bench.population or "the benchmark population"
        if source:  # "... disadvantage (most deprived decile; Community Life Survey, 2020/21)"
            whom = f"{whom[:-1]}; {source})" if whom.endswith(")") else f"{whom} ({source})"
        text += f", compared with {_pct(bench.percent)}% for {whom}"
    return text + "."


def breakdown(rows: list[dict]) -> str:
    parts = []
    for var in dict.fromkeys(r["group_variable"] for r in rows if r["group_variable"] != ALL):
        cells = [f"{r['group_value']} {r['display']}" for r in rows if r["group_variable"] == var]
        parts.append(f"By {var}: " + "; ".join(cells) + ".")
    return " ".join(parts)


def theme_table(crosstab, records: list[dict]) -> ThemeTable:
    var = crosstab.name.removeprefix("theme_by_")
    values = list(crosstab.columns)[4:]
    first = records[0]["code_id"] if records else None
    sizes = [r["participants_in_group"] for r in records if r["code_id"] == first and r["group_variable"] in (ALL, var)]
    headers = tuple(f"{'All' if v == ALL else v} (N={n})" for v, n in zip(values, sizes))
    rows = [r for r in crosstab.rows if r[0]]
    last = crosstab.rows[-1]
    return ThemeTable(var, headers, tuple((r[3], r[1], tuple(str(c) for c in r[4:])) for r in rows),
                      tuple(str(c) for c in last[4:]))


def theme_chart(records: list[dict]) -> ThemeChart | None:
    """Everyone counted, then each value of the first group variable; None when there is nothing to draw."""
    variables = [r["group_variable"] for r in records if r["group_variable"] != ALL]
    var = variables[0] if variables else ALL
    mine = [r for r in records if r["group_variable"] in (ALL, var)]
    if all(r["percent"] is None for r in mine):
        return None  # nobody counted yet (or every figure hidden)
    values = list(dict.fromkeys((r["group_variable"], r["group_value"]) for r in mine))
    codes = list(dict.fromkeys((r["code_id"], r["level"], r["code_name"]) for r in records))
    cell = {(r["code_id"], r["group_variable"], r["group_value"]): r["percent"] for r in mine}
    sizes = {(r["group_variable"], r["group_value"]): str(r["participants_in_group"]) for r in mine
             if r["code_id"] == codes[0][0]}
    return ThemeChart(var, tuple((lvl, name) for _, lvl, name in codes),
                      tuple(("All" if g == ALL else v, tuple(cell.get((cid, g, v)) for cid, _, _ in codes))
                            for g, v in values),
                      tuple(sizes[gv] for gv in values))


def theme_sections(codebook, quote_matrix, crosstab) -> list[ThemeSection]:
    """Each theme with its quotes and, from a crosstab's "all" column, how many mention it."""
    quotes: dict[str, list[Quote]] = {}
    for r in quote_matrix.records():
        if r["group_variable"] == ALL:
            quotes.setdefault(r["code_id"], []).append(_quote(r))
    shares = {r["code_id"]: str(r[ALL]) for r in crosstab.records() if r["code_id"]} if crosstab else {}
    return [ThemeSection(r["code_id"], r["name"], r["level"], r["definition"], tuple(quotes.get(r["code_id"], [])),
                         shares.get(r["code_id"], "")) for r in codebook.records()]
