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


# --- short Windows-1252 files, as old Windows tools save them ------------------------

SHORT_WESTERN = [
    "Interviewer: How much was the club?\r\nMargaret: \u00a35 a week. That\u2019s all it was.\r\n",
    "Interviewer: What was it like?\r\nSi\u00e2n: \u201cBrilliant\u201d \u2013 honestly\u2026\r\n",
    "Ren\u00e9e: I paid \u00a320 for the caf\u00e9 \u2014 it\u2019s fine.\r\n",
    "Interviewer: And Zo\u00eb?\r\nJos\u00e9 Nu\u00f1ez: She\u2019s in Year 9. Chlo\u00eb too.\r\n",
    "Se\u00e1n: We raised \u20ac300 and \u00a3250 at 30\u00b0C. \u00bd the village came.\r\n",
    "\u00c9lodie: \u00ab Bonjour \u00bb, \u00e0 la caf\u00e9. J\u00fcrgen: Die Stra\u00dfe, \u201eja\u201c. Ana: \u00bfQu\u00e9? \u00a1S\u00ed!\r\n",
    "Siân: £5.",
]


@pytest.mark.parametrize("text", SHORT_WESTERN)
def test_short_windows_1252_files_with_typical_characters_are_decoded(tmp_path, text):
    assert read_text(write(tmp_path, text.encode("cp1252"))) == text.replace("\r\n", "\n")


@pytest.mark.parametrize(
    "text, encoding",
    [
        ("Interviewer: Как вы узнали?\n", "cp1251"),
        ("Да, вы.\n", "cp1251"),
        ("Συνέντευξη: Πώς μάθατε;\n", "cp1253"),
        ("こんにちは、テスト。\n", "shift_jis"),
        ("テスト\n", "shift_jis"),
        ("日本\n", "shift_jis"),
        ("Łódź i Kraków\n", "iso8859_2"),
        ("Teşekkürler, çok güzeldi.\n", "cp1254"),
        ("Ačiū, labai gražu.\n", "cp1257"),
        ("שלום, מה שלומך?\n", "cp1255"),
        ("Interviewer: And the café? It’s £5.\n", "mac_roman"),
        ("Interviewer: And the café? It was £5.\n", "cp850"),
        ("你好，我們去了社區中心。\n", "big5"),
    ],
)
def test_short_files_in_other_encodings_are_refused(tmp_path, text, encoding):
    with pytest.raises(CoderError, match="not UTF-8") as err:
        read_text(write(tmp_path, text.encode(encoding)))
    assert "Windows-1252" in err.value.message and "UTF-8" in err.value.hint


def test_a_file_mixing_utf8_and_windows_1252_is_refused(tmp_path):
    data = "Gwen: it’s the café\n".encode("utf-8") + "Ann: the caf\u00e9\n".encode("cp1252")
    with pytest.raises(CoderError, match="UTF-8 mixed with another encoding") as err:
        read_text(write(tmp_path, data))
    assert err.value.line == 2


@pytest.mark.parametrize("seed", range(40))
def test_printable_junk_is_refused(tmp_path, seed):
    rng = random.Random(seed)
    data = bytes(rng.randrange(0x20, 0x100) for _ in range(rng.randint(40, 400)))
    with pytest.raises(CoderError):
        read_text(write(tmp_path, data))
