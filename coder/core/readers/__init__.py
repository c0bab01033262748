"""One reader per transcript format; each returns a :class:`Parsed`.

Every reader takes the file path and ``known``, the speaker labels the
researcher's metadata names (they are always recognised as speakers).
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable, Collection

from coder.core.readers.base import Parsed, RawTurn
from coder.core.readers.docx import read_docx
from coder.core.readers.plain import read_plain
from coder.core.readers.srt import read_srt
from coder.core.readers.vtt import read_vtt

Reader = Callable[..., Parsed]

READERS: dict[str, Reader] = {
    "txt": read_plain,
    "md": read_plain,
    "vtt": read_vtt,
    "srt": read_srt,
    "docx": read_docx,
}
FORMATS = tuple(READERS)


def read_any(path: str | Path, *, known: Collection[str] = ()) -> Parsed:
    """Read a transcript with the reader for its suffix (which must be in :data:`FORMATS`)."""
    return READERS[Path(path).suffix.lower().lstrip(".")](path, known=known)


__all__ = ["FORMATS", "READERS", "Parsed", "RawTurn", "read_any"]
