"""Loading, finding and checking transcripts, as a project does."""

from __future__ import annotations

import random
from pathlib import Path

import docx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coder.core.errors import CoderError, Severity
from coder.core.frontmatter import split_front_matter
from coder.core.transcripts import (
    check_transcript,
    check_transcripts,
    discover_transcripts,
    load_transcript,
    transcript_id,
)

REPO = Path(__file__).resolve().parents[2]

FRONT = """---
title: Interview with an Active Communities participant
fictional: true
participant: AC-WAL-P02
interviewers: [Interviewer]
---
"""


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, "utf-8")
    return path


def assert_consistent(t):
    for turn in t.turns:
        assert 0 <= turn.start <= turn.end <= len(t.text)
        assert t.text[turn.start : turn.end] == t.text[turn.start : turn.end].strip()
    for seg in t.segments:
        assert seg.text == t.quote(seg.start, seg.end)  # its words as read: line breaks are spaces
        turn = t.turns[seg.turn]
        assert turn.start <= seg.start < seg.end <= turn.end


def warnings(problems):
    return [p.message for p in problems if p.severity is Severity.WARNING]


# --- loading each format -----------------------------------------------------------


def test_markdown_with_front_matter(tmp_path):
    path = write(
        tmp_path / "ac-wal-p02.md",
        FRONT + "\n# Interview\n\n**Interviewer:** How did you hear about it?\n\n**Gwen:** A poster. It was at the café.\n",
    )
    t = load_transcript(path, tmp_path)
    assert (t.id, t.format, t.path) == ("ac-wal-p02", "md", path)
    assert t.text.startswith("\n# Interview")  # the body as is, without front matter
    assert [(x.speaker, x.participant_id) for x in t.turns] == [("Interviewer", None), ("Gwen", "AC-WAL-P02")]
    assert [s.text for s in t.segments] == ["How did you hear about it?", "A poster.", "It was at the café."]
    assert t.meta["participant"] == "AC-WAL-P02" and t.meta["fictional"] is True
    assert_consistent(t)
    assert check_transcript(path, tmp_path) == []


def test_txt_with_timestamps(tmp_path):
    path = write(tmp_path / "p.txt", FRONT + "\n[00:00:02] Interviewer: Right.\n\n[00:00:08] Dan: Fine, honestly.\n")
    t = load_transcript(path, tmp_path)
    assert [(x.speaker, x.start_time) for x in t.turns] == [("Interviewer", 2.0), ("Dan", 8.0)]
    assert t.words == 3


def test_vtt_with_sidecar_renders_speaker_paragraphs(tmp_path):
    write(tmp_path / "p.yaml", "participant: AC-WAL-P02\ninterviewers: [Hannah Price]\nfictional: true\n")
    path = write(
        tmp_path / "p.vtt",
        "WEBVTT\n\nNOTE\nFictional sample transcript.\n\n1\n00:00:01.000 --> 00:00:02.000\n"
        "<v Hannah Price>Can you hear me?</v>\n\n2\n00:00:02.500 --> 00:00:04.000\n<v Emrys Jenkins>I can, love.</v>\n",
    )
    t = load_transcript(path, tmp_path)
    assert t.text == "Hannah Price: Can you hear me?\n\nEmrys Jenkins: I can, love."
    assert [t.text[x.start : x.end] for x in t.turns] == ["Can you hear me?", "I can, love."]
    assert [x.participant_id for x in t.turns] == [None, "AC-WAL-P02"]
    assert t.meta["notes"] == ["Fictional sample transcript."] and t.meta["fictional"] is True


def test_focus_group_speakers_mapping(tmp_path):
    write(
        tmp_path / "fg.yaml",
        "interviewers: [Facilitator]\nspeakers:\n  Gwen: LC-ENG-P08\n  tariq: LC-ENG-P09\n",
    )
    path = write(
        tmp_path / "fg.srt",
        "1\n00:00:01,000 --> 00:00:02,000\nFacilitator: Welcome.\n\n2\n00:00:02,000 --> 00:00:03,000\n"
        "Gwen: Hiya.\n\n3\n00:00:03,000 --> 00:00:04,000\nTariq: Hello.\n",
    )
    t = load_transcript(path, tmp_path)
    assert [x.participant_id for x in t.turns] == [None, "LC-ENG-P08", "LC-ENG-P09"]
    assert check_transcript(path, tmp_path) == []


