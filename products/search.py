"""Accent- and case-insensitive Vietnamese search.

Every searchable row stores `search_text`: its name(s), codes and province names folded to lower-case ASCII (diacritics
removed, đ → d). Queries are folded the same way and matched as substrings, so "lap suon" finds
"Lạp sườn" and "dong thap" finds "Đồng Tháp". The fold runs in Python so SQLite and PostgreSQL give the
same results; on PostgreSQL a trigram GIN index (pg_trgm) on the folded column serves the substring match.
"""

import unicodedata

_EXTRA = str.maketrans({"đ": "d", "Đ": "d", "ð": "d"})


def nfc(value: str) -> str:
    return unicodedata.normalize("NFC", value or "")


def fold(value: str) -> str:
    """'Đồng Tháp – Lạp Sườn' -> 'dong thap - lap suon'."""
    decomposed = unicodedata.normalize("NFD", (value or "").translate(_EXTRA))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    stripped = stripped.replace("–", "-").replace("—", "-")
    return " ".join(stripped.lower().split())


def search_text(*parts: str) -> str:
    return " | ".join(fold(p) for p in parts if p)


def query_terms(query: str) -> list[str]:
    """Split a user's query into folded words; every word must occur (partial words match)."""
    return [t for t in fold(query).split() if t][:8]


# Vietnamese alphabetical order (a ă â b c d đ e ê g h i k l m n o ô ơ p q r s t u ư v x y), then the tone marks
# (none, huyền, hỏi, ngã, sắc, nặng) as a tie-break: "Hà Nội" < "Hà Tĩnh" < "Hải Phòng" < "Huế", "Đắk Lắk"
# after every name in D. Python sorts strings by code point, which puts "Đ" after "Z" and "Ă/Â" after "Y".
_ALPHABET = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
_TONES = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}
_HAT = {"a": "â", "e": "ê", "o": "ô"}
_HORN = {"o": "ơ", "u": "ư"}


def vietnamese_key(value: str) -> tuple:
    """A sort key giving Vietnamese dictionary order: sorted(names, key=vietnamese_key)."""
    letters, tones = [], []
    for ch in nfc(value).lower():
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
        position = _ALPHABET.find(base)
        letters.append((0, position) if position >= 0 else (1, ord(base)) if base.isalnum() else (-1, 0))
        tones.append(tone)
    return tuple(letters), tuple(tones)
