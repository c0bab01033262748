"""Keeping Python's full garbage collections off the keys' path.

The workbench's interpreter holds about 140,000 objects that live as long as
it does: the imported libraries (Textual, Rich, spaCy), the codebook and the
open transcript's sentences and lines.  Python's collector walks all of them
in every full (oldest-generation) collection, which it starts on its own,
whenever enough new objects have survived: on a busy two-core machine such a
pass held the interface for 0.2–0.4 s, so a key pressed then was drawn a
quarter second late.

After each load (the first paint, a transcript shown) :func:`settle` moves
everything alive into the collector's permanent generation
(:func:`gc.freeze`): a full collection then walks only what was created
since, a few thousand objects.  Reference counting still frees frozen objects
as usual; only cyclic garbage among them would wait (there is next to none:
the young generations are collected first), and :func:`release`, when the
workbench closes, hands everything back to the collector.
"""

from __future__ import annotations

import gc


def settle() -> None:
    """Exempt every object alive now from later full collections (cheap: no object is visited)."""
    gc.collect(1)  # the young generations' garbage is freed, not frozen
    gc.freeze()


def release() -> None:
    """Hand every frozen object back to the collector (the workbench has closed)."""
    gc.unfreeze()
