"""Reported quotes: a researcher's edited version of a coded passage for publication.

Square brackets mark words the researcher replaced or added (``[Now]``,
``[influence organisations with the power to support change locally]``); an
ellipsis (``…`` or ``...``) marks a cut.  Everything else must be the person's own
words: each unbracketed fragment, with runs of whitespace read as one space and
the quotation marks and punctuation at its edges set aside, must appear in the
coded text, in order, each after the one before.  An edit that does not pass
changes what the person said, and is refused.
"""

from __future__ import annotations

import re

from coder.core.errors import CoderError

_PIECES = re.compile(r"\[[^\[\]]*\]|…|\.\.\.")
_EDGES = " \t\n\"'“”‘’«».,;:!?-–—()"


def _flat(text: str) -> str:
    return " ".join(text.split())


def fragments(reported: str) -> list[str]:
    """The person's own words in a reported quote, in order (refuses unbalanced brackets)."""
    if reported.count("[") != reported.count("]") or re.search(r"\[[^\]]*\[|\][^\[]*\]", reported):
        raise CoderError("the reported quote has unbalanced square brackets",
                         hint="mark each replaced or added passage as [words], and cuts with …")
    out = []
    for piece in _PIECES.split(reported):
        piece = _flat(piece).strip(_EDGES)
        if piece:
            out.append(piece)
    return out


def check_reported(reported: str, coded: str) -> None:
    """Raise :class:`CoderError` unless ``reported`` keeps the person's words of ``coded``."""
    own = fragments(reported)
    if not any(re.search(r"\w", f) for f in own):
        raise CoderError("the reported quote has none of the person's own words outside [brackets]",
                         hint="keep at least some of what was said, unbracketed")
    text, pos = _flat(coded), 0
    for fragment in own:
        found = text.find(fragment, pos)
        if found < 0:
            where = "at all" if text.find(fragment) < 0 else "after the words before it"
            raise CoderError(f"the reported quote changes what was said: '{fragment}' is not in the coded text {where}",
                             hint="put replaced or added words in [square brackets] and mark cuts with …")
        pos = found + len(fragment)
