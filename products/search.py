"""Accent- and case-insensitive Vietnamese search.

Every searchable row stores `search_text`: its name(s), codes and province names folded to lower-case ASCII (diacritics
removed, đ → d). Queries are folded the same way and matched as substrings, so "lap suon" finds
"Lạp sườn" and "dong thap" finds "Đồng Tháp". The fold runs in Python so SQLite and PostgreSQL give the
same results; on PostgreSQL a trigram GIN index (pg_trgm) on the folded column serves the substring match.
"""

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


def search_text(*parts: str) -> str:
    return " | ".join(fold(p) for p in parts if p)


def query_terms(query: str) -> list[str]:
    """Split a user's query into folded words; every word must occur (partial words match)."""
    return [t for t in fold(query).split() if t][:8]
