"""Opening REFI-QDA files that may be hostile: zip archives and XML.

A ``.qdpx`` is a zip archive from somewhere else.  coder never extracts it:
entries are read into memory, by name, with size limits, after every entry
name has been checked.  An archive is refused outright if any entry would
land outside a folder it were extracted to (``../x``, ``/etc/x``, ``C:\\x``),
if it holds too many entries, or if an entry is larger than the limits
(checked on the bytes actually read, not the sizes the archive claims).

XML is parsed by lxml without resolving entities, without network access and
with lxml's default limits on tree size; a document with a ``DOCTYPE`` is
refused before parsing, since REFI-QDA files never need one and DTDs are how
entity-expansion ("billion laughs") and external-entity attacks work.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from coder.core.errors import CoderError

MAX_ENTRIES = 50_000
MAX_ENTRY_BYTES = 256 * 1024 * 1024
MAX_TOTAL_BYTES = 1024 * 1024 * 1024
_DRIVE = re.compile(r"^[A-Za-z]:")
_DOCTYPE_MARKS = tuple(
    mark.encode(enc)
    for mark in ("<!DOCTYPE", "<!ENTITY")
    for enc in ("utf-8", "utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be")
)


def unsafe_member_reason(name: str) -> str | None:
    """Why an archive entry name is unsafe to honour, or None if it is fine."""
    if "\x00" in name:
        return "its name contains a NUL character"
    unified = name.replace("\\", "/")
    if unified.startswith("/") or _DRIVE.match(unified):
        return "its path is absolute"
    if ".." in PurePosixPath(unified).parts:
        return "its path climbs out of the archive's folder ('..')"
    return None


@dataclass
class SafeArchive:
    """A zip archive whose entry names have all been checked; read entries by name."""

    path: Path
    _zip: zipfile.ZipFile
    _names: dict[str, str]  # casefolded, '/'-separated name -> name in the archive
    _read: int = 0

    @classmethod
    def open(cls, path: Path) -> "SafeArchive":
        try:
            zf = zipfile.ZipFile(path)
        except (zipfile.BadZipFile, OSError) as e:
            raise CoderError(f"not a readable .qdpx archive: {e}", file=path,
                             hint="a .qdpx file is a zip archive; export it again from the other program") from None
        infos = zf.infolist()
        if len(infos) > MAX_ENTRIES:
            zf.close()
            raise CoderError(f"the archive holds {len(infos)} entries (more than {MAX_ENTRIES}); refused", file=path)
        names: dict[str, str] = {}
        for info in infos:
            reason = unsafe_member_reason(info.filename)
            if reason:
                zf.close()
                raise CoderError(
                    f"refusing the archive: entry {info.filename!r} is unsafe ({reason})",
                    file=path,
                    hint="the file may have been tampered with; nothing was imported",
                )
            if info.is_dir():
                continue
            names.setdefault(info.filename.replace("\\", "/").casefold(), info.filename)
        return cls(path, zf, names)

    def close(self) -> None:
        self._zip.close()

    def __enter__(self) -> "SafeArchive":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    @property
    def names(self) -> list[str]:
        return list(self._names.values())

    def find(self, name: str) -> str | None:
        """The archive's spelling of ``name``, matched without regard to case."""
        return self._names.get(name.replace("\\", "/").casefold())

    def read(self, name: str) -> bytes:
        """The bytes of one entry, refusing entries (or totals) beyond the limits."""
        real = self.find(name)
        if real is None:
            raise KeyError(name)
        limit = min(MAX_ENTRY_BYTES, MAX_TOTAL_BYTES - self._read)
        try:
            with self._zip.open(real) as fh:
                data = fh.read(limit + 1)
        except (zipfile.BadZipFile, OSError, RuntimeError, EOFError) as e:
            raise CoderError(f"cannot read {real!r} from the archive: {e}", file=self.path) from None
        if len(data) > limit:
            raise CoderError(f"entry {real!r} is too large to import (over {limit // (1024 * 1024)} MB "
                             "uncompressed); refused", file=self.path)
        self._read += len(data)
        return data


def parse_xml(data: bytes, *, file: str | Path | None = None, what: str = "project file"):
    """Parse untrusted XML safely; a DOCTYPE, an entity declaration or malformed XML is a CoderError."""
    from lxml import etree

    if any(mark in data for mark in _DOCTYPE_MARKS):
        raise CoderError(
            f"refusing the {what}: it contains a DOCTYPE or entity declaration, which REFI-QDA files "
            "never need (it can be used to read local files or exhaust memory)",
            file=file,
            hint="export the project again from the program that made it",
        )
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False,
        dtd_validation=False, remove_comments=True, remove_pis=True,
    )  # fmt: skip
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as e:
        line = e.position[0] if getattr(e, "position", None) else None
        raise CoderError(f"the {what} is not well-formed XML: {e.msg}", file=file, line=line) from None
    tree = root.getroottree()
    if tree.docinfo.doctype or tree.docinfo.internalDTD is not None:
        raise CoderError(f"refusing the {what}: it declares a DOCTYPE", file=file)
    return root


def inside(folder: Path, path: Path) -> bool:
    """Whether ``path`` (resolved) lies within ``folder`` (resolved)."""
    try:
        path.resolve().relative_to(folder.resolve())
        return True
    except ValueError:
        return False
