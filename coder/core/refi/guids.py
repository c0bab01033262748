"""REFI-QDA GUIDs: deterministic on export, tolerant on import.

Every element coder exports gets a UUID version 5 over a stable key (the kind
of element and what identifies it: a code id, a transcript id, a coding's
transcript, span, code and coder), so exporting the same project twice gives
the same GUIDs and the files diff cleanly.

Real files write GUIDs in upper case or in braces (``{...}``); readers accept
both and compare them in the canonical lower-case form.
"""

from __future__ import annotations

import re
import uuid

# Fixed for all time: changing it would change every GUID coder has ever exported.
NAMESPACE = uuid.UUID("7d3c9a52-6f0e-5b8e-9a41-2f6c1d0b8e37")
_GUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def guid(kind: str, *key: object) -> str:
    """The GUID of the element of ``kind`` identified by ``key`` (lower case, no braces)."""
    name = "\x1f".join([kind, *(str(k) for k in key)])
    return str(uuid.uuid5(NAMESPACE, name))


def normalise_guid(value: object) -> str | None:
    """``value`` as a canonical GUID, or None if it is not one (braces and case are forgiven)."""
    if not isinstance(value, str):
        return None
    text = value.strip().lower()
    if text.startswith("{") and text.endswith("}"):
        text = text[1:-1].strip()
    return text if _GUID.fullmatch(text) else None
