"""The user's settings file: ``$XDG_CONFIG_HOME/coder/settings.yaml``.

::

    coder: ana            # who codes, when --coder and CODER_NAME are not given
    theme: textual-dark   # any Textual theme name
    keymap:               # binding id -> keys (comma separated); see `?` in the app
      code.apply: ctrl+a
      cursor.next: j,down,space

A missing file is fine; a broken one is reported in the app, never a crash.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from coder.core.errors import CoderError


def default_settings_path() -> Path:
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "coder" / "settings.yaml"


@dataclass(frozen=True)
class UserSettings:
    path: Path | None = None
    coder: str | None = None
    theme: str | None = None
    keymap: dict[str, str] = field(default_factory=dict)


def load_settings(path: Path | None = None) -> UserSettings:
    """Read the settings file; raise :class:`CoderError` if it is not valid YAML or not a mapping."""
    path = path or default_settings_path()
    if not path.exists():
        return UserSettings(path)
    import yaml

    from coder.core.yamlfile import safe_load

    try:
        data = safe_load(path.read_text(encoding="utf-8"), path) or {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise CoderError(f"settings are not valid YAML: {getattr(exc, 'problem', exc)}", file=path,
                         line=mark.line + 1 if mark else None) from None
    except OSError as exc:
        raise CoderError(f"cannot read settings: {exc.strerror}", file=path) from None
    if not isinstance(data, dict):
        raise CoderError("settings must be a mapping (key: value)", file=path, line=1)
    keymap = data.get("keymap") or {}
    if not isinstance(keymap, dict):
        raise CoderError("`keymap:` must map binding ids to keys", file=path,
                         hint="e.g.  keymap: {code.apply: ctrl+a}")
    coder = data.get("coder")
    theme = data.get("theme")
    return UserSettings(path, str(coder) if coder else None, str(theme) if theme else None,
                        {str(k): str(v) for k, v in keymap.items()})


def remember_coder(path: Path, name: str) -> None:
    """Write ``coder: NAME`` into the settings file, keeping everything else in it (comments too)."""
    import io

    from ruamel.yaml import YAML

    from coder.core.atomic import write_atomic

    from coder.core.yamlfile import check_guards

    yaml = YAML()
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    check_guards(text, path)
    data = yaml.load(text) if text else None
    if data is None:
        data = {}
    if not hasattr(data, "keys"):
        raise CoderError("settings must be a mapping (key: value)", file=path, line=1)
    data["coder"] = name
    out = io.StringIO()
    yaml.dump(data, out)
    write_atomic(path, out.getvalue())
