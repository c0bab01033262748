"""The user's keymap: binding id -> keys, checked against the command table."""

from __future__ import annotations

from coder.ui.commands import ALL_COMMANDS, Command


def check_keymap(keymap: dict[str, str]) -> list[str]:
    """Human messages about keymap entries that name no binding or bind nothing."""
    known = {c.id for c in ALL_COMMANDS}
    out = []
    for binding_id, keys in keymap.items():
        if binding_id not in known:
            out.append(f"keymap: no binding '{binding_id}' (press ? for the ids)")
        elif not keys.strip():
            out.append(f"keymap: '{binding_id}' has no keys")
    return out


def effective_keys(command: Command, keymap: dict[str, str]) -> list[str]:
    """The keys that trigger ``command`` once the user's keymap is applied."""
    keys = keymap.get(command.id, command.key)
    return [k.strip() for k in keys.split(",") if k.strip()]


def key_display(key: str) -> str:
    """A key as the help screen shows it (``left_square_bracket`` -> ``[``)."""
    names = {
        "left_square_bracket": "[", "right_square_bracket": "]", "left_curly_bracket": "{",
        "right_curly_bracket": "}", "question_mark": "?", "slash": "/", "escape": "esc",
        "pagedown": "pgdn", "pageup": "pgup", "delete": "del", "less_than_sign": "<",
        "greater_than_sign": ">", "left_parenthesis": "(", "right_parenthesis": ")",
    }
    return names.get(key, key)
