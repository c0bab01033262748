"""Who the theme tables count: participants whose interviews have been coded.

A theme percentage is only meaningful over participants whose transcripts have
been read and coded; counting everyone interviewed deflates it while coding is
under way ("1/17" after two transcripts).  The rule:

* Once any transcript is marked *done* (``coder done``, or the workbench key)
  by a coder being reported, a participant is counted when every transcript
  they speak in is done by at least one of those coders (with ``--coder``:
  by that coder).
* Until then, a participant is counted when at least one transcript they speak
  in has a coding by those coders.

Everyone else interviewed is *not yet counted*; tables say how many.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Coverage:
    mode: str  # "done" or "started"
    counted: frozenset[str]
    not_done: tuple[str, ...]  # transcripts with participants that are not done (done mode) / not coded (started)

    @property
    def rule(self) -> str:
        if self.mode == "done":
            return ("theme tables count an interviewed participant only when every transcript they speak in is "
                    "marked done by a coder being reported; other interviewed participants are 'not yet counted'")
        return ("no transcript is marked done by the coders being reported, so theme tables count interviewed "
                "participants with at least one transcript that has a coding; other interviewed participants "
                "are 'not yet counted'. Mark transcripts done (`coder done`) to make the denominators final")


def coverage(transcripts_of: dict[str, list[str]], done: set[str], coded: set[str]) -> Coverage:
    """``transcripts_of``: interviewed participant -> their transcripts; ``done``: transcripts
    marked done by the coders reported; ``coded``: transcripts with their codings."""
    if done:
        counted = {p for p, tids in transcripts_of.items() if tids and all(t in done for t in tids)}
        mode, finished = "done", done
    else:
        counted = {p for p, tids in transcripts_of.items() if any(t in coded for t in tids)}
        mode, finished = "started", coded
    waiting = sorted({t for tids in transcripts_of.values() for t in tids if t not in finished})
    return Coverage(mode, frozenset(counted), tuple(waiting))


def not_done_warning(not_done: list[str], total: int) -> str:
    """What ``coder export`` and the export screen say when transcripts are not marked done ('' if all are)."""
    if not not_done:
        return ""
    names = ", ".join(not_done[:5]) + (f" and {len(not_done) - 5} more" if len(not_done) > 5 else "")
    return (f"{len(not_done)} of {total} transcripts are not marked done ({names}); the theme tables leave "
            "their participants out of the denominators, or count them provisionally until any transcript is "
            "done (see 'counting' in manifest.json). Mark a finished transcript with `coder done ID`.")
