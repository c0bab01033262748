"""The format readers: what counts as a turn, and where its words are."""

from __future__ import annotations

import docx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coder.core.errors import CoderError
from coder.core.readers import read_any
from coder.core.readers.docx import parse_paragraphs, read_docx
from coder.core.readers.plain import parse_plain, read_plain
from coder.core.readers.srt import parse_srt
from coder.core.readers.vtt import parse_vtt


def said(parsed):
    """(speaker, words) of each turn, checking that each turn points at its words."""
    for turn in parsed.turns:
        assert parsed.text[turn.start : turn.end] == turn.text
    return [(t.speaker, t.text) for t in parsed.turns]


def assert_rendered(parsed):
    """Cue formats: ``Speaker: words`` paragraphs separated by blank lines."""
    paragraphs = parsed.text.split("\n\n") if parsed.text else []
    assert len(paragraphs) == len(parsed.turns)
    for paragraph, turn in zip(paragraphs, parsed.turns):
        label = f"{turn.speaker}: " if turn.speaker else ""
        assert paragraph == label + turn.text
        assert parsed.text[turn.start - len(label) : turn.start] == label


# --- .txt / .md ---------------------------------------------------------------


def test_plain_turns_point_into_the_body():
    body = "Interviewer: So how did you hear about it?\n\nGwen: A poster, at the café.\n"
    parsed = parse_plain(body)
    assert parsed.text == body
    assert said(parsed) == [
        ("Interviewer", "So how did you hear about it?"),
        ("Gwen", "A poster, at the café."),
    ]


def test_lines_without_a_label_continue_the_turn_across_blank_lines():
    body = "Gwen: I went along\nand sat at the back.\n\nThen I stayed.\n\nInterviewer: Why?"
    assert said(parse_plain(body)) == [
        ("Gwen", "I went along\nand sat at the back.\n\nThen I stayed."),
        ("Interviewer", "Why?"),
    ]


@pytest.mark.parametrize("label", ["**Gwen:**", "**Gwen**:", "__Gwen:__"])
def test_markdown_bold_labels(label):
    parsed = parse_plain(f"# Interview\n\n**Interviewer:** Hello?\n\n{label} Hiya.\n", markdown=True)
    assert said(parsed) == [("Interviewer", "Hello?"), ("Gwen", "Hiya.")]


@pytest.mark.parametrize(
    "line, seconds",
    [
        ("[00:01:23] Gwen: Hiya.", 83.0),
        ("[01:23] Gwen: Hiya.", 83.0),
        ("Gwen [00:01:23]: Hiya.", 83.0),
        ("Gwen (1:02:03.5): Hiya.", 3723.5),
        ("[00:01:23] **Gwen:** Hiya.", 83.0),
        ("**[00:01:23] Gwen:** Hiya.", 83.0),
    ],
)
def test_timestamps_before_or_after_the_label(line, seconds):
    parsed = parse_plain(line, markdown=True)
    assert said(parsed) == [("Gwen", "Hiya.")]
    assert parsed.turns[0].start_time == seconds


def test_bad_timestamp_is_reported_at_its_line():
    with pytest.raises(CoderError) as err:
        parse_plain("Interviewer: Hi.\n\n[00:75:00] Gwen: Hiya.", file="t.txt", first_line=10)
    assert (err.value.file, err.value.line) == ("t.txt", 12)


def test_headings_rules_and_comments_are_not_turns():
    body = (
        "# Part one\n\nInterviewer: Hello.\n\n## Part two\n\n<!-- a note\nover lines -->\n\n"
        "---\n\nGwen: Hiya.\n"
    )
    assert said(parse_plain(body, markdown=True)) == [("Interviewer", "Hello."), ("Gwen", "Hiya.")]


def test_a_label_alone_on_its_line_takes_the_next_lines():
    assert said(parse_plain("Interviewer:\nSo, tell me.\n\nGwen:\n  Well.\n")) == [
        ("Interviewer", "So, tell me."),
        ("Gwen", "Well."),
    ]


def test_sentences_with_colons_inside_a_paragraph_are_not_speakers():
    body = "Gwen: We had a rule\nAnd the rule was: no phones\nso I said: fine.\n"
    assert said(parse_plain(body)) == [("Gwen", "We had a rule\nAnd the rule was: no phones\nso I said: fine.")]


