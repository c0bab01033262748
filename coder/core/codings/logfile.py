"""One coder's log file on disk: a tolerant incremental reader and a durable appender.

Guarantees (see the tests in ``tests/core/codings/``):

* **Durable appends.**  A line is written with one ``os.write`` on an
  ``O_APPEND`` descriptor and fsynced before :meth:`LogFile.append` returns;
  when the file (or the ``codings/`` folder) is created, the parent folder is
  fsynced too.  A process killed at any instant loses at most the line in flight.
  A batch (:meth:`Appender.append_lines`) is written the same way, all its
  lines in one write and one fsync: killed mid-batch, the file keeps a prefix
  of the batch's whole lines and at most one torn last line.
* **Serialised writers.**  Appends hold an exclusive ``flock`` on the log file
  itself (no lock file to commit by mistake); readers hold a shared one, so a
  reader never sees a line being written.  A writer that cannot get the lock
  within ``timeout`` seconds is refused with a clear message.
* **Torn lines stay put.**  A final line without a newline (a crash, a hand
  edit) is read as a line; if it is not valid it is reported, and before the
  next append a newline is written so the new event starts on its own line.
  The log is never rewritten; only a failed append of our own is cut back.
* **Incremental.**  The reader remembers how far it has read (and the file's
  identity), so picking up another process's appends reads only the new bytes;
  a file replaced underneath (``git pull``, a restore) is read again from the start.
"""

from __future__ import annotations

import errno
import fcntl
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from coder.core.errors import CoderError

LOCK_TIMEOUT = 10.0  # seconds a writer waits for another writer before giving up


@dataclass
class ReadResult:
    """Lines read since the last read (raw bytes without newline); the first is line ``first``."""

    lines: list[bytes] = field(default_factory=list)
    first: int = 1
    reset: bool = False  # the file was replaced or shrank: everything before is void
    extended: int | None = None  # line number of an unterminated line someone extended


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _write_error(path: Path, e: OSError, action: str, saved: str = "Nothing was saved.") -> CoderError:
    if e.errno == errno.ENOSPC or e.errno == errno.EDQUOT:
        return CoderError(
            f"Cannot {action}: the disk is full. {saved}",
            file=path,
            hint="free some space and try again",
        )
    if e.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
        return CoderError(
            f"Cannot {action}: the project is read-only. {saved}",
            file=path,
            hint="check the folder's permissions, or open a writable copy of the project",
        )
    return CoderError(f"Cannot {action}: {e.strerror or e}. {saved}", file=path)


