"""Method notes, generated from the export manifest: what a reader needs to weigh the figures."""

from __future__ import annotations

from coder.core.report.model import Note


def method_notes(manifest: dict, tables: dict, agreements: list[str]) -> list[Note]:
    rules = manifest["rules"]
    counting = manifest["counting"]
    not_done = counting["transcripts_not_done"]
    coders = manifest["coders"]
    joint = tables["joint_display"]
    notes = [
        Note("Data", f"Project \u201c{manifest['project']}\u201d, codebook \u201c{manifest['codebook']['name']}\u201d "
                     f"({manifest['codebook']['codes']} codes); "
                     + (f"codings of {', '.join(coders)} merged" if manifest["coders_merged"] and coders
                        else f"codings of {', '.join(coders) or 'nobody yet'}")
                     + f". Content hash {manifest['content_hash']}; the same tables are written by "
                       f"`coder export` with the same options."),
        Note("Units", rules["units"] + "."),
        Note("Who is counted", rules["counting"] + f". Participants counted: {counting['participants_counted']}"
             + (f"; transcripts not yet marked done: {', '.join(not_done)}." if not_done else "; every transcript is done.")),
        Note("Themes and sub-themes", rules["roll_up"] + "; the theme tables give participants mentioning a theme "
             "out of the counted participants in the group (k/N), with N in each column heading."),
        Note("Questionnaire figures", f"{joint.denominator}. Intervals: {rules['confidence_intervals']}; "
             f"percentages {rules['percentages']}."),
        Note("Benchmarks", rules["benchmarks"] + "."),
        Note("Quotes", rules["quote_choice"] + ". " + rules["speakers_in_report_tables"] + "."),
        Note("Small numbers", "Suppression: " + manifest["suppression"] + ". A suppressed figure is never drawn in a chart."),
        Note("Coders and agreement", " ".join(agreements) if agreements else
             ("Agreement was not measured: " + ("only one coder's codings are reported." if len(coders) < 2
                                                  else "the coders have no transcript in common."))),
    ]
    return [Note(n.heading, n.text[:1].upper() + n.text[1:]) for n in notes]