def test_a_name_shaped_word_with_a_colon_mid_paragraph_is_not_a_speaker():
    body = "Interviewer: Hi.\n\nGwen: It went like this\nAnyway: we stayed.\n\nInterviewer: Right."
    turns = said(parse_plain(body))
    assert [s for s, _ in turns] == ["Interviewer", "Gwen", "Interviewer"]


def test_speakers_on_consecutive_lines_are_separate_turns():
    body = "Interviewer: Hi.\nGwen: Hiya.\nInterviewer: How are you?\nGwen: Fine.\n"
    assert [s for s, _ in said(parse_plain(body))] == ["Interviewer", "Gwen", "Interviewer", "Gwen"]


def test_metadata_names_a_speaker_the_shape_rule_would_miss():
    body = "Interviewer: Hi.\ndafydd ap gwilym: Shwmae.\n"
    assert said(parse_plain(body))[-1][0] == "Interviewer"
    assert said(parse_plain(body, known=["dafydd ap gwilym"]))[-1] == ("dafydd ap gwilym", "Shwmae.")


def test_text_before_the_first_label_is_a_turn_without_speaker_but_header_lines_are_not():
    body = "Date: 14 July 2021\nInterview with Gwen at the community centre.\n\nInterviewer: Hi.\n"
    assert said(parse_plain(body)) == [
        ("", "Interview with Gwen at the community centre."),
        ("Interviewer", "Hi."),
    ]


def test_read_plain_splits_front_matter_and_keeps_key_lines(tmp_path):
    path = tmp_path / "p.md"
    path.write_text("---\ntitle: T\ninterviewers: [int a]\n---\nint a: Hello.\n\n**Gwen:** Hi.\n", "utf-8")
    parsed = read_plain(path)
    assert parsed.has_front_matter
    assert parsed.meta == {"title": "T", "interviewers": ["int a"]}
    assert parsed.meta_lines == {"title": 2, "interviewers": 3}
    assert parsed.text == "int a: Hello.\n\n**Gwen:** Hi.\n"
    assert said(parsed) == [("int a", "Hello."), ("Gwen", "Hi.")]
    assert [t.line for t in parsed.turns] == [5, 7]


def test_an_empty_body_has_no_turns():
    assert parse_plain("").turns == ()
    assert parse_plain("\n\n  \n").turns == ()


# --- .vtt ------------------------------------------------------------------------

TEAMS = """WEBVTT

NOTE
Fictional sample transcript for coder.

2b1c/11-0
00:00:06.500 --> 00:00:10.770
<v Hannah Price>Can you hear me alright, Mr Jenkins?</v>

2b1c/12-0
00:00:12.806 --> 00:00:18.571 align:start position:10%
<v Emrys Jenkins>I can, love, <i>yes</i>. Call me Emrys,</v>

2b1c/12-1
00:00:18.611 --> 00:00:22.054
<v Emrys Jenkins>so if I <c.yellow>disappear</c>, you'll know &amp; blame her.</v>

00:00:22.738 --> 00:00:26.026
<v.loud Hannah Price>[laughs] Thank you.</v>
"""


def test_teams_vtt_voices_merge_into_turns():
    parsed = parse_vtt(TEAMS)
    assert said(parsed) == [
        ("Hannah Price", "Can you hear me alright, Mr Jenkins?"),
        ("Emrys Jenkins", "I can, love, yes. Call me Emrys, so if I disappear, you'll know & blame her."),
        ("Hannah Price", "[laughs] Thank you."),
    ]
    assert_rendered(parsed)
    assert parsed.text.startswith("Hannah Price: Can you hear me")
    emrys = parsed.turns[1]
    assert (emrys.start_time, emrys.end_time) == (12.806, 22.054)
    assert emrys.line == 11  # its first cue's timing line
    assert parsed.info == {"notes": ["Fictional sample transcript for coder."]}


def test_zoom_vtt_labels():
    text = (
        "WEBVTT\n\n1\n00:00:01.825 --> 00:00:04.332\nPriya Shah: Hi Karen, can you hear me okay?\n\n"
        "2\n00:00:04.844 --> 00:00:13.066\nKaren Whitworth: Yeah, I can hear you.\nCan you hear me?\n\n"
        "3\n00:00:13.100 --> 00:00:15.000\nKaren Whitworth: Good.\n"
    )
    parsed = parse_vtt(text)
    assert said(parsed) == [
        ("Priya Shah", "Hi Karen, can you hear me okay?"),
        ("Karen Whitworth", "Yeah, I can hear you. Can you hear me? Good."),
    ]
    assert_rendered(parsed)


