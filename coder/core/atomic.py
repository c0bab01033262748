"""Replace a file so that readers and crashes see the old or the new content, never half."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from coder.core.errors import CoderError


def _mode_for(path: Path) -> int:
    try:
        return path.stat().st_mode & 0o7777
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def write_atomic(path: Path, data: str | bytes) -> Path:
    payload = data.encode("utf-8") if isinstance(data, str) else data
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        try:
            os.fchmod(fd, _mode_for(path))  # mkstemp makes 0600; keep the file's mode, or the usual one
            with os.fdopen(fd, "wb") as fh:
                fh.write(payload)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except OSError as exc:
        raise CoderError(f"could not write the file: {exc.strerror or exc}", file=path,
                         hint="check the disk has space and the folder is writable; the old file is unchanged") from None
    return path
