"""Identifiers found by their shape: e-mail addresses, UK phone numbers, UK postcodes,
NHS-number-like digit runs and street addresses.

Each pattern gives ``(start, end, kind)`` spans of one text.  A phone number is
0 followed by ten digits (or +44 and ten digits), spaces and dashes allowed; an
NHS-number-like run is ten digits (3-3-4, as NHS numbers are written) that is not
a phone number; an address is a house number and a street ("12 Calder Road"),
a street alone ("Calder Road") is kind ``street``.
"""

from __future__ import annotations

import re
from typing import Iterator

EMAIL = re.compile(r"(?<![\w.+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}\b")
PHONE = re.compile(r"(?<![\w+])(?:\+44[ -]?(?:\(0\)[ -]?)?|0)\d(?:[ -]?\d){8,9}(?![\w])")
POSTCODE = re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]? ?\d[ABD-HJLNP-UW-Z]{2}\b")
NHS = re.compile(r"(?<![\w+])\d{3}[ -]?\d{3}[ -]?\d{4}(?!\w)")
STREET_WORDS = ("Road|Street|Lane|Avenue|Close|Drive|Way|Crescent|Terrace|Grove|Gardens|Court|"
                "Row|Walk|Square|Mews|Rise|Parade|Rd|St|Ave")
_NOT_NAMES = "So|The|And|But|On|In|At|Of|To|From|By|Down|Up|Along|Past|Near|Off|Then|Well|Yes|No|Oh|Our|My|Your|Their"
ADDRESS = re.compile(rf"\b(?:(?P<number>\d{{1,4}}[A-Za-z]?),?[ ]+)?(?:(?!(?:{_NOT_NAMES})\b)[A-Z][a-z'’]+[ ]+){{1,2}}"
                     rf"(?:{STREET_WORDS})\b")

# The replacement each kind gets (numbered kinds get one number per original).
FIXED = {"email": "[Email]", "phone": "[Phone]", "postcode": "[Postcode]", "nhs-number": "[NHS number]",
         "address": "[Address]", "street": "[Street]", "date": "[Date]"}
NUMBERED = {"name": "Name", "place": "Place", "organisation": "Organisation", "facility": "Place"}
KINDS = tuple(FIXED) + tuple(NUMBERED)


def _digits(s: str) -> int:
    return sum(ch.isdigit() for ch in s)


def find_patterns(text: str) -> Iterator[tuple[int, int, str]]:
    """Every pattern match in ``text``; spans may overlap (the caller keeps one of each)."""
    for m in EMAIL.finditer(text):
        yield m.start(), m.end(), "email"
    phones = []
    for m in PHONE.finditer(text):
        national = m.group().startswith("0")
        if _digits(m.group()) == (11 if national else 12):
            phones.append((m.start(), m.end()))
            yield m.start(), m.end(), "phone"
    for m in NHS.finditer(text):
        if not any(a <= m.start() < b for a, b in phones):
            yield m.start(), m.end(), "nhs-number"
    for m in POSTCODE.finditer(text):
        yield m.start(), m.end(), "postcode"
    for m in ADDRESS.finditer(text):
        yield m.start(), m.end(), "address" if m.group("number") else "street"
