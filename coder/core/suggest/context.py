"""How an interview sentence is read: with the question it answers, without what it denies.

"Yes, definitely." means nothing without the interviewer's "Has the group
helped you meet new people?" before it.  :func:`read` gives a participant's
sentence its :class:`Reading`: the words it affirms (see
:mod:`coder.core.suggest.polarity`) and the interviewer's question before it,
which the scoring blends in (the sentence's embedding plus ``weight`` times
the question's, see :mod:`coder.core.suggest.contextual`).

Chosen by measurement on the sample's hand-coded transcripts
(``benchmarks/sample_suggestions.py`` prints the alternatives): blending the
embeddings beat concatenating the texts, which proposed more codes per
sentence for a smaller gain; the last question of the nearest interviewer
turn before the answer (in a focus group, the facilitator's question the
participants take turns to answer) beat the immediately preceding turn; and a
weight of 0.5 beat 0.3, 0.7 and 1.

A sentence that denies something ("No, not really.") still ranks codes with
its question, but no code is proposed (band "possible" or better) that what
it affirms would not get alone.  Interviewers' own sentences, and
transcripts that do not say who the participants are, are read alone.

Light on purpose: the workbench builds readings in its own process and sends
them to the suggestion worker, so this module imports no numpy.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from coder.core.suggest.polarity import affirmed
from coder.core.transcript import Segment, Transcript

QUESTION_WEIGHT = 0.5  # the question's embedding, relative to the sentence's own
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


@dataclass(frozen=True)
class Reading:
    """A sentence as the suggestions read it.

    Codes are ranked for ``sentence`` read with ``question`` (the
    interviewer's question before it; ``""``: none).  When the sentence
    denies or hedges something, ``affirmed`` is what is left of it (``""``:
    nothing), and no code is proposed (band "possible" or better) that
    ``affirmed`` alone would not get: a denied mention still ranks, shown
    weak, because researchers code stances as well as changes.
    """

    sentence: str
    affirmed: str
    question: str = ""
    weight: float = QUESTION_WEIGHT

    @property
    def denied(self) -> bool:
        return self.affirmed != self.sentence.strip()


def question_before(transcript: Transcript, turn: int) -> str:
    """The interviewer's question a participant's ``turn`` answers, or ``""``.

    The last question (else the last sentence) of the nearest interviewer
    turn before it; ``""`` for an interviewer's own turn, or when no turn is
    an interviewer's (no one can tell who asks).  Whose turn is whose is
    :meth:`Transcript.participant_turn`.
    """
    turns = transcript.turns
    if not (0 <= turn < len(turns)) or not transcript.participant_turn(turns[turn]):
        return ""
    for back in range(turn - 1, -1, -1):
        t = turns[back]
        if not transcript.participant_turn(t):
            sentences = [s for s in _SENTENCE_END.split(transcript.quote(t.start, t.end).strip()) if s.strip()]
            asked = [s for s in sentences if s.rstrip().endswith("?")]
            return (asked or sentences or [""])[-1].strip()
    return ""


def read(transcript: Transcript, segment: Segment, text: str | None = None, *,
         context: bool = True, polarity: bool = True) -> Reading:
    """The reading of ``segment`` (or of ``text``, a part of it) in ``transcript``.

    ``context``/``polarity`` switch the question and the negation handling
    off (for measuring what each brings).
    """
    sentence = segment.text if text is None else text
    said = affirmed(sentence).text if polarity else sentence.strip()
    return Reading(sentence, said, question_before(transcript, segment.turn) if context else "")


def read_span(transcript: Transcript, start: int, end: int) -> list[Reading]:
    """Readings of the sentences ``text[start:end]`` covers (each cut to the span)."""
    readings = [read(transcript, s, transcript.quote(max(s.start, start), min(s.end, end)))
                for s in transcript.segments_in(start, end)]
    return [r for r in readings if r.sentence.strip()] or [read_alone(transcript.quote(start, end))]


def read_alone(sentence: str, *, polarity: bool = True) -> Reading:
    """The reading of a sentence with no interview around it."""
    return Reading(sentence, affirmed(sentence).text if polarity else sentence.strip())
