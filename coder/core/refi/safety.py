"""Opening REFI-QDA files that may be hostile: zip archives and XML.

A ``.qdpx`` is a zip archive from somewhere else.  coder never extracts it:
entries are read into memory, by name, with size limits, after every entry
name has been checked.  An archive is refused outright if any entry would
land outside a folder it were extracted to (``../x``, ``/etc/x``, ``C:\\x``),
or if it holds too many entries.  An entry is refused before a byte of it is
read when the size the archive declares is over its limit, and while it is
streamed the moment the bytes actually read pass that limit (an archive can
lie about sizes), so memory stays bounded by the limits (:class:`ImportLimits`).

XML is parsed by lxml without resolving entities, without network access and
with lxml's default limits on tree size; a document with a ``DOCTYPE`` is
refused before parsing, since REFI-QDA files never need one and DTDs are how
entity-expansion ("billion laughs") and external-entity attacks work.
"""

from __future__ import annotations

import re
import zipfile
from zlib import error as zlib_error
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from coder.core.errors import CoderError

MB = 1024 * 1024
_CHUNK = MB


@dataclass(frozen=True)
class ImportLimits:
    """How much one import may read, in MB; ``coder import --max-source-mb`` etc. raise them.

    The longest real interview (two hours, 15,000 words) is about 0.1 MB of text, so the
    defaults leave a wide margin while keeping an import's memory to a few hundred MB.
    """

    source_mb: float = 8  # one transcript's text file
    project_mb: float = 128  # the project (.qde) or codebook (.qdc) document
    total_mb: float = 512  # everything read from one archive or folder
    entries: int = 50_000  # entries in one archive

    def cap(self, kind: str) -> int:
        return int((self.source_mb if kind == "source" else self.project_mb) * MB)

    def too_large(self, what: str, size: int, kind: str, *, file: Path, declared: bool) -> CoderError:
        option = "--max-source-mb" if kind == "source" else "--max-project-mb"
        limit = self.source_mb if kind == "source" else self.project_mb
        how = "declares" if declared else "holds more than"
        return CoderError(
            f"{what} {how} {size / MB:.1f} MB uncompressed, over the {limit:g} MB limit for "
            f"{'a transcript' if kind == 'source' else 'a project file'}; refused, nothing was imported",
            file=file,
            hint=f"if the file is genuine, raise the limit: coder import FILE DIR {option} N",
        )

    def check_total(self, total: int, *, file: Path) -> None:
        """Refuse once ``total`` bytes read by one import pass the total limit."""
        if total > self.total_mb * MB:
            raise CoderError(f"the import would read more than {self.total_mb:g} MB; refused, nothing was imported",
                             file=file, hint="if the file is genuine, raise the limit: coder import FILE DIR "
                             "--max-total-mb N")


DEFAULT_LIMITS = ImportLimits()
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
    limits: ImportLimits = DEFAULT_LIMITS
    _read: int = 0

    @classmethod
    def open(cls, path: Path, limits: ImportLimits = DEFAULT_LIMITS) -> "SafeArchive":
        try:
            zf = zipfile.ZipFile(path)
        except (zipfile.BadZipFile, OSError) as e:
            raise CoderError(f"not a readable .qdpx archive: {e}", file=path,
                             hint="a .qdpx file is a zip archive; export it again from the other program") from None
        infos = zf.infolist()
        if len(infos) > limits.entries:
            zf.close()
            raise CoderError(f"the archive holds {len(infos)} entries (more than {limits.entries}); refused", file=path)
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
        return cls(path, zf, names, limits)

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

    def read(self, name: str, kind: str = "source") -> bytes:
        """The bytes of one entry (``kind`` "source" or "project"), refused beyond the limits.

        The declared size is checked before reading; the bytes are then streamed in chunks
        and counted, so a lying header costs no more than the limit.
        """
        real = self.find(name)
        if real is None:
            raise KeyError(name)
        cap = self.limits.cap(kind)
        what = f"entry {real!r}"
        info = self._zip.getinfo(real)
        if info.file_size > cap:
            raise self.limits.too_large(what, info.file_size, kind, file=self.path, declared=True)
        self.limits.check_total(self._read + info.file_size, file=self.path)
        try:
            with self._zip.open(real) as fh:
                data = _stream(fh, cap, lambda n: self.limits.too_large(what, n, kind, file=self.path, declared=False),
                               lambda n: self.limits.check_total(self._read + n, file=self.path))
        except (zipfile.BadZipFile, OSError, RuntimeError, EOFError, zlib_error) as e:
            raise CoderError(f"cannot read {real!r} from the archive: {e}", file=self.path,
                             hint="the archive is damaged or its sizes are wrong; nothing was imported") from None
        self._read += len(data)
        return data


def read_file_limited(path: Path, kind: str, limits: ImportLimits = DEFAULT_LIMITS) -> bytes:
    """A file's bytes (a project, codebook or source file of an unpacked project), within the limits."""
    try:
        size = path.stat().st_size
        if size > limits.cap(kind):
            raise limits.too_large("the file", size, kind, file=path, declared=True)
        with path.open("rb") as fh:
            return _stream(fh, limits.cap(kind),
                           lambda n: limits.too_large("the file", n, kind, file=path, declared=False))
    except OSError as e:
        raise CoderError(f"cannot read the file: {e.strerror or e}", file=path) from None


def _stream(fh, cap: int, over, check=lambda n: None) -> bytes:
    """Read ``fh`` in chunks, raising ``over(n)`` as soon as more than ``cap`` bytes came."""
    data = bytearray()
    while chunk := fh.read(_CHUNK):
        data += chunk
        if len(data) > cap:
            raise over(len(data))
        check(len(data))
    return bytes(data)


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
