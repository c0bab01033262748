"""The query engine's index is kept between states of the project and rebuilt from what a
change left as it was: its answers must always be those of an engine built from nothing,
and those of a plain pass over every coding."""

from __future__ import annotations

import tempfile
from pathlib import Path

from export_fixture import coded_project
from export_fixture import fixture_project  # noqa: F401  (a pytest fixture, requested by name)
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from naive_query import code_counts, coverage, naive_find

from coder.core.errors import CoderError
from coder.core.export import ExportInput
from coder.core.project import Project
from coder.core.query import SORTS, Filters, ProjectQuery
from coder.core.query.retrieve import sort_rows

CODES = ["short", "confidence", "networks", "friends", "power"]
CODERS = ["ann", "ben", "cat"]
FILTERS = [Filters(), Filters.parse(["nation=Wales"]), Filters.parse(["programme=Local Conversations"]),
           Filters(coder="ann"), Filters(origin="suggestion"), Filters(transcript="a1"), Filters(participant="A2"),
           Filters.parse(["role=participant", "nation=England"], coder="ben")]


def ids(rows) -> list[str]:
    return [r.coding.id for r in rows]


def answer(ask):
    """What ``ask()`` returns, or the user error it raises (an error is an answer too)."""
    try:
        return ask()
    except CoderError as exc:
        return ("error", str(exc))


def test_a_new_coding_appears_in_retrieval_after_apply_and_goes_with_remove(tmp_path):
    project = coded_project(tmp_path)
    before = project.query()
    text = project.transcript("b1").text
    quote = "I met new people there."
    start = text.index(quote)
    coding = project.apply("ben", "b1", "power", start, start + len(quote))
    after = project.query()
    assert after is not before
    found = after.find("power", with_children=True, filters=Filters.parse(["programme=Local Conversations"]))
    assert coding.id in ids(found)
    assert [r.quote for r in found if r.coding.id == coding.id] == [quote]
    assert coding.id not in ids(before.find("power"))  # the old engine answers for its own state
    assert {(c.code, c.group): c.codings for c in after.stats(by="coder")}[("power", "ben")] == 1
    project.remove("ben", coding.id)
    assert coding.id not in ids(project.query().find("power"))


def test_an_edited_transcript_is_placed_again(tmp_path):
    project = coded_project(tmp_path)
    project.query()
    path = project.transcript_path("b1")
    path.write_text(path.read_text(encoding="utf-8").replace("Tell me about the group.",
                                                             "Tell me a little about the group, please."),
                    encoding="utf-8")
    rows = project.query().find("friends")
    text = project.transcript("b1").text
    (r,) = [r for r in rows if r.transcript == "b1"]
    assert text[r.coding.start:r.coding.end] == "Some are friends now."


def test_answers_match_a_plain_pass_over_every_coding(fixture_project):
    q = fixture_project.query()
    for code in [None, *CODES]:
        for children in (False, True):
            for f in FILTERS:
                if code is None and not children:
                    continue
                assert ids(q.find(code, children, f)) == naive_find(q.ix, code, children, f), (code, children, f)
    for by in (None, "transcript", "coder", "participant", "programme", "nation"):
        assert q.stats(by=by) == code_counts(q.ix, q.ix.code_passages, by), by
    assert q.coverage() == coverage(q.ix)


# ------------------------------------------------------------------ property
SPANS = [("a1", "I felt more confident after a month."), ("a1", "How did you start?"),
         ("a1", "They listened to us."), ("b1", "Some are friends now."), ("b2", "The residents lead now."),
         ("fg", "I speak up now."), ("fg", "Same for me. I know my neighbours now.")]

action = st.one_of(
    st.tuples(st.just("apply"), st.sampled_from(CODERS), st.sampled_from(SPANS), st.sampled_from(CODES)),
    st.tuples(st.just("remove"), st.sampled_from(CODERS), st.integers(0, 50)),
    st.tuples(st.just("memo"), st.sampled_from(CODERS), st.integers(0, 50)),
    st.tuples(st.just("edit"), st.sampled_from(["a1", "b1", "fg"])),
    st.tuples(st.just("undo"), st.sampled_from(CODERS)),
    st.tuples(st.just("redo"), st.sampled_from(CODERS)),
    st.tuples(st.just("elsewhere"), st.sampled_from(CODERS), st.sampled_from(SPANS), st.sampled_from(CODES)),
    st.tuples(st.just("torn"), st.sampled_from(CODERS)),
    st.tuples(st.just("cut"), st.sampled_from(CODERS), st.integers(1, 3)),
)


