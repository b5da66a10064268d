"""Vietnamese dictionary order, the same on PostgreSQL and on SQLite.

Names people look for in a list (provinces and communes, producers, products, organisations, fairs, people) are
stored in columns with the collation VIETNAMESE (`db_collation=VIETNAMESE`): every `ORDER BY name`, the lists'
default orderings and their indexes sort in dictionary order — a ă â b c d đ e ê … o ô ơ … u ư v x y, the tones
(none, huyền, hỏi, ngã, sắc, nặng) after the letters: "Cà Mau" before "Cao Bằng", "Đà Nẵng" after "Dương",
"Bánh khảo Bảo" before "Bánh khảo Bình".

- PostgreSQL: VIETNAMESE is an ICU collation for the locale "vi", the same rules as the predefined "vi-x-icu"
  (CLDR's Vietnamese tailoring), created by the migration products 0017 (deterministic: equality stays byte
  equality). It has a name of its own because Django writes a column's collation unquoted on SQLite, where
  "vi-x-icu" would not parse.
- SQLite: a collation of the same name is registered on every connection (`register_on_sqlite`, connected by
  products.apps to `connection_created`) that compares with `vietnamese_key`, which follows the ICU order for
  letters, tones, case, digits, spaces and common punctuation. (A tool that opens the SQLite file without Django,
  e.g. the sqlite3 shell, cannot sort or compare those columns: "no such collation sequence: vietnamese".)

Python code that sorts names itself uses `vietnamese_key`."""

import functools
import unicodedata

VIETNAMESE = "vietnamese"

# Letters in Vietnamese alphabetical order (f, j, w, z for foreign words). Python compares code points, which puts
# "Đ" after "Z" and "Ă", "Â" after "Y".
_ALPHABET = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
# The tone marks, in the order of the dictionary: ngang (none), huyền, hỏi, ngã, sắc, nặng.
_TONES = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}
_HAT = {"a": "â", "e": "ê", "o": "ô"}
_HORN = {"o": "ơ", "u": "ư"}
# Spaces and punctuation sort before digits, digits before letters; among themselves as ICU's root collation
# orders them (measured on PostgreSQL 15 with ICU: SELECT … ORDER BY x COLLATE "vi-x-icu").
_PUNCTUATION = " _-–—,;:!?….·'‘’\"“”«»()[]{}§@*/\\&#%`^°+<=>|~$№"
# Each character's primary weight is one code point of a key string (compact: a key is cached per name), in bands
# that keep ICU's order: punctuation, other symbols, digits, the alphabet, other letters.
_PUNCTUATION_BAND, _SYMBOL_BAND, _DIGIT_BAND, _LETTER_BAND, _OTHER_BAND = 0x20, 0x100, 0x10100, 0x10200, 0x10300


@functools.lru_cache(maxsize=4096)
def _weights(ch: str) -> tuple[str, str]:
    """(primary weight, tone) of one lower-case character, each as one character."""
    base, *marks = unicodedata.normalize("NFD", ch)
    tone = 0
    for mark in marks:
        if mark in _TONES:
            tone = _TONES[mark]
        elif mark == "\u0306" and base == "a":
            base = "ă"
        elif mark == "\u0302":
            base = _HAT.get(base, base)
        elif mark == "\u031b":
            base = _HORN.get(base, base)
    if (position := _ALPHABET.find(base)) >= 0:
        weight = _LETTER_BAND + position
    elif base.isdigit():
        weight = _DIGIT_BAND + unicodedata.digit(base, 9)
    elif base.isspace():
        weight = _PUNCTUATION_BAND
    elif (position := _PUNCTUATION.find(base)) >= 0:
        weight = _PUNCTUATION_BAND + position
    elif base.isalnum():
        weight = _OTHER_BAND + min(ord(base), 0xEFFFF)
    else:
        weight = _SYMBOL_BAND + min(ord(base), 0xFFFF)
    return chr(weight), chr(0x30 + tone)


@functools.lru_cache(maxsize=16384)
def vietnamese_key(value: str) -> tuple[str, str, str, str]:
    """A sort key giving Vietnamese dictionary order: sorted(names, key=vietnamese_key).

    Compared as ICU compares: the letters first, then the tones, then the case (lower case first), and last the
    text itself, so that two different strings never compare equal (as PostgreSQL's deterministic collation)."""
    text = unicodedata.normalize("NFC", value or "")
    weights = [_weights(ch) for ch in text.lower()]
    cases = "".join("1" if ch != ch.lower() else "0" for ch in text)
    return "".join(w for w, _t in weights), "".join(t for _w, t in weights), cases, value or ""


def vietnamese_compare(left: str, right: str) -> int:
    a, b = vietnamese_key(left), vietnamese_key(right)
    return (a > b) - (a < b)


def register_on_sqlite(sender, connection, **kwargs):
    """connection_created receiver: the VIETNAMESE collation on a new SQLite connection."""
    if connection.vendor == "sqlite":
        connection.connection.create_collation(VIETNAMESE, vietnamese_compare)
