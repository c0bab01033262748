"""The report's content: plain data, built from the export tables, drawn by the HTML and Word renderers."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Bar:
    """One group's figure in a key-finding chart. ``percent`` None: suppressed, never drawn."""

    label: str  # "All respondents", "Active Communities", ...
    display: str  # "52/88 (59%)" as the joint display prints it
    percent: float | None
    low: float | None
    high: float | None
    benchmark: float | None  # this group's own benchmark (percent), or None


@dataclass(frozen=True)
class Benchmark:
    percent: float
    source: str
    year: str
    population: str
    note: str  # the outcomes file's note on it

    @property
    def text(self) -> str:
        where = ", ".join(filter(None, [self.source, self.year, self.population]))
        return f"Benchmark for all respondents: {self.percent:g}% ({where})." + (f" {self.note}" if self.note else "")


@dataclass(frozen=True)
class Quote:
    text: str
    descriptor: str  # "participant, Active Communities, Wales": never a name or id
    label: str = ""  # e.g. "answer: Agree", "not asked"


@dataclass(frozen=True)
class JointRow:
    """One group's row of the joint display."""

    group: str
    display: str
    interval: str  # "48.6% to 68.8%", or "" when suppressed
    benchmark: str  # "22% (Community Life Survey, 2020/21)" or the note that there is none
    difference: str  # "+37.1 points", or ""
    linked_themes: str


@dataclass(frozen=True)
class Finding:
    """A questionnaire outcome: its figure per group, its benchmark and the sentence a report prints."""

    id: str
    wording: str
    sentence: str
    breakdown: str  # "By programme: Active Communities 41/45 (91%); ..."
    bars: tuple[Bar, ...]
    benchmark: Benchmark | None  # for all respondents
    linked_themes: str
    supporting: tuple[Quote, ...]  # of every group's row, each quote once
    other_views: tuple[Quote, ...]
    rows: tuple[JointRow, ...] = ()


@dataclass(frozen=True)
class ThemeTable:
    """Participants mentioning each theme by group: ``k/N (p%)`` cells, groups across."""

    variable: str
    headers: tuple[str, ...]  # "All (N=10)", "England (N=8)", ...
    rows: tuple[tuple[int, str, tuple[str, ...]], ...]  # (level, name, cells)
    not_counted: tuple[str, ...]  # per column: interviewed participants not yet counted


@dataclass(frozen=True)
class ThemeChart:
    """Percent mentioning per theme (rows) and group value (series); None: suppressed, never drawn."""

    variable: str
    themes: tuple[tuple[int, str], ...]  # (level, name)
    series: tuple[tuple[str, tuple[float | None, ...]], ...]
    sizes: tuple[str, ...] = ()  # each series' N (counted participants in the group), as the tables print it


@dataclass(frozen=True)
class ThemeSection:
    id: str
    name: str
    level: int
    definition: str
    quotes: tuple[Quote, ...]
    share: str = ""  # counted participants mentioning it: "8/10 (80%)"


@dataclass(frozen=True)
class Note:
    heading: str
    text: str


@dataclass
class Report:
    title: str
    subtitle: str
    created: str  # the one thing that changes between two runs on the same project
    findings: list[Finding] = field(default_factory=list)
    theme_chart: ThemeChart | None = None
    theme_tables: list[ThemeTable] = field(default_factory=list)
    themes: list[ThemeSection] = field(default_factory=list)
    method: list[Note] = field(default_factory=list)
    codebook: list[tuple[int, str, str, str]] = field(default_factory=list)  # (level, id, name, definition)
