"""Who the coder is.

The name comes from, in order: an explicit option (``--coder``), the
``CODER_NAME`` environment variable, or the ``coder:`` key of the user's
settings file ``$XDG_CONFIG_HOME/coder/settings.yaml`` (``~/.config`` when
``XDG_CONFIG_HOME`` is unset).  The name becomes the file name of the coder's
log (``codings/<name>.jsonl``), so it is restricted to ASCII letters, digits,
``-``, ``_`` and ``.``, starts with a letter or digit and is at most 64
characters: such names are safe on every file system and in git.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import yaml

from coder.core.errors import CoderError
from coder.core.yamlfile import safe_load

ENV_VAR = "CODER_NAME"
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")
_HINT = (
    f"pass --coder NAME, set {ENV_VAR}=NAME, or put 'coder: NAME' in the settings file"
)


@dataclass(frozen=True)
class Identity:
    """A validated coder name and where it came from (for "coding as ana (from CODER_NAME)")."""

    name: str
    source: str  # "option", "CODER_NAME" or the settings file's path

    def __str__(self) -> str:
        return f"{self.name} (from {self.source})"


def validate_coder_name(name: object, *, source: str | None = None, file: str | None = None) -> str:
    """Return ``name`` if it can name a coding log, else raise a CoderError saying why.

    ``source`` (e.g. ``"CODER_NAME"``) is mentioned in the message; ``file`` is
    the settings file the name was read from, if any.
    """
    where = f" (from {source})" if source else ""
    if not isinstance(name, str) or not name.strip():
        raise CoderError(f"The coder name{where} is empty.", file=file, hint=_HINT)
    if not _NAME.fullmatch(name):
        bad = sorted({c for c in name if not (c.isascii() and (c.isalnum() or c in "._-"))})
        why = (
            f"it contains {', '.join(repr(c) for c in bad)}"
            if bad
            else "it must start with a letter or digit and be at most 64 characters"
        )
        raise CoderError(
            f"Invalid coder name {name!r}{where}: {why}.",
            file=file,
            hint="use ASCII letters, digits, '-', '_' and '.', e.g. 'ana' or 'j.smith'",
        )
    if name.endswith(".quarantine"):
        raise CoderError(f"Invalid coder name {name!r}{where}: names ending in '.quarantine' are kept for "
                         "damaged log lines.", file=file, hint="choose another name")
    return name


def settings_path(env: Mapping[str, str] | None = None) -> Path:
    """The user's settings file (it need not exist)."""
    env = os.environ if env is None else env
    base = env.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "coder" / "settings.yaml"


def _from_settings(path: Path) -> str | None:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as e:
        raise CoderError(f"Cannot read the settings file: {e}", file=path) from None
    try:
        data = safe_load(text, path)
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        raise CoderError(
            "The settings file is not valid YAML.",
            file=path,
            line=mark.line + 1 if mark else None,
            hint=str(getattr(e, "problem", "") or ""),
        ) from None
    if data is None:
        return None
    if not isinstance(data, dict):
        raise CoderError("The settings file must be a mapping of keys to values.", file=path)
    value = data.get("coder")
    if value is None:
        return None
    return value if isinstance(value, str) else str(value)


def resolve_coder(
    option: str | None = None,
    env: Mapping[str, str] | None = None,
    *,
    settings_file: Path | None = None,
    required: bool = True,
) -> Identity | None:
    """The coder's validated name: option, then ``CODER_NAME``, then the settings file.

    ``settings_file`` overrides where the settings are read from.  Raises
    CoderError when a name found is invalid (the error names where it came
    from), and when none is set unless ``required`` is False (then None: the
    workbench asks instead).
    """
    env = os.environ if env is None else env
    if option is not None:
        return Identity(validate_coder_name(option, source="option"), "option")
    if env.get(ENV_VAR):
        return Identity(validate_coder_name(env[ENV_VAR], source=ENV_VAR), ENV_VAR)
    path = settings_file or settings_path(env)
    value = _from_settings(path)
    if value is not None:
        return Identity(validate_coder_name(value, source="settings", file=str(path)), str(path))
    if not required:
        return None
    raise CoderError("Who is coding? No coder name is set.", hint=_HINT + f" ({path})")
