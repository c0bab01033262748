"""The ``coder`` command: argument parsing over :class:`coder.core.project.Project`.

Every command is a few lines that parse arguments, call the project and print
the result.  Mistakes in the user's files or arguments are printed as
``file:line: message`` with a hint and exit with status 2; there are no
tracebacks for user errors.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Callable, Sequence

from coder import __version__
from coder.core.errors import CoderError, Severity

Handler = Callable[[argparse.Namespace], int]
COMMANDS: dict[str, tuple[str, Handler, Callable[[argparse.ArgumentParser], None]]] = {}


def command(name: str, help: str, args: Callable[[argparse.ArgumentParser], None] = lambda p: None):
    def register(fn: Handler) -> Handler:
        COMMANDS[name] = (help, fn, args)
        return fn

    return register


def _project(args: argparse.Namespace):
    """The project given with -C (default: here), found upwards as git finds a repository."""
    from coder.core.project import Project

    return Project.find(Path(getattr(args, "project", None) or "."))


def _coder(args: argparse.Namespace) -> str:
    from coder.core.codings.identity import resolve_coder

    return resolve_coder(getattr(args, "coder", None)).name


def _print_table(rows: list[dict], columns: list[str], out=sys.stdout) -> None:
    widths = {c: max([len(c), *(len(str(r.get(c, ""))) for r in rows)]) for c in columns}
    numeric = {c for c in columns if rows and all(isinstance(r.get(c), (int, float)) for r in rows)}

    def fmt(c: str, v: object) -> str:
        return str(v).rjust(widths[c]) if c in numeric else str(v).ljust(widths[c])

    print("  ".join(fmt(c, c) for c in columns).rstrip(), file=out)
    print("  ".join("-" * widths[c] for c in columns), file=out)
    for r in rows:
        print("  ".join(fmt(c, r.get(c, "")) for c in columns).rstrip(), file=out)


# ---------------------------------------------------------------------- open
def _coder_arg(p: argparse.ArgumentParser) -> None:
    p.add_argument("--coder", help="who is coding (default: $CODER_NAME, then your settings)")


def _open_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("dir", nargs="?", help="the project folder (same as -C DIR)")
    _coder_arg(p)


@command("open", "open the coding workbench (the default command)", _open_args)
def cmd_open(args: argparse.Namespace) -> int:
    from coder.ui.app import make_app

    args.project = args.dir or getattr(args, "project", None)
    project_root = _project(args).root  # a clear error before the screen takes over
    from coder.core.codings.identity import resolve_coder

    who = resolve_coder(args.coder, required=False)  # a bad name is an error; no name, the workbench asks
    make_app(project_root, who.name if who else None).run()
    return 0


# ---------------------------------------------------------------------- init
def _init_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("dir", nargs="?", default=".", help="folder for the new project (default: here)")


@command("init", "create a new project with a starter codebook", _init_args)
def cmd_init(args: argparse.Namespace) -> int:
    from coder.core.project import Project

    project = Project.init(Path(args.dir))
    print(f"Created project '{project.name}' in {args.dir}")
    print("Next: put transcripts in transcripts/, edit codebooks/codebook.yaml, then run `coder check`.")
    return 0


# --------------------------------------------------------------------- check
def _check_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--strict", action="store_true", help="exit 1 when there are warnings but no errors")
    p.add_argument("--quiet", "-q", action="store_true", help="print errors only")
    p.add_argument("--repair", action="store_true",
                   help="move damaged coding-log lines to codings/<coder>.quarantine.jsonl (asks first)")
    p.add_argument("--yes", "-y", action="store_true", help="with --repair: do not ask")


@command("check", "validate the codebook, transcripts, participant table and coding logs", _check_args)
def cmd_check(args: argparse.Namespace) -> int:
    project = _project(args)
    if args.repair:
        _repair(project, args.yes)
    problems = project.check()
    errors = [p for p in problems if p.severity is Severity.ERROR]
    warnings = [p for p in problems if p.severity is Severity.WARNING]
    for p in problems:
        if p.severity is Severity.ERROR or not args.quiet:
            print(p, file=sys.stderr if p.severity is Severity.ERROR else sys.stdout)
    print(f"{len(errors)} error(s), {len(warnings)} warning(s)")
    if errors:
        return 2
    return 1 if warnings and args.strict else 0


def _repair(project, yes: bool) -> None:
    damaged = project.damaged_lines()
    if not damaged:
        print("No damaged lines in the coding logs.")
        return
    folder = project.config.codings
    for coder, line, raw in damaged:
        print(f"{folder / (coder + '.jsonl')}:{line}: {_clip(raw.decode('utf-8', errors='replace'), 60)!r}")
    question = (f"Copy these {len(damaged)} damaged line(s) to <coder>.quarantine.jsonl and record it in the log? "
                "Nothing is deleted. [y/N] ")
    if not yes:
        try:
            answer = input(question)
        except EOFError:
            answer = ""
        if answer.strip().lower() not in ("y", "yes"):
            print("Nothing changed.")
            return
    for coder, n, side in project.repair_logs():
        print(f"Quarantined {n} line(s) of {coder}'s log into {side}")


# --------------------------------------------------------------------- stats
def _stats_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--json", action="store_true", help="print JSON instead of a table")


@command("stats", "list transcripts with speakers, words, turns and segments", _stats_args)
def cmd_stats(args: argparse.Namespace) -> int:
    project = _project(args)
    rows = []
    for transcript in project.transcripts():
        info = project.transcript_info(transcript)
        rows.append({
            "transcript": info.id, "format": info.format, "speakers": info.speakers, "words": info.words,
            "turns": info.turns, "segments": info.segments, "participants": " ".join(info.participants),
        })
    if args.json:
        print(json.dumps(rows, indent=2))
        return _unreadable(project)
    total = {k: sum(r[k] for r in rows) for k in ("speakers", "words", "turns", "segments")}
    _print_table(rows + [{"transcript": f"total ({len(rows)})", "format": "", **total, "participants": ""}],
                 ["transcript", "format", "speakers", "words", "turns", "segments", "participants"])
    return _unreadable(project)


# ------------------------------------------------------------------- suggest
def _suggest_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("transcripts", nargs="*", help="transcript ids (default: all)")
    p.add_argument("--min-band", choices=["weak", "possible", "strong"], default="weak",
                   help="leave out suggestions below this confidence band")
    p.add_argument("--top", type=int, default=3, help="suggestions per segment (default 3)")
    p.add_argument("--format", choices=["csv", "jsonl"], default="csv")
    p.add_argument("--all-speakers", action="store_true", help="also suggest codes for interviewers' sentences")
    p.add_argument("--out", help="output file (default: exports/suggestions.<format>)")
    p.add_argument("--quality", action="store_true",
                   help="instead: how good the suggestions are on this project (accepted vs rejected by band, "
                        "and cross-validated kappa per code)")
    p.add_argument("--json", action="store_true", help="with --quality: print JSON")
    p.add_argument("--fresh", action="store_true",
                   help="with --quality: cross-validate again even if nothing changed since the saved result")
    p.add_argument("--fine-tune", action="store_true",
                   help="instead: fine-tune the model on this project's codings now (minutes; see the README)")


@command("suggest", "suggest codes for every segment, offline, and write them as CSV or JSONL", _suggest_args)
def cmd_suggest(args: argparse.Namespace) -> int:
    project = _project(args)
    if args.quality:
        return _suggest_quality(project, args.json, args.fresh)
    if args.json or args.fresh:
        raise CoderError(f"{'--json' if args.json else '--fresh'} goes with --quality",
                         hint="coder suggest --quality [--json] [--fresh]")
    if args.fine_tune:
        return _fine_tune(project)
    out = Path(args.out) if args.out else project.config.exports / f"suggestions.{args.format}"
    with _progress("suggesting") as progress:
        n = project.suggestions.write(out, args.transcripts or None, top=args.top, min_band=args.min_band,
                                      fmt=args.format, all_speakers=args.all_speakers,
                                      progress=lambda done, total: progress("embedding", done, total))
    print(f"{n} suggestion(s) written to {out}")
    return 0


def _suggest_quality(project, as_json: bool, fresh: bool = False) -> int:
    from coder.core.suggest.quality import format_bands, format_codes, project_quality, trust

    with _progress("quality") as progress:
        quality = project_quality(project, progress=progress, fresh=fresh)
    if as_json:
        print(json.dumps(quality.to_json(), indent=2, ensure_ascii=False))
        return 0
    print("Suggestions accepted and rejected so far, by the band they were shown in "
          "(precision: the share accepted):")
    _print_table(format_bands(quality.bands), ["band", "accepted", "rejected", "precision"])
    print()
    if not quality.folds:
        print(f"Cross-validated kappa per code: not yet ({quality.note}).")
    else:
        print(f"How far the suggestions agree with your codings, per code: each passage held out in turn "
              f"({quality.folds} folds over {quality.passages} coded or read passages, model {quality.model}) "
              f"and scored as the workbench scores it. Kappa 1 is full agreement, 0 no better than chance; "
              f"precision: the share of proposed codes you had coded; recall: the share of your codings proposed.")
    _print_table(format_codes(quality.codes, quality.min_positives),
                 ["code", "coded", "kappa", "F1", "precision", "recall", "verdict"])
    if quality.mean_kappa is not None:
        measured = sum(1 for c in quality.codes if c.enough)
        print(f"\nMean kappa over the {measured} code(s) with enough codings: {quality.mean_kappa:.2f}")
    for line in trust(quality):
        print(line)
    if quality.caveat:
        print(quality.caveat)
    if quality.time:
        print(f"\nComputed {quality.time[:16].replace('T', ' ')} UTC; kept in .coder/quality.json and shown again "
              "until the codings, codebook or model change (--fresh recomputes now).")
    return 0


def _fine_tune(project) -> int:
    from coder.core.suggest.finetune import run_round

    with _progress("fine-tuning") as progress:
        done = run_round(project, progress=progress)
    what = "trained" if done.trained else "already trained for exactly these codings, reused"
    print(f"Fine-tuned model {done.model_id}: {what} ({done.coded} coded passages, {done.pairs} pairs, "
          f"{done.cpu_seconds:.0f} CPU-seconds), in {done.folder}")
    if not project.config.fine_tune:
        print("Suggestions use it once coder.yaml says 'fine_tune: true'.")
    return 0


# -------------------------------------------------------------------- export
def _export_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--out", help="output folder (default: exports/)")
    p.add_argument("--coder", help="one coder's codings (default: all coders merged)")
    p.add_argument("--codes", help="comma-separated code ids to include (with their children)")
    p.add_argument("--group-by", help="comma-separated participant attributes (default: programme,nation,role)")
    p.add_argument("--min-cell", type=int, default=0, help="show counts below N as '<N' (for public reports)")
    p.add_argument("--format", choices=["csv", "xlsx", "qdpx", "qdc", "taguette"], default="csv",
                   help="report tables (csv, xlsx), a REFI-QDA project or codebook (qdpx, qdc), "
                        "or the codebook as a CSV Taguette imports (taguette)")
    p.add_argument("--quotes-per-cell", type=int, default=3, help="quotes per theme × group cell (default 3)")
    p.add_argument("--pathway-window", type=int, default=2, metavar="N",
                   help="pathways: two themes coded in one turn or at most N sentences apart count as close (default 2)")
    p.add_argument("--wave", help="report this wave (default: the first, when transcripts name waves)")
    p.add_argument("--by-wave", action="store_true", help="report every wave, each row marked with its wave")
    p.add_argument("--ids", action="store_true",
                   help="name speakers in report quote tables by participant id and attributes, not only role, programme and nation")


@command("export", "write quotes, theme tables and the joint display to exports/", _export_args)
def cmd_export(args: argparse.Namespace) -> int:
    project = _project(args)
    options = {"coder": args.coder, "min_cell": args.min_cell, "format": args.format,
               "quotes_per_cell": args.quotes_per_cell, "ids": args.ids,
               "pathway_window": args.pathway_window, "wave": args.wave, "by_wave": args.by_wave}
    if args.codes:
        options["codes"] = _list(args.codes)
    if args.group_by:
        options["group_by"] = _list(args.group_by)
    with _progress("exporting") as progress:
        paths = project.export(Path(args.out) if args.out else None, progress=progress, **options)
    for path in paths:
        print(path)
    if args.format in ("csv", "xlsx"):
        warning = _not_done_warning(project, args.coder)
        if warning:
            print(f"coder: warning: {warning}", file=sys.stderr)
    manifest = next((p for p in paths if p.name == "manifest.json"), None)
    if manifest is not None:
        _say_left_out(json.loads(manifest.read_text(encoding="utf-8")))
    return _unreadable(project)


def _not_done_warning(project, coder: str | None) -> str:
    from coder.core.export.coverage import not_done_warning

    return not_done_warning(project.not_done(coder), len(project.transcript_ids()))


# -------------------------------------------------------------------- report
def _report_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--out", help="output folder (default: exports/)")
    p.add_argument("--format", choices=["html", "docx", "both"], default="both",
                   help="report.html (one self-contained page), report.docx (Word) or both (default)")
    p.add_argument("--coder", help="one coder's codings (default: all coders merged)")
    p.add_argument("--min-cell", type=int, default=0, help="show counts below N as '<N' (for public reports)")


@command("report", "write the evaluation report: key findings, themes, quotes and method notes (HTML, Word)",
         _report_args)
def cmd_report(args: argparse.Namespace) -> int:
    project = _project(args)
    for path in project.report(Path(args.out) if args.out else None, args.format, args.coder, args.min_cell):
        print(path)
    warning = _not_done_warning(project, args.coder)
    if warning:
        print(f"coder: warning: {warning}", file=sys.stderr)
    return 0


# ---------------------------------------------------------------------- done
def _done_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("transcript", nargs="?", help="transcript id (file name without suffix); omit to list")
    p.add_argument("--undo", action="store_true", help="mark the transcript as not done again")
    _coder_arg(p)


@command("done", "mark a transcript as completely coded (theme tables count its participants), or list which are", _done_args)
def cmd_done(args: argparse.Namespace) -> int:
    project = _project(args)
    if args.transcript is None:
        marks = project.store.state().done
        for tid in project.transcript_ids():
            who = sorted(c for t, c in marks if t == tid)
            print(f"{tid}  {'done by ' + ', '.join(who) if who else 'not done'}")
        return 0
    coder = _coder(args)
    changed = project.mark_done(coder, args.transcript, not args.undo)
    state = "not done" if args.undo else "done"
    print(f"{args.transcript}: {state} for {coder}" + ("" if changed else " (it already was)"))
    return 0


def _unreadable(project) -> int:
    """Report each transcript that could not be read (file:line: why); 1 if there was any."""
    problems = project.unreadable()
    for p in problems:
        print(p, file=sys.stderr)
    if problems:
        print(f"{len(problems)} transcript(s) could not be read and were left out; the rest was processed",
              file=sys.stderr)
    return 1 if problems else 0


def _say_left_out(manifest: dict) -> None:
    """What the export left out, as the manifest records it."""
    left = manifest.get("left_out", {}).get("codings", [])
    if left:
        print(f"{len(left)} coding(s) left out (listed in manifest.json); confirm or re-place them with `coder orphans`:")
        for row in left:
            print(f"  {row['coding']} {row['coder']} {row['transcript']} {row['code']}: {row['why']}")
    skipped = manifest.get("skipped_log_lines", {}).get("lines", [])
    if skipped:
        print(f"{len(skipped)} damaged coding-log line(s) skipped (`coder check --repair` quarantines them):")
        for where in skipped:
            print(f"  {where}")


# ------------------------------------------------------------------- orphans
def _orphans_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--coder", help="who decides (for --place/--discard); default: $CODER_NAME or settings")
    p.add_argument("--place", metavar="CODING_ID", help="re-place this orphan at its best candidate (or --at)")
    p.add_argument("--at", metavar="START:END", help="with --place: the new span in code points")
    p.add_argument("--discard", metavar="CODING_ID", help="discard this orphaned coding (recorded in the log)")
    p.add_argument("--json", action="store_true", help="print JSON instead of a table")


@command("orphans", "list codings that could not be re-placed (or were re-placed approximately) after a transcript edit, and resolve them", _orphans_args)
def cmd_orphans(args: argparse.Namespace) -> int:
    project = _project(args)
    if args.place or args.discard:
        coder = _coder(args)
        if args.discard:
            project.discard_orphan(coder, args.discard)
            print(f"Discarded {args.discard} (by {coder})")
            return 0
        span = _span(args.at) if args.at else None
        coding = project.replace_orphan(coder, args.place, *(span or (None, None)))
        print(f"Re-placed {args.place} at {coding.start}:{coding.end} (by {coder}): {coding.quote[:60]!r}")
        return 0
    orphans, fuzzy = project.orphans(), project.to_review()
    rows = [{
        "coding": o.coding.id, "coder": o.coding.coder, "transcript": o.coding.transcript, "code": o.coding.code,
        "status": "orphan", "old quote": _clip(o.coding.quote),
        "best candidate": (f"{o.candidate_start}:{o.candidate_end} ({o.score:.0%} similar)"
                           if o.candidate_start is not None else f"none ({o.reason})"),
    } for o in orphans] + [{
        "coding": p.coding.id, "coder": p.coding.coder, "transcript": p.coding.transcript, "code": p.coding.code,
        "status": p.anchor.label, "old quote": _clip(p.coding.quote),
        "best candidate": f"{p.start}:{p.end} (placed, {p.anchor.score:.0%} similar)",
    } for p in fuzzy]
    quotes = [o.coding.quote for o in orphans] + [p.coding.quote for p in fuzzy]
    if args.json:
        print(json.dumps([{**r, "old quote": q} for r, q in zip(rows, quotes)], indent=2))
    elif rows:
        _print_table(rows, list(rows[0]))
        print(f"{len(orphans)} orphaned, {len(fuzzy)} re-placed but waiting for review: "
              "--place ID [--at START:END] to re-place or confirm, --discard ID to discard")
    else:
        print("No orphaned codings, and none waiting for review.")
    return 0


def _span(text: str) -> tuple[int, int]:
    try:
        start, end = (int(x) for x in text.split(":"))
    except ValueError:
        raise CoderError(f"--at must be START:END in code points, not '{text}'") from None
    return start, end


def _clip(text: str, width: int = 50) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


# --------------------------------------------------------------------- agree
def _agree_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("coder_a", metavar="CODER_A")
    p.add_argument("coder_b", metavar="CODER_B")
    p.add_argument("--unit", choices=["segment", "turn", "participant"], default="segment",
                   help="what is compared: sentences (default), speaker turns or whole participants")
    p.add_argument("--codes", help="comma-separated code ids (default: every code)")
    p.add_argument("--transcripts", help="comma-separated transcript ids (default: those both coders coded)")
    p.add_argument("--exclude-uncoded", action="store_true", help="leave out units neither coder coded")
    p.add_argument("--no-write", action="store_true", help="do not write exports/irr_by_code.csv")


@command("agree", "inter-coder agreement per code: percent agreement, Cohen's kappa, Krippendorff's alpha", _agree_args)
def cmd_agree(args: argparse.Namespace) -> int:
    from coder.core.agreement import agreement_table, format_table

    table = agreement_table(
        _project(args), args.coder_a, args.coder_b, unit=args.unit, codes=_list(args.codes),
        exclude_uncoded=args.exclude_uncoded, transcripts=_list(args.transcripts) or None, write=not args.no_write,
    )
    print(format_table(table))
    return 0


def _list(text: str | None) -> tuple[str, ...]:
    return tuple(x.strip() for x in (text or "").split(",") if x.strip())


# ------------------------------------------------------------- read back
def _find_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("code", metavar="CODE", help="a code id (or its name)")
    p.add_argument("--with-children", action="store_true", help="also the codings of its sub-codes")
    p.add_argument("--where", action="append", default=[], metavar="COL=VALUE",
                   help="keep codings whose participant (or transcript) has this attribute value; repeatable")
    p.add_argument("--coder", help="one coder's codings (default: everyone's)")
    p.add_argument("--origin", choices=["manual", "suggestion"], help="only codings made by hand, or accepted suggestions")
    p.add_argument("--sort", choices=["transcript", "participant", "length", "coder", "code"], default="transcript")
    p.add_argument("--context", type=int, default=0, metavar="N", help="N sentences of the same turn before and after")
    fmt = p.add_mutually_exclusive_group()
    fmt.add_argument("--json", action="store_true", help="print JSON records")
    fmt.add_argument("--csv", action="store_true", help="print CSV")


@command("find", "every coding of a code across all transcripts, with who said it", _find_args)
def cmd_find(args: argparse.Namespace) -> int:
    from coder import query_output
    from coder.core.query import Filters

    if args.context < 0:
        raise CoderError(f"--context must be 0 or more, not {args.context}")
    q = _project(args).query()
    rows = q.find(args.code, args.with_children, Filters.parse(args.where, args.coder, args.origin),
                  args.sort, args.context)
    if args.json or args.csv:
        query_output.write_records([r.record() for r in rows], "json" if args.json else "csv")
        return 0
    code = q.inp.codebook.get(q.code_id(args.code))
    title = f"{code.id} ({code.name}){' with sub-codes' if args.with_children else ''}"
    query_output.print_found(rows, title)
    return 0


def _search_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("pattern", metavar="PATTERN", help="words to find (any spacing or case), or a regular expression")
    p.add_argument("--regex", action="store_true", help="PATTERN is a regular expression (case-insensitive)")
    p.add_argument("--speakers", choices=["participants", "all"], default="participants",
                   help="search participants' turns only (default) or everyone's")
    p.add_argument("--json", action="store_true", help="print JSON records")


@command("search", "find words, a phrase or a regular expression across every transcript", _search_args)
def cmd_search(args: argparse.Namespace) -> int:
    from dataclasses import asdict

    from coder import query_output

    hits = _project(args).query().search(args.pattern, args.regex, args.speakers)
    if args.json:
        query_output.write_records([asdict(h) for h in hits], "json")
    else:
        query_output.print_hits(hits, args.pattern)
    return 0


def _codes_args(p: argparse.ArgumentParser) -> None:
    sub = p.add_subparsers(dest="codes_command", metavar="ACTION", required=True)
    stats = sub.add_parser("stats", help="codings, segments and participants per code, rolled up as the exports are",
                           description="Codings, segments and participants per code; a theme counts the distinct "
                                       "segments and participants of itself and its sub-themes.")
    stats.add_argument("-C", "--project", default=argparse.SUPPRESS, metavar="DIR", help="the project folder")
    stats.add_argument("--by", metavar="transcript|participant|coder|COLUMN",
                       help="one row per code and transcript, participant, coder or attribute value")
    stats.add_argument("--depth", type=int, metavar="N", help="codes down to level N only (1: top-level themes)")
    stats.add_argument("--coder", help="one coder's codings (default: everyone's)")
    stats.add_argument("--json", action="store_true", help="print JSON records")
    rename = sub.add_parser("rename", help="give a code a new id; its codings follow (former_ids)",
                            description="Give a code a new id in the codebook, keeping comments and layout; the old "
                                        "id is listed under former_ids, so every coding follows. No log is rewritten.")
    rename.add_argument("-C", "--project", default=argparse.SUPPRESS, metavar="DIR", help="the project folder")
    rename.add_argument("old", metavar="OLD")
    rename.add_argument("new", metavar="NEW")
    merge = sub.add_parser("merge", help="fold codes into another; their codings follow (former_ids)",
                           description="Remove codes from the codebook and list their ids under the former_ids of "
                                       "the code they are merged into, so their codings follow. No log is rewritten.")
    merge.add_argument("-C", "--project", default=argparse.SUPPRESS, metavar="DIR", help="the project folder")
    merge.add_argument("sources", metavar="CODE", nargs="+", help="codes to merge (without sub-codes)")
    merge.add_argument("--into", required=True, metavar="INTO", help="the code that takes their codings")


@command("codes", "work with the codebook's codes: `codes stats`, `codes rename`, `codes merge`", _codes_args)
def cmd_codes(args: argparse.Namespace) -> int:
    from coder import query_output
    from coder.core.query import Filters

    if args.codes_command == "rename":
        _project(args).rename_code(args.old, args.new)
        print(f"Renamed {args.old} to {args.new}; '{args.old}' is listed under its former_ids, so its codings follow")
        return 0
    if args.codes_command == "merge":
        _project(args).merge_codes(args.sources, args.into)
        print(f"Merged {', '.join(args.sources)} into {args.into}; their ids are listed under its former_ids")
        return 0
    counts = _project(args).query().stats(args.by, args.depth, Filters(coder=args.coder))
    if args.json:
        query_output.write_records(query_output.stats_records(counts, args.by), "json")
    else:
        query_output.print_stats(counts, args.by)
    return 0


# -------------------------------------------------------------------- import
def _import_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("file", metavar="FILE",
                   help="a REFI-QDA project (.qdpx) or codebook (.qdc), or a Taguette project database (.sqlite3)")
    p.add_argument("dir", metavar="DIR", nargs="?", default=".", help="a new (or empty) folder for the project")
    for name, default, what in (("source", 8, "one transcript's text"), ("project", 128, "the project or codebook file"),
                                ("total", 512, "everything read from the file")):
        p.add_argument(f"--max-{name}-mb", type=float, default=default, metavar="MB",
                       help=f"refuse the file if {what} is larger (default {default})")


@command("import", "create a project from a REFI-QDA file written by NVivo, ATLAS.ti, MAXQDA or QualCoder", _import_args)
def cmd_import(args: argparse.Namespace) -> int:
    from coder.core.refi import ImportLimits, import_refi

    limits = ImportLimits(args.max_source_mb, args.max_project_mb, args.max_total_mb)
    print(import_refi(Path(args.file), Path(args.dir), limits).summary())
    return 0


# -------------------------------------------------------------------- whoami
@command("whoami", "show who codings will be recorded as", _coder_arg)
def cmd_whoami(args: argparse.Namespace) -> int:
    from coder.core.codings.identity import resolve_coder

    print(resolve_coder(args.coder))
    return 0


# --------------------------------------------------------------------- quote
def _quote_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("coding", metavar="CODING_ID", help="the coding (its id is in quotes.csv)")
    p.add_argument("text", nargs="?", help="the reported quote: [replaced or added words], … for cuts")
    p.add_argument("--remove", action="store_true", help="remove the coding's reported quote")
    _coder_arg(p)


@command("quote", "give a coding a reported quote (edited for publication), checked against what was said", _quote_args)
def cmd_quote(args: argparse.Namespace) -> int:
    if not args.remove and not args.text:
        raise CoderError("give the reported quote, or --remove", hint='e.g. coder quote ID "[Now] we are ready to …"')
    coding = _project(args).report_quote(_coder(args), args.coding, "" if args.remove else args.text)
    print(f"{coding.id}: " + (f"reported as \u201c{coding.reported}\u201d" if coding.reported else "no reported quote"))
    return 0


# -------------------------------------------------------------- pseudonymise
def _pseudonymise_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--list", action="store_true", help="list the candidate identifiers with their context")
    p.add_argument("--out", metavar="DIR", help="write a pseudonymised copy of the project to DIR (outside the project)")
    p.add_argument("--key", metavar="FILE", help="with --out: where the key goes (outside the project and DIR; owner-only)")
    p.add_argument("--accept", choices=("all", "reviewed"), default="reviewed",
                   help="with --out: every candidate not rejected (all), or only the word list and accepted ones (reviewed, the default)")
    p.add_argument("--decide", metavar="TEXT", help="record a decision on a candidate's text (with --as)")
    p.add_argument("--as", dest="verdict", choices=("accept", "reject", "accept-everywhere"), help="the decision for --decide")
    p.add_argument("--in", dest="transcript", metavar="TRANSCRIPT", help="with --decide: only in this transcript")
    p.add_argument("--replacement", help="with --decide: the replacement to use instead of the proposed one")
    p.add_argument("--no-ner", action="store_true", help="leave out spaCy's named entities even when a pipeline is installed")
    p.add_argument("--json", action="store_true", help="with --list: print JSON lines")


@command("pseudonymise", "find identifiers in the transcripts, record decisions on them, and write a pseudonymised copy with every coding in place", _pseudonymise_args)
def cmd_pseudonymise(args: argparse.Namespace) -> int:
    from coder.core.pseudonym.copy import copy_warnings

    project = _project(args)
    use_ner = False if args.no_ner else None
    if args.decide is not None:
        if not args.verdict:
            raise CoderError("--decide needs --as accept|reject|accept-everywhere")
        made = project.pseudonym_decisions().decide(args.decide, args.verdict, args.transcript, args.replacement or "")
        print(f"{made.text}: {made.decision}" + (f" in {made.transcript}" if made.transcript else "")
              + (f" as {made.replacement}" if made.replacement else ""))
    if args.list:
        _list_candidates(project, use_ner, args.json)
    if args.out or args.key:
        if not (args.out and args.key):
            raise CoderError("--out and --key go together", hint="the key must be written somewhere outside the copy")
        summary = project.pseudonymise(Path(args.out), Path(args.key), args.accept, use_ner)
        print(f"wrote {args.out}: {summary['transcripts']} transcripts, {summary['replacements']} replacements of "
              f"{summary['originals']} identifiers, {summary['codings']} codings; key in {args.key}")
        for warning in copy_warnings(summary):
            print(f"coder: warning: {warning}", file=sys.stderr)
    if not (args.decide or args.list or args.out or args.key):
        raise CoderError("nothing to do", hint="use --list, --decide TEXT --as DECISION, or --out DIR --key FILE")
    return 0


def _list_candidates(project, use_ner: bool | None, as_json: bool) -> None:
    decisions = project.pseudonym_decisions()
    rows = []
    for c in project.pseudonym_candidates(use_ner):
        d = decisions.get(c.transcript, c.text)
        rows.append({"transcript": c.transcript, "span": f"{c.start}-{c.end}", "kind": c.kind, "count": c.count,
                     "text": c.text, "replacement": (d.replacement if d and d.replacement else c.replacement),
                     "decision": d.decision if d else "", "source": c.source, "context": c.context})
    if as_json:
        for r in rows:
            print(json.dumps(r, ensure_ascii=False))
    else:
        _print_table(rows, ["transcript", "span", "kind", "count", "text", "replacement", "decision", "context"])


# ---------------------------------------------------------------------- main
class _progress:
    """A one-line progress report on stderr: ``exporting 3/10``."""

    def __init__(self, label: str) -> None:
        self.label = label
        self.tty = sys.stderr.isatty()

    def __enter__(self):
        return self

    def __call__(self, what: str, done: int, total: int) -> None:
        if self.tty:
            width = 30
            fill = int(width * done / total) if total else width
            print(f"\r{self.label} [{'#' * fill}{'.' * (width - fill)}] {done}/{total} {what[:30]:30}",
                  end="", file=sys.stderr, flush=True)

    def __exit__(self, *exc) -> None:
        if self.tty:
            print(file=sys.stderr)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="coder",
        description="Code interview transcripts against a YAML codebook, with offline suggestions and exports.",
    )
    parser.add_argument("--version", action="version", version=f"coder {__version__}")
    project_help = "the project folder, or any folder inside it (default: the current folder)"
    parser.add_argument("-C", "--project", metavar="DIR", help=project_help)
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("-C", "--project", default=argparse.SUPPRESS, metavar="DIR", help=project_help)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, (help_text, _, add_args) in COMMANDS.items():
        add_args(sub.add_parser(name, parents=[] if name in ("init", "import") else [common], help=help_text,
                                description=help_text[0].upper() + help_text[1:] + "."))
    return parser


def with_default_command(argv: Sequence[str]) -> list[str]:
    """``coder [-C DIR] [ARGS]`` with no command name opens the workbench: ``coder --coder ana``
    is ``coder open --coder ana``, and ``coder ../study`` is ``coder open ../study``."""
    argv = list(argv)
    i = 0
    while i < len(argv) and (argv[i] in ("-C", "--project") or argv[i].startswith(("-C", "--project="))):
        i += 2 if argv[i] in ("-C", "--project") else 1
    rest = argv[i:]
    if not rest or rest[0] in COMMANDS or rest[0] in ("-h", "--help", "--version"):
        return argv
    return [*argv[:i], "open", *rest]


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(with_default_command(sys.argv[1:] if argv is None else argv))
    if args.command is None:
        args = parser.parse_args(["open", *(argv or sys.argv[1:])])
    if args.project and args.command in ("init", "import"):  # `coder -C DIR init` works in DIR
        args.dir = str(Path(args.project) / args.dir)
    _, handler, _ = COMMANDS[args.command]
    try:
        return handler(args)
    except CoderError as exc:
        print(f"coder: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("coder: interrupted", file=sys.stderr)
        return 130
