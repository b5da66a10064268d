"""The heading block of a state document (Nghị định 30/2020/NĐ-CP, Phụ lục I, II.3): the governing body on the
first line ("UBND TỈNH ĐỒNG THÁP", may be abbreviated), the issuing body's own name below it in bold capitals
("SỞ CÔNG THƯƠNG", without the province the line above already names), a short rule under it.

An organisation stores both lines (`Organization.governing_body_line`, `heading_name`, editable in the back office);
`default_heading` fills them from its kind, name and province when they are left empty, and the data migration
that introduced them used it for the rows already there."""

import re

from .enums import OrganizationKind

MINISTRY = "BỘ CÔNG THƯƠNG"
_MINISTRY_SUFFIX = re.compile(r"\s*(?:\(\s*|[—–-]\s*)Bộ Công Thương\s*\)?\s*$", re.IGNORECASE)


def _without_province(name: str, province) -> str:
    """'Sở Công Thương tỉnh Cao Bằng' -> 'Sở Công Thương' (also without the level word: '… Cao Bằng')."""
    if province is None:
        return name
    for tail in (province.full_name, province.name):
        if name.lower().endswith(" " + tail.lower()):
            return name[: -len(tail) - 1].rstrip(" ,–-")
    return name


def default_heading(kind: str, name: str, province) -> tuple[str, str]:
    """(governing body line, heading name) of an organisation of `kind` named `name` in `province` (an
    AdministrativeUnit, or None for a ministry agency). The heading name may hold several lines ("\\n")."""
    place = province.full_name.upper() if province is not None else ""
    if kind == OrganizationKind.PEOPLES_COMMITTEE:
        # The issuing body's own name is written in full; only the governing line may abbreviate "UBND".
        return "", f"ỦY BAN NHÂN DÂN\n{place}" if place else name.upper()
    if kind == OrganizationKind.MINISTRY_AGENCY:
        return MINISTRY, _MINISTRY_SUFFIX.sub("", name).upper()
    own = _without_province(name, province).upper()
    if kind == OrganizationKind.DEPARTMENT:
        return (f"UBND {place}" if place else ""), own
    if kind == OrganizationKind.EXTENSION_CENTRE:
        return (f"SỞ CÔNG THƯƠNG {place}" if place else ""), own
    return "", name.upper()


def lines(text: str) -> list[str]:
    """The non-empty lines of a multi-line heading or title, stripped."""
    return [line.strip() for line in (text or "").splitlines() if line.strip()]