def test_vtt_cue_with_two_voices():
    text = "WEBVTT\n\n00:01.000 --> 00:02.000\n<v A>Hi.</v>\n<v B>Hello.</v>\n"
    assert said(parse_vtt(text)) == [("A", "Hi."), ("B", "Hello.")]


def test_vtt_cue_without_speaker_continues_the_previous_one():
    text = (
        "WEBVTT\n\n00:01.000 --> 00:02.000\n<v Gwen>I went</v>\n\n"
        "00:02.000 --> 00:03.000\nalong, like.\n"
    )
    assert said(parse_vtt(text)) == [("Gwen", "I went along, like.")]


def test_vtt_without_any_speaker_is_one_unlabelled_turn():
    parsed = parse_vtt("WEBVTT\n\n00:01.000 --> 00:02.000\nHello.\n\n00:02.000 --> 00:03.000\nThere.\n")
    assert said(parsed) == [("", "Hello. There.")]
    assert parsed.text == "Hello. There."


@pytest.mark.parametrize(
    "cue, line",
    [
        ("00:00:01.000 -> 00:00:02.000\nHi.", 3),
        ("00:00:61.000 --> 00:00:62.000\nHi.", 3),
        ("id\n00:00:01 --> 00:00:02.000\nHi.", 4),
        ("00:00:05.000 --> 00:00:02.000\nHi.", 3),
        ("just some words\nmore words", 3),
    ],
)
def test_bad_vtt_cues_are_reported_at_their_line(cue, line):
    with pytest.raises(CoderError) as err:
        parse_vtt("WEBVTT\n\n" + cue + "\n", file="x.vtt")
    assert (err.value.file, err.value.line) == ("x.vtt", line)


def test_vtt_needs_its_header():
    with pytest.raises(CoderError, match="WEBVTT"):
        parse_vtt("00:01.000 --> 00:02.000\nHi.\n")


def test_vtt_style_blocks_are_skipped():
    text = "WEBVTT - title\n\nSTYLE\n::cue { color: red }\n\n00:01.000 --> 00:02.000\n<v A>Hi.\n"
    assert said(parse_vtt(text)) == [("A", "Hi.")]


# --- .srt ------------------------------------------------------------------------

SRT = """1
00:00:02,001 --> 00:00:06,325
Interviewer: Right, that's us recording.

2
00:00:07,588 --> 00:00:08,688
Fiona: No bother.

3
00:00:08,938 --> 00:00:14,327
<i>Sorry about the background,</i>
{\\an8}that's the Men's Shed next door.

4
00:00:15,000 --> 00:00:16,000
Interviewer: Ha.
"""


def test_srt_labels_and_unlabelled_cues_continue():
    parsed = parse_srt(SRT)
    assert said(parsed) == [
        ("Interviewer", "Right, that's us recording."),
        ("Fiona", "No bother. Sorry about the background, that's the Men's Shed next door."),
        ("Interviewer", "Ha."),
    ]
    assert_rendered(parsed)
    assert (parsed.turns[1].start_time, parsed.turns[1].end_time) == (7.588, 14.327)


def test_srt_read_from_a_crlf_file(tmp_path):
    path = tmp_path / "t.srt"
    path.write_bytes(SRT.replace("\n", "\r\n").encode("utf-8"))
    assert said(read_any(path)) == said(parse_srt(SRT))


@pytest.mark.parametrize(
    "block, line",
    [
        ("1\n00:00:02;001 --> 00:00:06,325\nHi.", 2),
        ("1\nHi there.", 2),
        ("Hi there.\nMore.", 1),
    ],
)
def test_bad_srt_cues_are_reported_at_their_line(block, line):
    with pytest.raises(CoderError) as err:
        parse_srt(block + "\n", file="x.srt")
    assert (err.value.file, err.value.line) == ("x.srt", line)


# --- .docx -----------------------------------------------------------------------


def make_docx(path, paragraphs):
    document = docx.Document()
    for text, style in paragraphs:
        document.add_paragraph(text, style=style)
    document.save(str(path))
    return path


