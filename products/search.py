"""Accent- and case-insensitive Vietnamese search.

Every searchable row stores `search_text`: its name(s), codes and province names folded to lower-case ASCII (diacritics
removed, đ → d). Queries are folded the same way and matched as substrings, so "lap suon" finds
"Lạp sườn" and "dong thap" finds "Đồng Tháp". The fold runs in Python so SQLite and PostgreSQL give the
same results; on PostgreSQL a trigram GIN index (pg_trgm) on the folded column serves the substring match.
"""

import re
import unicodedata

# The dictionary-order key moved to portal.core.collation (the SQLite collation uses it): importable from here too.
from portal.core.collation import vietnamese_key  # noqa: F401

_EXTRA = str.maketrans({"đ": "d", "Đ": "d", "ð": "d"})


def nfc(value: str) -> str:
    return unicodedata.normalize("NFC", value or "")


def fold(value: str) -> str:
    """'Đồng Tháp – Lạp Sườn' -> 'dong thap - lap suon'."""
    decomposed = unicodedata.normalize("NFD", (value or "").translate(_EXTRA))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    stripped = stripped.replace("–", "-").replace("—", "-")
    return " ".join(stripped.lower().split())


# Abbreviations of producers' legal forms, folded, and what they stand for. Both the stored text and the query are
# expanded, so "HTX Tâm Hòa" finds "Hợp tác xã Tâm Hòa" and "hợp tác xã" finds a producer registered as "HTX ...".
ABBREVIATIONS = {
    "htx": "hop tac xa",
    "dn": "doanh nghiep",
    "dntn": "doanh nghiep tu nhan",
    "hkd": "ho kinh doanh",
    "tht": "to hop tac",
    "thx": "to hop tac",
    "cssx": "co so san xuat",
    "cty": "cong ty",
    "ct": "cong ty",
    "mtv": "mot thanh vien",
}
_ABBREVIATION_WORD = re.compile(r"\b(" + "|".join(ABBREVIATIONS) + r")\b")


def expand_abbreviations(folded: str) -> str:
    """'htx tam hoa' -> 'hop tac xa tam hoa' (whole words of folded text only: 'dnx' stays)."""
    return _ABBREVIATION_WORD.sub(lambda m: ABBREVIATIONS[m.group(1)], folded)


def abbreviations_of(term: str) -> list[str]:
    """The abbreviations a query term may have been expanded from ('to hop tac' -> ['tht', 'thx'])."""
    return [short for short, full in ABBREVIATIONS.items() if full == term]


def search_text(*parts: str) -> str:
    return " | ".join(expand_abbreviations(fold(p)) for p in parts if p)


_FULL_FORMS = sorted(set(ABBREVIATIONS.values()), key=len, reverse=True)
_FULL_FORM = re.compile(r"\b(" + "|".join(re.escape(full) for full in _FULL_FORMS) + r")\b")


def query_terms(query: str) -> list[str]:
    """Split a user's query into folded words; every word must occur (partial words match). A legal form is one
    term however it was typed, matched as a whole: "htx", "HTX" and "hợp tác xã" are all "hop tac xa" (so "THT"
    and "tổ hợp tác" find the same producers)."""
    expanded = expand_abbreviations(fold(query))
    grouped = _FULL_FORM.sub(lambda m: m.group(1).replace(" ", "\0"), expanded)
    return [term.replace("\0", " ") for term in grouped.split() if term][:8]