def act(project, step) -> None:
    kind, *args = step
    if kind == "apply":
        coder, (tid, quote), code = args
        start = project.transcript(tid).text.index(quote)
        project.apply(coder, tid, code, start, start + len(quote))
    elif kind in ("remove", "memo"):
        coder, n = args
        mine = project.codings(coder)
        if mine:
            target = mine[n % len(mine)]
            if kind == "remove":
                project.remove(coder, target.id)
            else:
                project.memo(coder, "coding", target.id, f"note {n}")
    elif kind in ("undo", "redo"):
        getattr(project, kind)(args[0])
    elif kind == "elsewhere":  # another process (a colleague's workbench) codes: read from the log
        coder, (tid, quote), code = args
        other = Project.open(project.root)
        start = other.transcript(tid).text.index(quote)
        other.apply(coder, tid, code, start, start + len(quote))
    elif kind == "torn":  # a write cut short: half a line at the end of the log
        log = project.config.codings / f"{args[0]}.jsonl"
        with open(log, "ab") as f:
            f.write(b'{"type": "apply", "id": "torn')
    elif kind == "cut":  # the log edited by hand (or a sync tool): its last lines gone
        coder, n = args
        log = project.config.codings / f"{coder}.jsonl"
        if log.exists():
            lines = log.read_bytes().splitlines(keepends=True)
            log.write_bytes(b"".join(lines[:-n]))
    else:  # a line added at the top of the text: every coding of the transcript moves
        (tid,) = args
        path = project.transcript_path(tid)
        raw = path.read_text(encoding="utf-8")
        head, sep, body = raw.partition("---\n")[2].partition("---\n")
        path.write_text(f"---\n{head}{sep}Interviewer: One more thing.\n\n{body}", encoding="utf-8")


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(steps=st.lists(action, min_size=1, max_size=8), code=st.sampled_from(CODES), children=st.booleans(),
       f=st.sampled_from(FILTERS), by=st.sampled_from([None, "transcript", "coder", "participant", "nation"]))
def test_the_kept_index_answers_as_a_fresh_build_and_a_plain_scan(steps, code, children, f, by):
    with tempfile.TemporaryDirectory() as tmp:
        project = coded_project(Path(tmp))
        project.query()
        for step in steps:
            act(project, step)
            kept = project.query()  # rebuilt from the last state's pieces
            fresh = ProjectQuery(ExportInput.from_project(Project.open(project.root)))  # read from nothing
            found = answer(lambda: ids(fresh.find(code, children, f)))
            assert answer(lambda: ids(kept.find(code, children, f))) == found
            if isinstance(found, list):
                assert found == naive_find(fresh.ix, code, children, f)
            for sort in SORTS:
                shown = answer(lambda: [(r.coding.id, r.quote, r.memo, r.attributes)
                                        for r in kept.find(code, children, f, sort=sort)])
                assert shown == answer(lambda: [(r.coding.id, r.quote, r.memo, r.attributes)
                                                for r in fresh.find(code, children, f, sort=sort)])
                if isinstance(found, list):  # sorted as a plain sort of the rows by the sort's whole key
                    assert [row[0] for row in shown] == ids(sort_rows(list(fresh.find(code, children, f)), sort))
            assert kept.stats(by=by) == fresh.stats(by=by) == code_counts(fresh.ix, fresh.ix.code_passages, by)
            assert kept.coverage() == fresh.coverage() == coverage(fresh.ix)
            assert kept.memos() == fresh.memos()


# ------------------------------------------------------------- corpus search
TRICKY = "sSſkKKiIıİßẞµμσςΣ \n\tab"


@settings(max_examples=300, deadline=None)
@given(text=st.text(alphabet=TRICKY, max_size=40), query=st.text(alphabet=TRICKY, min_size=1, max_size=6))
def test_a_phrase_found_in_lower_case_text_is_found_where_the_case_insensitive_pattern_finds_it(text, query):
    from coder.core.query.corpus import _plain, lowered
    from coder.core.search import phrase_pattern

    slow = phrase_pattern(query)
    fast, low = _plain(query, False), lowered(text)
    if slow is None or fast is None or low is None:
        return  # searched with the case-insensitive pattern itself
    assert [m.span() for m in fast.finditer(low)] == [m.span() for m in slow.finditer(text)]


def test_search_with_kept_lower_case_text_gives_the_same_hits(fixture_project):
    from coder.core.query.corpus import search_transcripts

    q = fixture_project.query()
    transcripts = [q.inp.transcripts[t] for t in sorted(q.inp.transcripts)]
    for phrase in ("FRIENDS   now", "group", "the council", "i"):
        assert q.search(phrase, speakers="all") == search_transcripts(transcripts, phrase, speakers="all")