def test_docx_header_paragraphs_and_inline_labels(tmp_path):
    path = make_docx(
        tmp_path / "t.docx",
        [
            ("Portcraig Harbour Hub – practitioner interview", "Title"),
            ("Transcribed by Clearword Transcription Services", None),
            ("Interviewer [00:00:03]", None),
            ("Okay, that's us recording.", None),
            ("Morag (00:00:08):", None),
            ("Nae bother.", None),
            ("Sorry about the dog.", None),
            ("Speaker 3  0:15", None),
            ("Hello.", None),
            ("Interviewer: And how did it start?", None),
            ("Morag [00:00:30]", None),
            ("Well.", None),
            ("Morag [00:00:40]", None),
            ("It was 2016.", None),
        ],
    )
    parsed = read_docx(path)
    assert said(parsed) == [
        ("Interviewer", "Okay, that's us recording."),
        ("Morag", "Nae bother.\nSorry about the dog."),
        ("Speaker 3", "Hello."),
        ("Interviewer", "And how did it start?"),
        ("Morag", "Well.\nIt was 2016."),
    ]
    assert_rendered(parsed)
    assert [t.start_time for t in parsed.turns] == [3.0, 8.0, 15.0, None, 30.0]
    assert parsed.info == {
        "title": "Portcraig Harbour Hub – practitioner interview",
        "transcribed_by": "Clearword Transcription Services",
    }


def test_docx_header_details_are_not_turns():
    parsed = parse_paragraphs(
        [("Date: 14 July 2021", ""), ("Location: Kilbrannan", ""), ("Interviewer: Hi.", ""), ("Mairi: Hiya.", "")]
    )
    assert said(parsed) == [("Interviewer", "Hi."), ("Mairi", "Hiya.")]
    assert parsed.info["header"] == ["Date: 14 July 2021", "Location: Kilbrannan"]


def test_docx_bad_timestamp_names_the_paragraph():
    with pytest.raises(CoderError) as err:
        parse_paragraphs([("Interviewer [00:00:03]", ""), ("Hi.", ""), ("Morag [00:99:08]", "")], file="t.docx")
    assert err.value.line == 3


def test_a_damaged_docx_is_a_user_error(tmp_path):
    path = tmp_path / "t.docx"
    path.write_bytes(b"this is not a zip file")
    with pytest.raises(CoderError, match="Word document") as err:
        read_docx(path)
    assert "save it again as .docx" in err.value.hint


# --- arbitrary input -----------------------------------------------------------------

tricky = st.lists(
    st.sampled_from(list("ab GwI:*_#[]()<>!.,-\n\t 0123’é🎉") + ["-->", "<v A>", "</v>", "WEBVTT", "NOTE", "00:01"]),
    max_size=120,
).map("".join)


def assert_turns_well_formed(parsed):
    previous_end = 0
    for turn in parsed.turns:
        assert turn.text and turn.text == turn.text.strip()
        assert parsed.text[turn.start : turn.end] == turn.text
        assert turn.start >= previous_end
        previous_end = turn.end


@settings(max_examples=300, deadline=None)
@given(st.one_of(tricky, st.text(max_size=200)), st.booleans())
def test_plain_parser_never_loses_its_place(body, markdown):
    try:
        parsed = parse_plain(body, markdown=markdown)
    except CoderError as err:  # only a clock time that cannot be a time is refused
        assert "time" in err.message
        return
    assert parsed.text == body
    assert_turns_well_formed(parsed)


@settings(max_examples=200, deadline=None)
@given(st.lists(tricky.map(lambda s: "\n".join(x for x in s.split("\n") if x.strip())), max_size=6))
def test_cue_parsers_never_lose_their_place(payloads):
    vtt = "WEBVTT\n\n" + "".join(
        f"00:00:{i:02d}.000 --> 00:00:{i:02d}.500\n{p.replace('-->', '->')}\n\n" for i, p in enumerate(payloads)
    )
    srt = "".join(
        f"{i + 1}\n00:00:{i:02d},000 --> 00:00:{i:02d},500\n{p.replace('-->', '->')}\n\n"
        for i, p in enumerate(payloads)
    )
    for parse, source in ((parse_vtt, vtt), (parse_srt, srt)):
        parsed = parse(source)
        assert_turns_well_formed(parsed)
        assert_rendered(parsed)
