"""The coding log: per-coder append-only event logs, their fold, and anchors.

* :mod:`.events` – the event format (one JSON line per action) and its validation.
* :mod:`.logfile` – durable, locked appends and a tolerant incremental reader.
* :mod:`.state` – the fold of events into current codings, memos and rejections.
* :mod:`.store` – :class:`CodingStore`, the API the project uses.
* :mod:`.anchor` / :mod:`.orphans` – placing codings again after transcript edits.
* :mod:`.identity` – who the coder is.
"""

from coder.core.codings.anchor import (
    FUZZY_THRESHOLD,
    Anchor,
    PlacedCoding,
    quote_at,
    reanchor,
    resolve_codings,
)
from coder.core.codings.identity import Identity, resolve_coder, settings_path, validate_coder_name
from coder.core.codings.orphans import Orphan, needs_review, orphans, resolve_all, unknown_code_codings
from coder.core.codings.state import Rejection, State
from coder.core.codings.store import Change, CodingStore

__all__ = [
    "FUZZY_THRESHOLD",
    "Anchor",
    "Change",
    "CodingStore",
    "Identity",
    "Orphan",
    "PlacedCoding",
    "Rejection",
    "State",
    "needs_review",
    "orphans",
    "quote_at",
    "reanchor",
    "resolve_all",
    "resolve_codings",
    "resolve_coder",
    "settings_path",
    "unknown_code_codings",
    "validate_coder_name",
]