def test_docx_with_sidecar(tmp_path):
    write(tmp_path / "pr.yaml", "participant: AC-SCO-PR02\ninterviewers: [Interviewer]\n")
    document = docx.Document()
    document.add_paragraph("Portcraig Harbour Hub", style="Title")
    document.add_paragraph("Transcribed by Clearword")
    for text in ["Interviewer [00:00:03]", "Okay, recording.", "Morag [00:00:08]", "Nae bother. Aye."]:
        document.add_paragraph(text)
    document.save(str(tmp_path / "pr.docx"))
    t = load_transcript(tmp_path / "pr.docx", tmp_path)
    assert t.text == "Interviewer: Okay, recording.\n\nMorag: Nae bother. Aye."
    assert [s.text for s in t.segments] == ["Okay, recording.", "Nae bother.", "Aye."]
    assert [x.participant_id for x in t.turns] == [None, "AC-SCO-PR02"]
    assert t.meta["title"] == "Portcraig Harbour Hub"


def test_ids_are_relative_paths_without_suffix(tmp_path):
    path = write(tmp_path / "site-a" / "p01.txt", "A: hi.\n")
    assert load_transcript(path, tmp_path).id == "site-a/p01"
    assert transcript_id(path) == "p01"
    assert transcript_id(Path("transcripts/x/y.md"), Path("transcripts")) == "x/y"


def test_cp1252_transcript_loads(tmp_path):
    path = tmp_path / "w.txt"
    path.write_bytes(("Interviewer: What’s it like?\r\n\r\nGwen: It’s “grand” – honestly.\r\n" * 4).encode("cp1252"))
    t = load_transcript(path, tmp_path)
    assert t.segments[1].text == "It’s “grand” – honestly."


# --- metadata problems -------------------------------------------------------------


def test_front_matter_yaml_error_is_reported_at_the_file_line(tmp_path):
    path = write(tmp_path / "p.md", "---\ntitle: T\nparticipant: [AC-1\nrole: participant\n---\nA: hi\n")
    with pytest.raises(CoderError) as err:
        load_transcript(path, tmp_path)
    assert err.value.line in (3, 4) and "YAML" in err.value.message
    (problem,) = check_transcript(path, tmp_path)
    assert (problem.severity, problem.line, problem.file) == (Severity.ERROR, err.value.line, str(path))


def test_bad_indentation_in_front_matter_names_its_line():
    text = "---\ntitle: T\nspeakers:\n  Gwen: P1\n   Tariq: P2\n---\nbody"
    with pytest.raises(CoderError) as err:
        split_front_matter(text, file="x.md")
    assert (err.value.file, err.value.line) == ("x.md", 5)


def test_sidecar_yaml_error_names_the_sidecar(tmp_path):
    sidecar = write(tmp_path / "p.yaml", "participant: P1\nparticipant: P2\n")
    path = write(tmp_path / "p.srt", "1\n00:00:01,000 --> 00:00:02,000\nA: hi.\n")
    (problem,) = check_transcript(path, tmp_path)
    assert (problem.file, problem.line) == (str(sidecar), 2)
    assert "twice" in problem.message


def test_unclosed_front_matter(tmp_path):
    path = write(tmp_path / "p.md", "---\ntitle: T\nA: hi\n")
    with pytest.raises(CoderError, match="never closed") as err:
        load_transcript(path, tmp_path)
    assert err.value.line == 1


def test_front_matter_and_sidecar_together_are_an_error(tmp_path):
    write(tmp_path / "p.yaml", "participant: P1\n")
    path = write(tmp_path / "p.md", FRONT + "A: hi.\n")
    (problem,) = check_transcript(path, tmp_path)
    assert problem.severity is Severity.ERROR
    assert "twice" in problem.message and problem.file == str(tmp_path / "p.yaml")
    with pytest.raises(CoderError):
        load_transcript(path, tmp_path)


def test_unknown_keys_are_warnings_with_a_suggestion(tmp_path):
    path = write(tmp_path / "p.md", "---\ntitle: T\ninterviewer: [Interviewer]\n---\nInterviewer: Hi.\n\nGwen: Hiya.\n")
    load_transcript(path, tmp_path)  # still loads
    problems = check_transcript(path, tmp_path)
    unknown = [p for p in problems if "unknown metadata key" in p.message]
    assert len(unknown) == 1 and unknown[0].line == 3 and "interviewers" in unknown[0].hint
    assert unknown[0].severity is Severity.WARNING


def test_wrong_types_for_linking_keys_are_errors(tmp_path):
    path = write(tmp_path / "p.md", "---\ntitle: T\nspeakers: [Gwen, Tariq]\n---\nGwen: Hi.\n")
    with pytest.raises(CoderError, match="speakers") as err:
        load_transcript(path, tmp_path)
    assert err.value.line == 3


def test_without_interviewers_the_usual_labels_are_taken_as_interviewers(tmp_path):
    path = write(tmp_path / "p.md", "---\nparticipant: P1\n---\nInterviewer 2: Hi.\n\nGwen: Hiya.\n")
    t = load_transcript(path, tmp_path)
    assert [x.participant_id for x in t.turns] == [None, "P1"]
    assert any("taking Interviewer 2 as the interviewer" in m for m in warnings(check_transcript(path, tmp_path)))


