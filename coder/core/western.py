"""Recognising Windows-1252 ("ANSI" on Western Windows) text, even in a short file.

Statistical detectors need more text than a short transcript holds (a few
lines with one ``£`` are read as Central European), so coder decides by rules
that Western European text in Windows-1252 always meets and text in other
encodings almost never does.  The bytes (already known not to be UTF-8) are
accepted when, decoded as Windows-1252:

1. no byte is one that Windows-1252 leaves undefined;
2. the bytes hold no UTF-8 sequence (``Ã©`` for ``é``, ``â€™`` for ``’``):
   a file that mixes UTF-8 with another encoding cannot be decoded either way;
3. every character beyond ASCII is a Latin letter (``é``, ``ñ``, ``Œ``…, but
   not ``ƒ`` nor the Icelandic ``þ ð``, where Turkish and Baltic code pages
   keep ``ş ğ ž š``), punctuation Western text uses (curly quotes, dashes,
   ``…``, ``« » ¡ ¿``, a no-break space…) or a sign (``£ € ¢ ¥ § © ® ™ ½ ¼ ¾ × °``);
4. a word with letters beyond ASCII also has an ASCII letter, unless it is
   ``à``, ``é``, ``ó`` or a like one-letter word: Cyrillic, Greek, Hebrew or
   Arabic bytes read as Windows-1252 give words such as ``Êàê``;
5. no capital beyond ASCII follows a small letter (``cafŽ`` is Mac Roman's
   ``café``; ``itÕs`` is its ``it’s``);
6. punctuation does not sit inside a word (``®lu»ou`` is Czech in
   ISO-8859-2), apostrophes, dashes, the middle dot and spaces aside, and a
   sign does not touch one (``£ód¼`` is Polish ``Łódź``), but for
   ``Zoom™`` and ``50°C``;
7. there are more ASCII letters than characters beyond ASCII.

Central European text saved as Windows-1250 can meet every rule when it only
uses letters the two code pages share (Hungarian ``ő`` then reads as ``õ``);
such files should be saved as UTF-8.
"""

from __future__ import annotations

import re
import unicodedata

_PUNCTUATION = frozenset("‘’“”„…«»‹›¡¿•·–—´ªº\u00a0\u00ad")  # may touch a letter on one side
_JOINERS = frozenset("‘’´·–—\u00a0\u00ad")  # may stand between two letters: it’s, l·l, well–known
_SIGNS = frozenset("£€¢¥§©®™½¼¾×°")  # stand apart from words: £5, 50°, © 2021
_AFTER_A_WORD = frozenset("®™°")  # Zoom™, 50°C
# Not Latin letters in Western text: the florin sign (Shift-JIS katakana read as Windows-1252
# give ƒ), and the Icelandic letters where Turkish and Baltic code pages keep ş, ğ, ž, š.
_NOT_LATIN_LETTERS = frozenset("ƒþÞðÐ")
_ONE_LETTER_WORDS = frozenset("àáâéèêóòô")  # à la, é (Portuguese "is"), ó
_UTF8_SEQUENCE = re.compile(rb"[\xc2\xc3][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")


def _latin_letter(ch: str) -> bool:
    return ch.isalpha() and ch not in _NOT_LATIN_LETTERS and unicodedata.name(ch, "").startswith("LATIN")


def decode_western(data: bytes) -> tuple[str | None, int, str]:
    """``(text, -1, "")`` for Windows-1252 text; otherwise ``(None, offset, why)``, where
    ``offset`` is the byte (and character) the rules stumbled on and ``why`` says what
    the text would have there, e.g. ``the word 'Êàê'``."""
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError as exc:
        return None, exc.start, f"the byte 0x{data[exc.start]:02x}, which Windows-1252 does not define"
    mixed = _UTF8_SEQUENCE.search(data)
    if mixed:
        return None, mixed.start(), "UTF-8 mixed with another encoding"
    n = len(text)
    ascii_letters = sum(1 for c in text if c.isascii() and c.isalpha())
    others = 0
    for i, ch in enumerate(text):
        if ch.isascii():
            continue
        others += 1
        shown = f"'{ch}'"
        before = text[i - 1] if i else " "
        after = text[i + 1] if i + 1 < n else " "
        if _latin_letter(ch):
            if ch.isupper() and before.isalpha() and before.islower():
                return None, i, f"{shown} right after a small letter"
            start = i
            while start and text[start - 1].isalpha():
                start -= 1
            end = i + 1
            while end < n and text[end].isalpha():
                end += 1
            word = text[start:end]
            if not any(c.isascii() for c in word) and word not in _ONE_LETTER_WORDS:
                return None, i, f"the word '{word}'"
        elif ch in _PUNCTUATION:
            if ch not in _JOINERS and before.isalpha() and after.isalpha():
                return None, i, f"{shown} inside a word"
        elif ch in _SIGNS:
            if (before.isalpha() and ch not in _AFTER_A_WORD) or after.isalpha() and ch != "°":
                return None, i, f"{shown} touching a word"
        else:
            return None, i, f"{shown}, which Western European text does not use"
    if others > ascii_letters:
        return None, 0, "more characters beyond ASCII than ASCII letters"
    return text, -1, ""
