"""Reading transcript text files: one decoding policy for every plain format.

Transcripts are stored as UTF-8.  :func:`read_text` also accepts what word
processors and old Windows tools commonly produce, as long as the encoding can
be identified without guessing:

* UTF-8 with or without a byte-order mark (the BOM is dropped);
* UTF-16 or UTF-32 *with* a BOM (Notepad's "Unicode");
* Windows-1252 / Latin-1 ("ANSI" on Western Windows), accepted only when the
  bytes are not UTF-8 and read as Western European text by the rules of
  :mod:`coder.core.western` (which work on a file of one line).

Anything else, and anything that looks binary (a Word or PDF file renamed to
``.txt``, NUL bytes, control characters), is refused with a
:class:`~coder.core.errors.CoderError` that names the file and says how to fix
it.  Line endings are normalised to ``\\n`` (CRLF and lone CR alike), so the
positions of codings are the same whichever system saved the file.
"""

from __future__ import annotations

import codecs
import re
from pathlib import Path

from coder.core.errors import CoderError

SAVE_AS_UTF8 = "open it in a text editor and save it as UTF-8"

_BOMS = (  # longest first: the UTF-32-LE BOM starts with the UTF-16-LE one
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

_MAGIC = (  # file signatures of documents that are not plain text
    (b"PK\x03\x04", "a Word (.docx) or other zipped document"),
    (b"\xd0\xcf\x11\xe0", "an old Word (.doc) or other Office document"),
    (b"%PDF", "a PDF"),
    (b"{\\rtf", "a Rich Text (.rtf) document"),
)

# C0 controls other than those that legitimately occur in text files: tab,
# LF, VT, FF, CR, and the DOS end-of-file mark some old editors append.
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x19\x1b-\x1f]")


_LINE_BREAK = re.compile(r"[ \t]*\n\s*")


def flow(text: str) -> str:
    """Text of one turn as it is read: every line break (with the spaces around it,
    and any blank lines) becomes one space.

    Transcription services hard-wrap a turn every ~70 characters; those breaks
    are not part of what was said.  Positions are never taken in the result:
    it is for showing, searching, embedding and exporting words.
    """
    return _LINE_BREAK.sub(" ", text) if "\n" in text else text


def normalise_newlines(text: str) -> str:
    """CRLF and lone CR become LF."""
    if "\r" not in text:
        return text
    return text.replace("\r\n", "\n").replace("\r", "\n")


def read_text(path: str | Path) -> str:
    """The file's text, decoded and with line endings normalised to ``\\n``.

    An empty file gives ``""``.  Raises :class:`CoderError` if the file cannot
    be read or its encoding cannot be identified reliably.
    """
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise CoderError(f"cannot read the file: {exc.strerror or exc}", file=path) from None
    return decode_text(data, file=path)


def decode_text(data: bytes, *, file: str | Path | None = None) -> str:
    """Decode the bytes of a text file by the policy described in the module docstring."""
    if not data:
        return ""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                text = data[len(bom) :].decode(encoding)
            except UnicodeDecodeError as exc:
                raise CoderError(
                    f"the file starts with a {encoding.upper()} byte-order mark but is not "
                    f"valid {encoding.upper()} (byte {exc.start + len(bom)})",
                    file=file,
                    hint=SAVE_AS_UTF8,
                ) from None
            return _checked(normalise_newlines(text), file)

    for magic, what in _MAGIC:
        if data.startswith(magic):
            raise CoderError(
                f"this is {what}, not a plain-text file",
                file=file,
                hint="save the transcript as plain text (UTF-8), or as .docx with a .docx name",
            )
    if b"\x00" in data:
        raise CoderError(
            "the file contains NUL bytes: it is binary, or UTF-16 without a byte-order mark",
            file=file,
            hint=SAVE_AS_UTF8,
        )
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        text = _decode_western(data, file, exc)
    return _checked(normalise_newlines(text), file)


def _decode_western(data: bytes, file: str | Path | None, exc: UnicodeDecodeError) -> str:
    """Windows-1252 text, when the rules of :mod:`coder.core.western` recognise it."""
    from coder.core.western import decode_western

    text, at, why = decode_western(data)
    if text is not None:
        return text
    line = data.count(b"\n", 0, at) + 1
    first = data.count(b"\n", 0, exc.start) + 1
    raise CoderError(
        f"the file is not UTF-8 (line {first} has the byte 0x{data[exc.start]:02x}) and its encoding cannot be "
        f"identified reliably: as Windows-1252, line {line} would have {why}",
        file=file,
        line=first,
        hint=SAVE_AS_UTF8,
    )


def _checked(text: str, file: str | Path | None) -> str:
    """Refuse decoded text that is full of control characters (binary data)."""
    sample = text[:100_000]
    controls = len(_CONTROL.findall(sample))
    if "\x00" in sample or controls > max(2, len(sample) // 1000):
        raise CoderError(
            "the file contains binary data (control characters), not transcript text",
            file=file,
            hint=SAVE_AS_UTF8,
        )
    return text
