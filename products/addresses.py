"""Addresses as Vietnamese administrative writing puts them: "Thôn 3, xã Mỹ An, huyện Tháp Mười, tỉnh Đồng
Tháp" — the level words (xã, phường, huyện, tỉnh, thành phố …) in lower case after the first item of the line,
the unit names capitalised.

Since 1 July 2025 there are two levels of local government (province, commune/ward): a document issued from that
day prints a producer's address as commune/ward and province once the producer's unit of today is known
(`Producer.current_unit`), and as recorded until then (`Producer.address_on`)."""

# Longest first: "Thành phố" before a shorter word that could prefix it.
LEVEL_WORDS = ("Thành phố", "Thị trấn", "Thị xã", "Đặc khu", "Phường", "Huyện", "Quận", "Tỉnh", "Xã")


def mid_line(unit_name: str) -> str:
    """'Huyện Tháp Mười' -> 'huyện Tháp Mười'; a name without a level word is left as it is."""
    for word in LEVEL_WORDS:
        if unit_name.startswith(word + " "):
            return word.lower() + unit_name[len(word) :]
    return unit_name


def address_line(street: str, *unit_names: str) -> str:
    """The street line (as the producer wrote it) and the units' full names, smallest first, joined with commas;
    a unit's level word is capitalised only when it opens the line."""
    parts = [street.strip()] if street and street.strip() else []
    for name in unit_names:
        if name:
            parts.append(mid_line(name) if parts else name)
    return ", ".join(parts)
