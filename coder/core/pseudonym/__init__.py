"""Pseudonymisation: find identifiers in transcripts, keep the researcher's decisions on
them, and write a pseudonymised copy of a project with every coding moved exactly."""

from coder.core.pseudonym.candidates import Candidate, find_candidates, known_names
from coder.core.pseudonym.decisions import Decision, Decisions
from coder.core.pseudonym.wordlist import WordList, load_wordlist

__all__ = ["Candidate", "Decision", "Decisions", "WordList", "find_candidates", "known_names", "load_wordlist"]