def test_speakers_that_never_speak_and_speakers_without_participant(tmp_path):
    write(tmp_path / "fg.yaml", "interviewers: [Facilitator]\nspeakers: {Gwen: P8, Maureen: P10}\n")
    path = write(tmp_path / "fg.txt", "Facilitator: Hi.\n\nGwen: Hiya.\n\nLeanne: Hello.\n")
    messages = warnings(check_transcript(path, tmp_path))
    assert any("'Maureen'" in m and "never speaks" in m for m in messages)
    assert any("Leanne" in m and "not linked" in m for m in messages)


def test_missing_metadata_is_a_warning(tmp_path):
    path = write(tmp_path / "p.txt", "Interviewer: Hi.\n\nGwen: Hiya.\n")
    assert any("no metadata" in m for m in warnings(check_transcript(path, tmp_path)))


# --- content problems ---------------------------------------------------------------


def test_empty_file_loads_empty_and_warns(tmp_path):
    path = write(tmp_path / "e.txt", "")
    t = load_transcript(path, tmp_path)
    assert (t.text, t.turns, t.segments) == ("", (), ())
    assert check_transcript(path, tmp_path)[0].message == "the file is empty"
    assert check_transcript(path, tmp_path)[0].severity is Severity.WARNING


def test_front_matter_only_warns_no_text(tmp_path):
    path = write(tmp_path / "e.md", FRONT)
    assert warnings(check_transcript(path, tmp_path)) == ["the transcript has no text"]


def test_no_speaker_turns_is_a_warning(tmp_path):
    path = write(tmp_path / "notes.txt", FRONT + "Just some field notes about the visit. Nobody is speaking.\n")
    t = load_transcript(path, tmp_path)
    assert [x.speaker for x in t.turns] == [""]  # the text can still be coded
    assert warnings(check_transcript(path, tmp_path)) == ["no speaker turns found"]


def test_unreadable_encoding_is_an_error_problem(tmp_path):
    path = tmp_path / "ru.txt"
    path.write_bytes(("Интервьюер: Как вы узнали о группе?\n" * 3).encode("cp1251"))
    (problem,) = check_transcript(path, tmp_path)
    assert problem.severity is Severity.ERROR and "UTF-8" in problem.hint


def test_unsupported_suffix(tmp_path):
    path = write(tmp_path / "p.rtf", "x")
    with pytest.raises(CoderError, match="not a transcript format"):
        load_transcript(path, tmp_path)


