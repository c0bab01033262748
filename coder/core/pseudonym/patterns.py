"""Identifiers found by their shape: e-mail addresses, UK phone numbers, UK postcodes,
NHS-number-like digit runs, street addresses, organisations and facilities, people
named with a title, and dates.

Each pattern gives ``(start, end, kind)`` spans of one text.  A phone number is
0 followed by ten digits (or +44 and ten digits), spaces and dashes allowed; an
NHS-number-like run is ten digits (3-3-4, as NHS numbers are written) that is not
a phone number; an address is a house number and a street ("12 Calder Road"),
a street alone ("Calder Road") is kind ``street``.  An organisation or facility is
one to four capitalised words before a word that names one ("Calderdale Council",
"Age UK", "Beck Lane Surgery", "St Mary's Primary School"); a person named with a
title or family word ("Mrs Donnelly", "Auntie Pat", "Big Steve") is a ``name``; a
date has a day or a year with its month ("14 July 2021", "the 3rd of March",
"June 2020", "last Tuesday the 9th", "09/03/2021"), so "May I" and "in March" are not dates.
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
_CAPITAL = r"[A-Z][A-Za-z'’-]*"
# Words that end an organisation's or a facility's name (the facility words are places people go).
FACILITY_WORDS = ("Church Hall|Village Hall|Town Hall|Community Hall|Surgery|Health Centre|Medical Centre|Medical Practice|Primary School|Secondary School|High School|"
                  "School|Academy|College|University|Hospital|Infirmary|Clinic|Hospice|Church|Chapel|Mosque|"
                  "Temple|Gurdwara|Synagogue|Library|Community Centre|Centre|Leisure Centre|Food Bank|Foodbank|"
                  "Pharmacy|Chemist|Care Home|Nursing Home|Club|Pub|Inn|Arms|Hub")
ORG_WORDS = ("Council|Borough Council|City Council|Trust|NHS Trust|Foundation|Association|Society|Partnership|"
             "Housing|Homes|Charity|Network|Alliance|Forum|Federation|Ltd|Limited|PLC|plc|CIC|LLP|Group|"
             "Services|Army|Advice|UK|Cymru|Scotland")
ORGANISATION = re.compile(rf"\b(?:(?!(?:{_NOT_NAMES})\b){_CAPITAL}[ ]+){{1,4}}"
                          rf"(?P<last>{FACILITY_WORDS}|{ORG_WORDS})(?![\w'’])")
_FACILITY_END = re.compile(rf"(?:{FACILITY_WORDS})\Z")
TITLES = ("Mr|Mrs|Ms|Miss|Mx|Dr|Prof|Professor|Father|Fr|Sister|Brother|Rev|Reverend|Imam|Rabbi|Cllr|Councillor|"
          "Auntie|Aunty|Aunt|Uncle|Nana|Nan|Nanna|Grandad|Grandma|Granny|Big|Little")
TITLED_NAME = re.compile(rf"\b(?:{TITLES})\.?[ ]+(?!(?:{_NOT_NAMES}|I)\b)[A-Z][a-z'’-]+(?:[ ]+[A-Z][a-z'’-]+)?\b")
_MONTH = "January|February|March|April|May|June|July|August|September|October|November|December"
_DAY = r"\d{1,2}(?:st|nd|rd|th)?"
_WEEKDAY = "Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday"
DATE = re.compile(
    rf"\b(?:(?:(?:last|next|this)[ ]+)?(?:{_WEEKDAY}),?[ ]+(?:the[ ]+)?\d{{1,2}}(?:st|nd|rd|th)(?:[ ]+of[ ]+(?:{_MONTH}))?"
    rf"|(?:the[ ]+)?{_DAY}(?:[ ]+of)?[ ]+(?:{_MONTH})(?:,?[ ]+\d{{4}})?"
    rf"|(?:{_MONTH})[ ]+(?:{_DAY},?[ ]+\d{{4}}|\d{{1,2}}(?:st|nd|rd|th)|\d{{4}})"
    rf"|\d{{1,2}}/\d{{1,2}}/(?:\d{{4}}|\d{{2}}))\b")

# The replacement each kind gets (numbered kinds get one number per original).
FIXED = {"email": "[Email]", "phone": "[Phone]", "postcode": "[Postcode]", "nhs-number": "[NHS number]",
         "address": "[Address]", "street": "[Street]", "date": "[Date]"}
NUMBERED = {"name": "Name", "place": "Place", "organisation": "Organisation", "facility": "Place",
            "proper-noun": "Name or place"}
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
    for m in ORGANISATION.finditer(text):
        yield m.start(), m.end(), "facility" if _FACILITY_END.search(m.group()) else "organisation"
    for m in TITLED_NAME.finditer(text):
        yield m.start(), m.end(), "name"
    for m in DATE.finditer(text):
        yield m.start(), m.end(), "date"
