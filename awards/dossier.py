"""The parts of a dossier staff can ask the producer to correct, as one small value type.

A part is stored as a string in `CorrectionRequest.items` and used as the code of a dossier problem:
"field:annual_revenue" (a form field), "doc:3" (a checklist item), "photos", "declaration", "eligibility".
`DossierPart.parse` reads that string and `str()` writes it, so rows stored before this type keep working."""

from dataclasses import dataclass, field

FIELD = "field"
DOC = "doc"
PHOTOS = "photos"
DECLARATION = "declaration"
ELIGIBILITY = "eligibility"
KINDS = (FIELD, DOC, PHOTOS, DECLARATION, ELIGIBILITY)
KEYED = (FIELD, DOC)  # the kinds that name one field or one checklist item


@dataclass(frozen=True)
class DossierPart:
    kind: str
    key: str = ""
    # What staff and the producer read ("Form: Annual output"); not part of the identity.
    label: str = field(default="", compare=False)

    def __post_init__(self):
        if self.kind not in KINDS or (self.kind in KEYED) != bool(self.key):
            raise ValueError(f"not a dossier part: {self.kind!r}, {self.key!r}")

    @classmethod
    def form_field(cls, name: str, label: str = "") -> "DossierPart":
        return cls(FIELD, name, label)

    @classmethod
    def document(cls, item_id: int, label: str = "") -> "DossierPart":
        return cls(DOC, str(item_id), label)

    @classmethod
    def parse(cls, text: str) -> "DossierPart | None":
        """The part a stored string names, or None for a string that names no part (e.g. "quota")."""
        kind, _sep, key = str(text).partition(":")
        try:
            return cls(kind, key)
        except ValueError:
            return None

    def __str__(self) -> str:
        return f"{self.kind}:{self.key}" if self.key else self.kind

    def with_label(self, label: str) -> "DossierPart":
        return DossierPart(self.kind, self.key, label)

    @property
    def item_id(self) -> int | None:
        return int(self.key) if self.kind == DOC else None


PHOTOS_PART = DossierPart(PHOTOS)
DECLARATION_PART = DossierPart(DECLARATION)
ELIGIBILITY_PART = DossierPart(ELIGIBILITY)


def parts_of(items) -> set[DossierPart]:
    """The parts named by stored strings (a correction request's items), unknown strings left out."""
    return {part for part in map(DossierPart.parse, items) if part is not None}