def test_a_10_mb_transcript_loads(tmp_path):
    rng = random.Random(3)
    vocab = "well you know I went down the Calder Road estate and met loads of people it was good".split()
    pool = [
        " ".join(
            " ".join(rng.choice(vocab) for _ in range(rng.randint(3, 18))).capitalize() + rng.choice(".?!")
            for _ in range(rng.randint(1, 6))
        )
        for _ in range(400)
    ]
    paragraphs = [f"{'Interviewer' if i % 2 else 'Gwen'}: {rng.choice(pool)}" for i in range(60_000)]
    body = "\n\n".join(paragraphs)
    assert len(body) > 10_000_000
    path = write(tmp_path / "huge.txt", FRONT + body)
    t = load_transcript(path, tmp_path)
    assert len(t.turns) == len(paragraphs)
    assert t.words > 1_500_000
    for seg in t.segments[:: len(t.segments) // 500]:
        assert seg.text == t.quote(seg.start, seg.end)  # its words as read: line breaks are spaces
        assert t.turns[seg.turn].start <= seg.start < seg.end <= t.turns[seg.turn].end


# --- discovering transcripts -----------------------------------------------------------


def test_discover_finds_transcripts_sorted_and_skips_the_rest(tmp_path):
    for name in [
        "b.vtt", "b.yaml", "a.md", "c.docx", "d.srt", "e.txt", "sub/f.txt", "participants.csv", "outcomes.yaml",
        ".hidden.txt", ".git/x.txt", "~$c.docx", "README.md", "notes.pdf", "Z.TXT",
    ]:
        write(tmp_path / name, "x")
    names = [p.relative_to(tmp_path).as_posix() for p in discover_transcripts(tmp_path)]
    assert names == ["Z.TXT", "a.md", "b.vtt", "c.docx", "d.srt", "e.txt", "sub/f.txt"]


def test_discover_in_a_missing_folder_is_a_user_error(tmp_path):
    with pytest.raises(CoderError, match="does not exist"):
        discover_transcripts(tmp_path / "nope")


def test_two_files_with_one_id_are_reported(tmp_path):
    write(tmp_path / "p.txt", "A: hi.\n")
    write(tmp_path / "p.md", "A: hi.\n")
    problems = check_transcripts(tmp_path)
    assert any("same transcript id 'p'" in p.message and p.severity is Severity.ERROR for p in problems)


# --- round trips over generated transcripts -----------------------------------------------

names = st.sampled_from(["Interviewer", "Gwen", "Speaker 2", "Mary-Anne O’Neill"])
sentence = st.builds(
    lambda words, end: " ".join(words).capitalize() + end,
    st.lists(st.text("abcdefghijklmnopqrstuvwxyzéâ’", min_size=1, max_size=9), min_size=1, max_size=12),
    st.sampled_from([".", "?", "!", "...", ""]),
)
utterance = st.lists(sentence, min_size=1, max_size=4).map(" ".join)
conversation = st.lists(st.tuples(names, utterance), min_size=1, max_size=8)


def render(fmt: str, turns: list[tuple[str, str]]) -> str:
    if fmt == "txt":
        return "\n\n".join(f"[00:00:{i:02d}] {s}: {u}" for i, (s, u) in enumerate(turns)) + "\n"
    if fmt == "md":
        return "# Interview\n\n" + "\n\n".join(f"**{s}:** {u}" for s, u in turns)
    cues = [(f"00:00:{i:02d}.000", f"00:00:{i:02d}.900", s, u) for i, (s, u) in enumerate(turns)]
    if fmt == "vtt":
        return "WEBVTT\n\n" + "\n\n".join(f"{a} --> {b}\n<v {s}>{u}</v>" for a, b, s, u in cues) + "\n"
    return "\n\n".join(
        f"{n}\n{a.replace('.', ',')} --> {b.replace('.', ',')}\n{s}: {u}" for n, (a, b, s, u) in enumerate(cues, 1)
    )


def merged(turns: list[tuple[str, str]]) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    for speaker, words in turns:
        if out and out[-1][0] == speaker:
            out[-1] = (speaker, out[-1][1] + " " + words)
        else:
            out.append((speaker, words))
    return out


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(conversation, st.sampled_from(["txt", "md", "vtt", "srt"]))
def test_generated_transcripts_round_trip(tmp_path, turns, fmt):
    path = write(tmp_path / f"g.{fmt}", render(fmt, turns))
    meta = path.with_suffix(".yaml")
    write(meta, "participant: P1\ninterviewers: [Interviewer]\n")
    t = load_transcript(path, tmp_path)
    expected = turns if fmt in ("txt", "md") else merged(turns)
    assert [(x.speaker, t.text[x.start : x.end]) for x in t.turns] == expected
    assert [x.participant_id for x in t.turns] == [None if s == "Interviewer" else "P1" for s, _ in expected]
    assert_consistent(t)
    covered = "".join(s.text for s in t.segments)
    assert "".join(covered.split()) == "".join("".join(u for _, u in expected).split())


# --- the sample project in this repository -----------------------------------------------

SAMPLE = REPO / "transcripts"
SAMPLE_FILES = discover_transcripts(SAMPLE) if SAMPLE.is_dir() else []


def test_the_sample_project_has_transcripts():
    if not SAMPLE_FILES:
        pytest.skip("the sample transcripts are not written yet")
    assert len(SAMPLE_FILES) >= 1


@pytest.mark.parametrize("path", SAMPLE_FILES, ids=lambda p: p.name)
def test_every_sample_transcript_loads_cleanly(path):
    t = load_transcript(path, SAMPLE)
    assert t.id == path.stem
    assert_consistent(t)
    assert any(turn.speaker for turn in t.turns)
    assert t.segments
    assert all(turn.participant_id for turn in t.turns if turn.speaker and not _is_interviewer(t, turn.speaker))
    assert [p for p in check_transcript(path, SAMPLE) if p.severity is Severity.ERROR] == []


def _is_interviewer(t, speaker: str) -> bool:
    return speaker.casefold() in {s.casefold() for s in t.meta.get("interviewers", [])}


def test_meta_knows_the_file_and_line_of_each_key(tmp_path):
    sidecar = write(tmp_path / "p.yaml", "fictional: true\nparticipant: P1\nnation: Wales\n")
    path = write(tmp_path / "p.srt", "1\n00:00:01,000 --> 00:00:02,000\nGwen: hi.\n")
    meta = load_transcript(path, tmp_path).meta
    assert meta == {"fictional": True, "participant": "P1", "nation": "Wales"}
    assert (meta.file, meta.line_of("nation"), meta.line_of("missing")) == (sidecar, 3, None)
    path = write(tmp_path / "q.md", FRONT + "Gwen: hi.\n")
    meta = load_transcript(path, tmp_path).meta
    assert (meta.file, meta.line_of("participant")) == (path, 4)
