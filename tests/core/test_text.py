"""Reading transcript files: encodings, line endings and files that are not text."""

from __future__ import annotations

import codecs
import random

import pytest

from coder.core.errors import CoderError
from coder.core.text import decode_text, read_text

SPEECH = (
    "Interviewer: So how did you first hear about the group?\n\n"
    "Gwen: Well, it’s the “Penrhyn Vale” lot – I didn’t know anyone… "
    "I’d just moved, you know, and the café on the corner had a poster up.\n"
)


def write(tmp_path, data: bytes, name: str = "t.txt"):
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_utf8_is_read_as_is(tmp_path):
    assert read_text(write(tmp_path, SPEECH.encode("utf-8"))) == SPEECH


def test_utf8_bom_is_dropped(tmp_path):
    assert read_text(write(tmp_path, codecs.BOM_UTF8 + SPEECH.encode("utf-8"))) == SPEECH


@pytest.mark.parametrize("newline", ["\r\n", "\r"])
def test_crlf_and_lone_cr_become_lf(tmp_path, newline):
    data = SPEECH.replace("\n", newline).encode("utf-8")
    text = read_text(write(tmp_path, data))
    assert text == SPEECH
    assert "\r" not in text


def test_mixed_line_endings_are_normalised(tmp_path):
    assert read_text(write(tmp_path, b"a\r\nb\rc\nd\r\r\ne")) == "a\nb\nc\nd\n\ne"


@pytest.mark.parametrize(
    "bom, codec",
    [
        (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
        (codecs.BOM_UTF32_LE, "utf-32-le"),
    ],
)
def test_utf16_and_utf32_with_bom_are_decoded(tmp_path, bom, codec):
    data = bom + SPEECH.replace("\n", "\r\n").encode(codec)
    assert read_text(write(tmp_path, data)) == SPEECH


def test_windows_1252_with_typographic_quotes_is_decoded(tmp_path):
    text = SPEECH * 3
    assert read_text(write(tmp_path, text.replace("\n", "\r\n").encode("cp1252"))) == text


def test_latin1_accents_are_decoded(tmp_path):
    text = "Interviewer: And the café?\n\nGwen: Oh, the café was très busy, the señora said.\n" * 3
    assert read_text(write(tmp_path, text.encode("latin-1"))) == text


@pytest.mark.parametrize(
    "text, encoding",
    [
        ("Интервьюер: Как вы узнали о группе? Ну, я не знала никого там, совсем.\n" * 3, "cp1251"),
        ("Žluťoučký kůň úpěl ďábelské ódy. Příliš žluťoučký kůň úpěl.\n" * 3, "iso8859_2"),
        ("インタビュアー：グループについてどうやって知りましたか？\n" * 3, "shift_jis"),
    ],
)
def test_other_encodings_are_refused_with_a_hint(tmp_path, text, encoding):
    path = write(tmp_path, text.encode(encoding))
    with pytest.raises(CoderError) as err:
        read_text(path)
    assert err.value.file == str(path)
    assert "UTF-8" in err.value.hint
    assert "not UTF-8" in err.value.message


def test_refusal_names_the_line_of_the_first_bad_byte(tmp_path):
    data = "line one\nline two\n".encode() + "Интервьюер: Как вы узнали".encode("cp1251")
    with pytest.raises(CoderError) as err:
        read_text(write(tmp_path, data))
    assert err.value.line == 3


def test_random_bytes_are_refused(tmp_path):
    data = random.Random(7).randbytes(4000)
    with pytest.raises(CoderError, match="binary|not UTF-8|NUL"):
        read_text(write(tmp_path, data))


@pytest.mark.parametrize(
    "data, what",
    [
        (b"PK\x03\x04\x14\x00rest of a zip", "Word"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "PDF"),
        (b"{\\rtf1\\ansi Interviewer: hello}", "Rich Text"),
    ],
)
def test_documents_renamed_to_txt_are_refused_by_name(tmp_path, data, what):
    with pytest.raises(CoderError, match=what):
        read_text(write(tmp_path, data))


def test_utf16_without_bom_is_refused(tmp_path):
    with pytest.raises(CoderError, match="NUL") as err:
        read_text(write(tmp_path, SPEECH.encode("utf-16-le")))
    assert "UTF-8" in err.value.hint


def test_control_characters_are_refused_as_binary(tmp_path):
    data = b"Interviewer: hello\x01\x02\x03\x04\x05\x06 there\x07\x08" * 3
    with pytest.raises(CoderError, match="binary"):
        read_text(write(tmp_path, data))


def test_a_stray_form_feed_or_dos_eof_is_tolerated():
    assert decode_text(b"Interviewer: hi\x0c\nGwen: hello\x1a") == "Interviewer: hi\x0c\nGwen: hello\x1a"


def test_bad_bytes_after_a_utf8_bom_are_refused(tmp_path):
    with pytest.raises(CoderError, match="byte-order mark"):
        read_text(write(tmp_path, codecs.BOM_UTF8 + b"caf\xe9"))


def test_empty_file_is_empty_text(tmp_path):
    assert read_text(write(tmp_path, b"")) == ""
    assert read_text(write(tmp_path, codecs.BOM_UTF8, "bom-only.txt")) == ""


def test_missing_file_is_a_user_error(tmp_path):
    with pytest.raises(CoderError, match="cannot read"):
        read_text(tmp_path / "nope.txt")


def test_astral_characters_survive(tmp_path):
    text = "Gwen: we had a party 🎉 and a cake 🎂.\n"
    assert read_text(write(tmp_path, text.encode("utf-8"))) == text