def _lock(fd: int, kind: int, timeout: float, path: Path) -> None:
    """flock with a timeout (polling with a short back-off; waits are rare and brief)."""
    deadline = time.monotonic() + timeout
    delay = 0.001
    while True:
        try:
            fcntl.flock(fd, kind | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            if time.monotonic() >= deadline:
                raise CoderError(
                    "Another coder process is writing this log; gave up waiting.",
                    file=path,
                    hint="close the other session (or wait for it) and try again",
                ) from None
            time.sleep(delay)
            delay = min(delay * 2, 0.05)


class LogFile:
    """Reading position and durable appends for one ``codings/<coder>.jsonl``."""

    def __init__(self, path: Path, *, timeout: float = LOCK_TIMEOUT) -> None:
        self.path = Path(path)
        self.timeout = timeout
        self._identity: tuple[int, int] | None = None  # (st_dev, st_ino) last read
        self.offset = 0  # bytes consumed
        self.line_no = 0  # lines consumed (a final unterminated line counts)
        self.terminated = True  # consumed bytes end in "\n" (or none consumed)

    # --- reading ----------------------------------------------------------------

    def _read_from(self, fd: int) -> ReadResult:
        st = os.fstat(fd)
        result = ReadResult()
        identity = (st.st_dev, st.st_ino)
        if identity != self._identity or st.st_size < self.offset:
            if self._identity is not None or self.offset:
                result.reset = True
            self._identity, self.offset, self.line_no, self.terminated = identity, 0, 0, True
        if st.st_size == self.offset:
            return result
        data = os.pread(fd, st.st_size - self.offset, self.offset)
        self.offset += len(data)
        start = 0
        if not self.terminated:
            # The previous read ended inside a line; normally the next writer
            # terminated it first, so the new data starts with "\n".
            nl = data.find(b"\n")
            if nl != 0:
                result.extended = self.line_no
            if nl < 0:
                return result
            start = nl + 1
        pieces = data[start:].split(b"\n")
        self.terminated = pieces[-1] == b""
        if self.terminated:
            pieces.pop()
        result.lines, result.first = pieces, self.line_no + 1
        self.line_no += len(pieces)
        return result

    def read_new(self) -> ReadResult:
        """Lines appended since the last read (all of them the first time).

        A missing file reads as empty.  Holds a shared lock while reading, so a
        line being appended by another process is never seen half-written.
        """
        try:
            fd = os.open(self.path, os.O_RDONLY | os.O_CLOEXEC)
        except FileNotFoundError:
            reset = self._identity is not None
            self._identity, self.offset, self.line_no, self.terminated = None, 0, 0, True
            return ReadResult(reset=reset)
        except OSError as e:
            raise CoderError(f"Cannot read the coding log: {e.strerror}", file=self.path) from None
        try:
            _lock(fd, fcntl.LOCK_SH, self.timeout, self.path)
            return self._read_from(fd)
        finally:
            os.close(fd)  # releases the lock

    # --- writing ----------------------------------------------------------------

    @contextmanager
    def writing(self) -> Iterator["Appender"]:
        """Hold the log exclusively: catch up with :meth:`Appender.read_new`, then append.

        Creates the folder and file if needed (fsyncing their parents).  Raises
        CoderError if the project is read-only or another writer holds the lock.
        """
        folder = self.path.parent
        try:
            if not folder.is_dir():
                folder.mkdir(parents=True, exist_ok=True)
                _fsync_dir(folder.parent)
            created = False
            try:
                fd = os.open(self.path, os.O_RDWR | os.O_APPEND | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o644)
                created = True
            except FileExistsError:
                fd = os.open(self.path, os.O_RDWR | os.O_APPEND | os.O_CLOEXEC)
            if created:
                _fsync_dir(folder)
        except OSError as e:
            raise _write_error(self.path, e, "save the coding") from None
        try:
            _lock(fd, fcntl.LOCK_EX, self.timeout, self.path)
            yield Appender(self, fd)
        finally:
            os.close(fd)


class Appender:
    """The write side of :meth:`LogFile.writing`; valid only inside the ``with`` block."""

    def __init__(self, log: LogFile, fd: int) -> None:
        self._log = log
        self._fd = fd

    def read_new(self) -> ReadResult:
        """Lines other writers appended since our last read (under our exclusive lock)."""
        return self._log._read_from(self._fd)

    def append(self, line: bytes) -> None:
        """Write ``line`` (ending in ``\\n``) durably; call :meth:`read_new` first.

        On failure the partial write is cut back (best effort) and CoderError
        says why; the caller must then leave its state unchanged.
        """
        self.append_lines([line])

    def append_lines(self, lines: list[bytes], *, action: str = "save the coding",
                     saved: str = "Nothing was saved.") -> None:
        """Write ``lines`` (each ending in ``\\n``) with one write and one fsync.

        The same guarantees as :meth:`append`, for the lines together: on
        failure everything written by this call is cut back (best effort: a
        crash or a failed truncate can leave a prefix of whole lines and one
        torn line, which the reader reports and skips) and CoderError says why,
        ending with ``saved`` (what the caller had already made durable).
        Callers bound the size of one call (see ``CodingStore.apply_many``).
        """
        log, fd = self._log, self._fd
        size = log.offset
        if os.fstat(fd).st_size != size:
            raise RuntimeError("Appender.read_new() must be called before append()")
        data = b"".join(lines)
        if not log.terminated:
            data = b"\n" + data
        try:
            written = os.write(fd, data)
            while written < len(data):  # a short write: the next call reports why
                n = os.write(fd, data[written:])
                if n == 0:
                    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
                written += n
            os.fsync(fd)
        except OSError as e:
            try:
                os.ftruncate(fd, size)
            except OSError:
                pass  # the reader reports the torn line; nothing else to do here
            raise _write_error(log.path, e, action, saved) from None
        log.offset = size + len(data)
        log.line_no += len(lines)
        log.terminated = True
